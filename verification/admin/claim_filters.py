"""The claim list's filters: overdue work, verdict (blind to reviewers), speaker, source, and
the published verdict (which the desk overview's "verdicts by rating" links to).

The filters the overview needs on several lists (a range of days, the claim's topic, open
assignments, a review's agreement with the published verdict) are in
:mod:`verification.dashboard.filters`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest

from claims.models import Appearance, ClaimState, Rating, Source, Speaker
from claims.roles import is_editor
from verification.dashboard.aggregates import published_verdict
from verification.dashboard.filters import IdListFilter, YesNoFilter
from verification.selectors import overdue_assignments


class ClaimOverdueFilter(YesNoFilter):
    title = "overdue"
    parameter_name = "overdue"
    labels = ("Has overdue work", "Nothing overdue")

    def match(self) -> Exists:
        return Exists(overdue_assignments().filter(claim_id=OuterRef("pk")))


class ConsensusRatingFilter(admin.SimpleListFilter):
    """Filter by verdict; a reviewer's filter only reaches verdicts they may see."""

    title = "consensus rating"
    parameter_name = "rating"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [*Rating.choices, ("none", "No verdict yet")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        value = self.value()
        if value is None:
            return None
        queryset = queryset.filter(consensus_rating="" if value == "none" else value)
        if not is_editor(request.user):
            queryset = queryset.filter(verdict_visible=True)
        return queryset


class AppearanceRelationFilter(IdListFilter):
    """Claims appearing with a given speaker or source (``Exists``: no duplicate rows)."""

    field: str

    def match(self, pk: int) -> Exists:
        return Exists(Appearance.objects.filter(claim_id=OuterRef("pk"), **{self.field: pk}))


class SpeakerFilter(AppearanceRelationFilter):
    title = "speaker"
    parameter_name = "speaker"
    field = "speaker_id"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[int, str]]:
        return [(speaker.pk, str(speaker)) for speaker in Speaker.objects.all()]


class SourceFilter(AppearanceRelationFilter):
    title = "source"
    parameter_name = "source"
    field = "source_id"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[int, str]]:
        return list(Source.objects.order_by("title").values_list("pk", "title"))


class PublishedVerdictFilter(admin.SimpleListFilter):
    """Published claims by the verdict they were published with: the signing editor's rating
    when recorded, else the consensus. Published verdicts are public, so reviewers may use it."""

    title = "published verdict"
    parameter_name = "verdict"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(Rating.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        value = self.value()
        if value is None:
            return None
        return (
            queryset.filter(state=ClaimState.PUBLISHED)
            .alias(published_verdict=published_verdict())
            .filter(published_verdict=value)
        )
