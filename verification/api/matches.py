"""/api/v1/claim-matches/: ingestion's likely duplicates, read by the desk (``?claim=`` either
way) and decided by editors (``confirm/``, ``reject/``: ``services.match_decisions``)."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from claims.api.ingest_serializers import ClaimMatchSerializer
from claims.models import ClaimMatch, MatchOutcome
from claims.selectors import claim_matches_list, concerning_claim
from config.api.filters import IdFilter
from config.api.schema import error_responses
from verification.api.filters import filter_meta
from verification.services.match_decisions import claim_match_confirm, claim_match_reject


class ClaimMatchFilter(filters.FilterSet):
    claim = IdFilter(
        method="filter_claim",
        label="Claim id: matches concerning it, either way (its appearances matched to other "
        "claims, and other claims' appearances matched to it).",
    )
    existing = IdFilter(field_name="existing_id", label="Claim id of the existing claim.")
    source = IdFilter(field_name="appearance__source_id", label="Source id of the appearance.")
    outcome = filters.MultipleChoiceFilter(choices=MatchOutcome.choices)

    Meta = filter_meta(ClaimMatch)

    def filter_claim(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(concerning_claim(value))


class ClaimMatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Appearances ingestion found like an existing claim, best score first."""

    serializer_class = ClaimMatchSerializer
    filterset_class = ClaimMatchFilter
    ordering_fields = ["score", "created_at", "decided_at", "id"]
    ordering = ["-score", "id"]
    editor_actions = ("confirm", "reject")

    def get_queryset(self) -> QuerySet[ClaimMatch]:
        return claim_matches_list()

    @extend_schema(summary="Likely duplicates found by ingestion")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="One likely duplicate")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Confirm a likely duplicate (editors)",
        description="The appearance joins the existing claim (which keeps its own figures), "
        "and the candidate claim, left empty, is dismissed with a reason naming it. A "
        "published existing claim keeps its verdict and takes no appearance: the candidate is "
        "dismissed as its duplicate all the same. 409 once the match is decided, or when the "
        "candidate is already triaged.",
        request=None,
        responses={200: ClaimMatchSerializer, **error_responses(409)},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        match = claim_match_confirm(actor=request.user, match=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=match.pk)).data)

    @extend_schema(
        summary="Reject a likely duplicate (editors)",
        description="The two claims are different: both stay as they are. 409 once decided.",
        request=None,
        responses={200: ClaimMatchSerializer, **error_responses(409)},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        match = claim_match_reject(actor=request.user, match=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=match.pk)).data)
