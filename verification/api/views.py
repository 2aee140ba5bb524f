"""/api/v1/ evidence, reviews, reviewer profiles, workflow events and desk figures. Every write
calls ``verification.services``; ``get_queryset`` scopes what a caller sees (blind review)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api.permissions import IsDeskMember, IsEditor
from claims.models import Claim, ClaimState
from claims.roles import is_editor
from config.api.etags import ConditionalGetMixin, ETagMixin
from config.api.schema import error_responses
from verification import selectors, services
from verification.api.assignments import assignments_visible_to, submit_review
from verification.api.filters import (
    EvidenceFilter,
    ReviewerProfileFilter,
    ReviewFilter,
    WorkflowEventFilter,
)
from verification.api.moves import EditEndpointMixin, validated
from verification.api.serializers import (
    DeskStatsSerializer,
    EvidenceInputSerializer,
    EvidenceSerializer,
    ReviewCreateSerializer,
    ReviewerProfileCreateSerializer,
    ReviewerProfileInputSerializer,
    ReviewerProfileSerializer,
    ReviewSerializer,
    WorkflowEventSerializer,
)
from verification.models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    Evidence,
    Review,
    ReviewerProfile,
    WorkflowEvent,
)


class ListRetrieveViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Lists and single objects; each subclass adds its writes."""


class EvidenceViewSet(ListRetrieveViewSet):
    """Graded evidence for claims. Reviewers and editors read all of it and add to it."""

    queryset = Evidence.objects.select_related("added_by")
    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilter
    ordering_fields = ["created_at", "credibility", "source_reliability", "id"]

    @extend_schema(
        summary="Add evidence to a claim",
        description="Refused (409) while the claim is published or dismissed.",
        request=EvidenceInputSerializer,
        responses={201: EvidenceSerializer, **error_responses(409)},
    )
    def create(self, request: Request) -> Response:
        data = validated(EvidenceInputSerializer, request.data)
        evidence = services.evidence_add(actor=request.user, **data)
        evidence = self.get_queryset().get(pk=evidence.pk)
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class ReviewViewSet(ListRetrieveViewSet):
    """Verdicts. Blind review: a reviewer sees another reviewer's verdict on a claim only once
    their own review of its current round is in; editors see all."""

    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    ordering_fields = ["created_at", "review_round", "id"]

    def get_queryset(self) -> QuerySet[Review]:
        if getattr(self, "swagger_fake_view", False):
            return Review.objects.none()
        return selectors.reviews_visible_to(self.request.user).prefetch_related("evidence")

    @extend_schema(
        summary="Submit a review for one of your assignments",
        description="The same as POST /assignments/{id}/review/. A firm rating must cite "
        "evidence of the same claim (400); a closed assignment or a claim not in research "
        "answers 409.",
        request=ReviewCreateSerializer,
        responses={201: ReviewSerializer, **error_responses(409)},
    )
    def create(self, request: Request) -> Response:
        context = {"assignments": assignments_visible_to(request.user)}
        data = validated(ReviewCreateSerializer, request.data, context=context)
        review = submit_review(request, assignment=data.pop("assignment"), data=data)
        return Response(review, status=status.HTTP_201_CREATED)


class OwnProfileOrEditor(BasePermission):
    message = "Only an editor or the reviewer may change a reviewer profile."

    def has_object_permission(self, request: Request, view: Any, profile: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return is_editor(request.user) or profile.user_id == request.user.pk


class ReviewerProfileViewSet(ETagMixin, EditEndpointMixin, ListRetrieveViewSet):
    """Reviewers' expertise, capacity and availability. A reviewer changes their own; an
    editor changes anyone's and creates profiles."""

    serializer_class = ReviewerProfileSerializer
    filterset_class = ReviewerProfileFilter
    ordering_fields = ["user__username", "capacity", "open_assignments", "id"]
    ordering = ["user__username"]
    editor_actions = ("create",)
    etag_label = "reviewer-profile"
    edit_input = ReviewerProfileInputSerializer

    def get_permissions(self) -> list[BasePermission]:
        return [*super().get_permissions(), OwnProfileOrEditor()]

    def get_queryset(self) -> QuerySet[ReviewerProfile]:
        open_work = Q(user__assignments__state__in=OPEN_ASSIGNMENT_STATES)
        return (
            ReviewerProfile.objects.select_related("user")
            .prefetch_related("expertise")
            .annotate(open_assignments=Count("user__assignments", filter=open_work))
        )

    def etag_parts(self, profile: ReviewerProfile) -> list[Any]:
        expertise = sorted(topic.slug for topic in profile.expertise.all())
        return [
            profile.pk,
            profile.capacity,
            profile.availability,
            profile.reminders_enabled,
            expertise,
        ]

    @extend_schema(
        summary="Create a reviewer profile (editors)",
        request=ReviewerProfileCreateSerializer,
        responses={201: ReviewerProfileSerializer},
    )
    def create(self, request: Request) -> Response:
        data = validated(ReviewerProfileCreateSerializer, request.data)
        expertise = data.pop("expertise")
        profile = services.reviewer_profile_save(
            actor=request.user, profile=ReviewerProfile(**data), expertise=expertise
        )
        return self.respond(self.reload(profile.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Replace a reviewer profile",
        request=ReviewerProfileInputSerializer,
        responses={200: ReviewerProfileSerializer},
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._edit(request, partial=False)

    @extend_schema(
        summary="Change a reviewer profile",
        request=ReviewerProfileInputSerializer,
        responses={200: ReviewerProfileSerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._edit(request, partial=True)

    def edit_save(self, profile: ReviewerProfile, data: dict[str, Any]) -> None:
        expertise = data.pop("expertise", None)
        for name, value in data.items():
            setattr(profile, name, value)
        services.reviewer_profile_save(
            actor=self.request.user, profile=profile, expertise=expertise
        )


class WorkflowEventViewSet(ConditionalGetMixin, ListRetrieveViewSet):
    """Every move of every claim and assignment: who, from what, to what, when and why. A list
    page answers If-None-Match with 304 until a move adds to it."""

    queryset = WorkflowEvent.objects.select_related("actor")
    serializer_class = WorkflowEventSerializer
    filterset_class = WorkflowEventFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
    etag_label = "event"

    def etag_rows(self, events: QuerySet[WorkflowEvent]) -> list[Any]:
        shown = [name for name in WorkflowEventSerializer.Meta.fields if name != "actor"]
        return [list(events.values_list(*shown, "actor__username"))]


class DeskStatsView(APIView):
    """The desk at a glance (editors)."""

    permission_classes = [IsDeskMember, IsEditor]

    @extend_schema(summary="Desk figures", responses={200: DeskStatsSerializer})
    def get(self, request: Request) -> Response:
        counts = dict(Claim.objects.values_list("state").annotate(n=Count("id")).order_by())
        overdue = selectors.overdue_assignments()
        open_count = Assignment.objects.filter(state__in=OPEN_ASSIGNMENT_STATES).count()
        late_claims = Claim.objects.filter(
            Exists(overdue.filter(claim_id=OuterRef("pk")).order_by())
        ).count()
        data = {
            "claims_by_state": {state.value: counts.get(state.value, 0) for state in ClaimState},
            "open_assignments": open_count,
            "overdue_assignments": overdue.count(),
            "claims_with_overdue_work": late_claims,
            "desk_agreement": selectors.desk_agreement(),
        }
        return Response(DeskStatsSerializer(data).data)
