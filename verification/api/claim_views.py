"""/api/v1/ topics, speakers, sources and claims (their moves: ``claim_workflow``). Desk members
read everything (verdicts as blind review allows) and submit sources, speakers and claims;
topics and claim edits are the editors'. Every write calls ``claims.services``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from claims import services
from claims.api.history import ClaimHistoryRecordSerializer, claim_history
from claims.api.serializers import (
    ClaimCreateSerializer,
    ClaimUpdateSerializer,
    QuantitySerializer,
    SourceDetailSerializer,
    SourceInputSerializer,
    SourceSerializer,
    SpeakerInputSerializer,
    SpeakerSerializer,
    TopicInputSerializer,
    TopicSerializer,
)
from claims.api.speaker_edits import SpeakerEditsMixin
from claims.models import Appearance, Claim, Quantity, Source, Speaker, Topic
from claims.roles import is_editor
from claims.selectors import claim_list
from config.api.etags import ConditionalGetMixin
from config.api.schema import error_responses
from verification.api.claim_filters import ClaimFilter, SourceFilter, SpeakerFilter
from verification.api.claim_serializers import ClaimSerializer
from verification.api.claim_workflow import ClaimWorkflowMixin
from verification.api.moves import EditEndpointMixin, validated
from verification.selectors import reviewed_by, verdict_visibility


class ReadViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Lists; each subclass adds what else it allows."""


class TopicViewSet(mixins.RetrieveModelMixin, ReadViewSet):
    """Subjects claims are about and reviewers are expert in. Editors add them."""

    queryset = Topic.objects.all()
    serializer_class = TopicSerializer
    editor_actions = ("create",)
    ordering_fields = ["name", "slug", "id"]

    @extend_schema(
        summary="Add a topic (editors)",
        request=TopicInputSerializer,
        responses={201: TopicSerializer},
        description="The slug is made from the name; a topic with that slug is returned as is.",
    )
    def create(self, request: Request) -> Response:
        name = validated(TopicInputSerializer, request.data)["name"]
        topics = services.topics_get_or_create([name])
        if not topics:
            raise ValidationError({"name": ["A topic name needs a letter or a digit."]})
        return Response(TopicSerializer(topics[0]).data, status=status.HTTP_201_CREATED)


class SpeakerViewSet(SpeakerEditsMixin, mixins.RetrieveModelMixin, ReadViewSet):
    """People and organisations claims are attributed to, and the names each is matched by."""

    editor_actions = SpeakerEditsMixin.speaker_editor_actions
    queryset = Speaker.objects.all()
    serializer_class = SpeakerSerializer
    filterset_class = SpeakerFilter
    ordering_fields = ["name", "id"]

    @extend_schema(
        summary="Add a speaker",
        request=SpeakerInputSerializer,
        responses={201: SpeakerSerializer},
        description="One speaker per name and role: the same pair returns the stored speaker.",
    )
    def create(self, request: Request) -> Response:
        speaker = services.speaker_get_or_create(**validated(SpeakerInputSerializer, request.data))
        return Response(SpeakerSerializer(speaker).data, status=status.HTTP_201_CREATED)


