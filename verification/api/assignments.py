"""/api/v1/assignments/: a reviewer's own work (an editor's: everyone's) and its moves.

The assigned reviewer accepts or declines an offer and submits the review; an editor withdraws
an open assignment. Each move is one call to ``verification.services``: a move the assignment's
state does not allow answers 409, a move that is not the caller's answers 403. An If-Match
header is optional: with one, an assignment that changed since it was read answers 412.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.api.etags import ETagMixin
from config.api.schema import error_responses
from verification import services
from verification.api.filters import AssignmentFilter
from verification.api.serializers import (
    AssignmentSerializer,
    DeclineSerializer,
    ReviewInputSerializer,
    ReviewSerializer,
    WithdrawSerializer,
)
from verification.models import Assignment, Review
from verification.roles import is_editor


def assignments_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Assignment]:
    """Editors see every assignment; a reviewer sees their own."""
    assignments = Assignment.objects.select_related("claim", "reviewer", "assigned_by")
    if is_editor(user):
        return assignments
    if not user.is_authenticated:
        return assignments.none()
    return assignments.filter(reviewer_id=user.pk)


def submit_review(request: Request, *, assignment: Assignment, data: dict[str, Any]) -> Any:
    """``review_submit`` for the caller, and the new review as the API shows it."""
    review = services.review_submit(actor=request.user, assignment=assignment, **data)
    review = (
        Review.objects.select_related("reviewer").prefetch_related("evidence").get(pk=review.pk)
    )
    return ReviewSerializer(review).data


class AssignmentViewSet(
    ETagMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["due_at", "created_at", "id"]
    ordering = ["due_at", "id"]
    editor_actions = ("withdraw",)
    etag_label = "assignment"
    if_match_actions = ("accept", "decline", "withdraw", "review")

    def get_queryset(self) -> QuerySet[Assignment]:
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        return assignments_visible_to(self.request.user)

    def etag_parts(self, assignment: Assignment) -> list[Any]:
        return [
            assignment.pk,
            assignment.state,
            assignment.review_round,
            assignment.due_at.isoformat(),
            assignment.reason,
        ]

    def _move(
        self,
        request: Request,
        input_class: type,
        call: Callable[[Assignment, dict[str, Any]], Any],
    ) -> Any:
        assignment = self.get_object()
        serializer = input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            current = self.current_version(assignment, required=False)
            return call(current, serializer.validated_data)

    @extend_schema(
        summary="Accept an offered assignment (its reviewer)",
        request=None,
        responses={200: AssignmentSerializer, **error_responses(409)},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        moved = self._move(
            request,
            serializers.Serializer,  # no input
            lambda a, data: services.assignment_accept(actor=request.user, assignment=a),
        )
        return self.respond(self.reload(moved.pk))

    @extend_schema(
        summary="Decline an offered assignment (its reviewer)",
        request=DeclineSerializer,
        responses={200: AssignmentSerializer, **error_responses(409)},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        moved = self._move(
            request,
            DeclineSerializer,
            lambda a, data: services.assignment_decline(
                actor=request.user, assignment=a, reason=data["reason"]
            ),
        )
        return self.respond(self.reload(moved.pk))

    @extend_schema(
        summary="Withdraw an open assignment (editors)",
        request=WithdrawSerializer,
        responses={200: AssignmentSerializer, **error_responses(409)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        moved = self._move(
            request,
            WithdrawSerializer,
            lambda a, data: services.assignment_withdraw(
                actor=request.user, assignment=a, reason=data["reason"]
            ),
        )
        return self.respond(self.reload(moved.pk))

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
