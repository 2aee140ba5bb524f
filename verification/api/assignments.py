"""/api/v1/assignments/: a reviewer's own work (an editor's: everyone's), its moves (each one
call to ``verification.services``; an optional If-Match), and ``eligible/?claim=``: who may take
a claim now and why not (``verification.eligibility``), as ``claims/{id}/assign/`` will decide.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from claims.models import Claim
from config.api.etags import ETagMixin
from config.api.schema import error_responses
from verification import services
from verification.api.filters import AssignmentFilter
from verification.api.moves import MoveEndpointMixin, validated
from verification.api.serializers import (
    AssignmentSerializer,
    DeclineSerializer,
    ReviewInputSerializer,
    ReviewSerializer,
    WithdrawSerializer,
)
from verification.eligibility import Choice, Refusal, reviewers_eligible
from verification.models import Assignment, Review
from verification.selectors import assignments_visible_to


class EligibleQuerySerializer(serializers.Serializer):
    claim = serializers.PrimaryKeyRelatedField(
        queryset=Claim.objects.all(), help_text="The claim's id."
    )


class EligibilitySerializer(serializers.Serializer):
    """One person with a reviewer profile: may they take the claim now, and if not, why."""

    reviewer = serializers.IntegerField(source="candidate.user.pk")
    reviewer_username = serializers.CharField(source="candidate.user.username")
    eligible = serializers.BooleanField()
    reason = serializers.ChoiceField(
        source="refusal", choices=Refusal.values, allow_null=True, help_text="Null if eligible."
    )
    message = serializers.CharField(help_text="Why not, in words; empty if eligible.")
    open_assignments = serializers.IntegerField(source="candidate.open_count")
    capacity = serializers.IntegerField(source="candidate.profile.capacity", allow_null=True)


def submit_review(request: Request, *, assignment: Assignment, data: dict[str, Any]) -> Any:
    """``review_submit`` for the caller, and the new review as the API shows it."""
    review = services.review_submit(actor=request.user, assignment=assignment, **data)
    review = (
        Review.objects.select_related("reviewer").prefetch_related("evidence").get(pk=review.pk)
    )
    return ReviewSerializer(review).data


class AssignmentViewSet(
    ETagMixin,
    MoveEndpointMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["due_at", "created_at", "id"]
    ordering = ["due_at", "id"]
    editor_actions = ("withdraw", "eligible")
    etag_label = "assignment"
    move_target = "assignment"
    if_match_actions = ("accept", "decline", "withdraw", "review")

    def get_queryset(self) -> QuerySet[Assignment]:
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        return assignments_visible_to(self.request.user).select_related(
            "claim", "reviewer", "assigned_by"
        )

    def etag_parts(self, assignment: Assignment) -> list[Any]:
        return [
            assignment.pk,
            assignment.state,
            assignment.review_round,
            assignment.due_at.isoformat(),
            assignment.reason,
        ]

    @extend_schema(
        summary="Who may take a claim now (editors)",
        description="Everyone with a reviewer profile, by username, with whether an editor may "
        "assign them the claim now and, if not, the reason (the code and the message "
        "`claims/{id}/assign/` would answer).",
        parameters=[EligibleQuerySerializer],
        responses={200: EligibilitySerializer(many=True), **error_responses(400)},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def eligible(self, request: Request) -> Response:
        claim = validated(EligibleQuerySerializer, request.query_params)["claim"]
        verdicts = reviewers_eligible(claim, choice=Choice.EDITOR)
        return Response(EligibilitySerializer(verdicts, many=True).data)

    @extend_schema(
        summary="Accept an offered assignment (its reviewer)",
        request=None,
        responses={200: AssignmentSerializer, **error_responses(409)},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        # Accepting takes no input: the plain Serializer checks an empty body.
        moved = self._service_move(request, serializers.Serializer, services.assignment_accept)
        return self._moved(moved)

    @extend_schema(
        summary="Decline an offered assignment (its reviewer)",
        request=DeclineSerializer,
        responses={200: AssignmentSerializer, **error_responses(409)},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        return self._moved(
            self._service_move(request, DeclineSerializer, services.assignment_decline)
        )

    @extend_schema(
        summary="Withdraw an open assignment (editors)",
        request=WithdrawSerializer,
        responses={200: AssignmentSerializer, **error_responses(409)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        moved = self._service_move(request, WithdrawSerializer, services.assignment_withdraw)
        return self._moved(moved)

    @extend_schema(
        summary="Submit the review for this assignment (its reviewer)",
        description="A firm rating must cite evidence of the same claim (400). The last "
        "required review moves the claim to sign-off.",
        request=ReviewInputSerializer,
        responses={201: ReviewSerializer, **error_responses(409)},
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        review = self._move(
            request,
            ReviewInputSerializer,
            lambda a, data: submit_review(request, assignment=a, data=data),
        )
        return Response(review, status=status.HTTP_201_CREATED)