class SourceViewSet(mixins.RetrieveModelMixin, ReadViewSet):
    """Documents claims appear in. A list leaves out the text; one source includes it."""

    queryset = Source.objects.select_related("created_by")
    filterset_class = SourceFilter
    ordering_fields = ["published_on", "created_at", "title", "id"]

    def get_serializer_class(self) -> type:
        return SourceSerializer if self.action == "list" else SourceDetailSerializer

    @extend_schema(
        summary="Add a source",
        request=SourceInputSerializer,
        responses={
            201: OpenApiResponse(SourceDetailSerializer, description="Stored."),
            200: OpenApiResponse(
                SourceDetailSerializer,
                description="The same text or URL was already stored: that source.",
            ),
        },
    )
    def create(self, request: Request) -> Response:
        data = validated(SourceInputSerializer, request.data)
        result = services.source_get_or_create(actor=request.user, **data)
        return Response(
            SourceDetailSerializer(result.source).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


# What a claim's row shows of the claim itself, as values of the claim views' query: the
# serializer's fields, so that a field added there is in the ETag too. Not the related lists
# (read apart below) nor the creation time, which never changes; the transitions follow from
# the state, the verdict and ``reviewed_by_caller``.
_ANNOTATED = {"submitted_by": "submitted_by_username", "published_by": "published_by_username"}
_CLAIM_SHOWN = (
    *(
        _ANNOTATED.get(name, name)
        for name in ClaimSerializer.Meta.fields
        if name not in ("topics", "quantities", "appearances", "created_at", "transitions")
    ),
    "reviewed_by_caller",
)


def claim_versions(claims: QuerySet[Claim]) -> list[Any]:
    """What :class:`ClaimSerializer` shows of ``claims``, read as values (four queries, no row
    built): what a list page's or a claim's ETag hashes."""
    rows = list(claims.prefetch_related(None).values_list(*_CLAIM_SHOWN))
    ids = [row[0] for row in rows]
    topics = Claim.topics.through.objects.filter(claim_id__in=ids).values_list(
        "claim_id", "topic__name", "topic__slug"
    )
    quantities = Quantity.objects.filter(claim_id__in=ids).values_list(
        "claim_id", *QuantitySerializer.Meta.fields
    )
    appearances = Appearance.objects.filter(claim_id__in=ids).values_list(
        "claim_id",
        "id",
        "source_id",
        "source__title",
        "quote",
        "start",
        "end",
        "attribution",
        "note",
        *(f"speaker__{name}" for name in SpeakerSerializer.Meta.fields),
    )
    return [rows, *(sorted(part) for part in (topics, quantities, appearances))]


class ClaimViewSet(ConditionalGetMixin, EditEndpointMixin, ClaimWorkflowMixin, ReadViewSet):
    """Claims with their appearances, figures, state, verdict (as blind review allows) and the
    workflow moves open to the caller. A list page and a claim answer If-None-Match with 304
    while nothing they show has changed."""

    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    ordering_fields = ["created_at", "updated_at", "published_at", "checkworthiness", "id"]
    ordering = ["-created_at", "-id"]
    editor_actions = ("update", "partial_update", *ClaimWorkflowMixin.workflow_actions)
    if_match_actions = ClaimWorkflowMixin.workflow_actions
    etag_label = "claim"
    edit_input = ClaimUpdateSerializer

    def get_queryset(self) -> QuerySet[Claim]:
        if getattr(self, "swagger_fake_view", False):
            return Claim.objects.none()
        user = self.request.user
        return claim_list().annotate(
            verdict_visible=verdict_visibility(user), reviewed_by_caller=reviewed_by(user)
        )

    def etag_rows(self, claims: QuerySet[Claim]) -> list[Any]:
        # The moves offered differ for editors; what blind review hides is in the rows.
        return [is_editor(self.request.user), *claim_versions(claims)]

    @extend_schema(summary="One claim")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Submit a claim",
        request=ClaimCreateSerializer,
        responses={201: ClaimSerializer},
        description="With its figures and where it appeared, all or nothing. It starts as new.",
    )
    def create(self, request: Request) -> Response:
        serializer = ClaimCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim = services.claim_create(actor=request.user, **serializer.service_arguments())
        return self.respond(self.reload(claim.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Replace a claim's wording, priority and topics (editors)",
        request=ClaimUpdateSerializer,
        responses={200: ClaimSerializer, **error_responses(409)},
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._edit(request, partial=False)

    @extend_schema(
        summary="Change a claim's wording, priority or topics (editors)",
        request=ClaimUpdateSerializer,
        responses={200: ClaimSerializer, **error_responses(409)},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._edit(request, partial=True)

    def edit_save(self, claim: Claim, data: dict[str, Any]) -> None:
        services.claim_update(actor=self.request.user, claim=claim, **data)

    @extend_schema(
        summary="The claim's change history",
        responses={200: ClaimHistoryRecordSerializer(many=True)},
        description="Every saved version of the claim, oldest first, with who saved it and "
        "which fields changed. The verdict fields are null where the caller may not see the "
        "claim's verdict.",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request: Request, pk: str | None = None) -> Response:
        claim = self.get_object()
        records = claim_history(claim, verdict_visible=claim.verdict_visible)
        return Response(ClaimHistoryRecordSerializer(records, many=True).data)
