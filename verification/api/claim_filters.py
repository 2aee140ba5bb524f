"""List filters for claims, sources and speakers, and the full-text search ``q``. Filters that
follow a relation are ``EXISTS`` subqueries, so a claim never appears twice in a list."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from claims.models import (
    Appearance,
    Claim,
    ClaimState,
    Priority,
    Rating,
    Source,
    SourceKind,
    Speaker,
    SpeakerKind,
    Topic,
)
from claims.roles import is_editor
from config.api.filters import IdFilter, StrictBooleanFilter
from verification.api.filters import filter_meta
from verification.models import OPEN_ASSIGNMENT_STATES, Assignment

# The expressions claims/migrations/0003_claim_search_index.py indexes: the query must use
# exactly these for PostgreSQL to use the GIN indexes.
SEARCH_CONFIG = "english"
SPEAKER_SEARCH_CONFIG = "simple"  # names are not English words: no stemming, no stop words
# Up to this many matching claims, a search hands the list query their ids.
SEARCH_IDS_LIMIT = 1000


def claims_matching(text: str) -> QuerySet:
    """PostgreSQL: the ids (``pk``) of the claims whose statement, one of whose quotes, or one
    of whose speakers' names matches ``text`` (web-search syntax: words, "phrases", -not, or),
    as a union of three scans of the GIN indexes of claims migration 0003."""
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    names = SearchQuery(text, config=SPEAKER_SEARCH_CONFIG, search_type="websearch")
    # A union of three index scans, not one OR: PostgreSQL cannot combine an index on the
    # claims with subqueries on other tables in an OR, and would read every claim.
    by_statement = Claim.objects.alias(
        vector=SearchVector("statement", config=SEARCH_CONFIG)
    ).filter(vector=query)
    in_quote = Appearance.objects.alias(vector=SearchVector("quote", config=SEARCH_CONFIG)).filter(
        vector=query
    )
    speakers = Speaker.objects.alias(
        vector=SearchVector("name", config=SPEAKER_SEARCH_CONFIG)
    ).filter(vector=names)
    by_speaker = Appearance.objects.filter(speaker__in=speakers.values("pk").order_by())
    return (
        by_statement.values("pk")
        .order_by()
        .union(in_quote.values("claim_id").order_by(), by_speaker.values("claim_id").order_by())
    )


def search_claims(claims: QuerySet[Claim], text: str) -> QuerySet[Claim]:
    """Claims whose statement, one of whose quotes, or one of whose speakers' names matches.

    PostgreSQL: full-text search on the GIN indexes (:func:`claims_matching`). SQLite: a
    case-insensitive substring match on the same three.
    """
    text = text.strip()
    if not text:
        return claims
    if connection.vendor == "postgresql":
        matching = claims_matching(text)
        # The answer's ids first, at most SEARCH_IDS_LIMIT + 1 of them (one query): whether a
        # search matches 50 claims or 50,000 is beyond the planner's estimates, and for a
        # million claims it would rather read the whole table than look 50 up by key
        # (bench/, scale). A short answer is then fetched by primary key.
        ids = [row["pk"] for row in matching[: SEARCH_IDS_LIMIT + 1]]
        if len(ids) <= SEARCH_IDS_LIMIT:
            return claims.filter(pk__in=ids)
        return claims.filter(pk__in=matching)
    in_quote = Exists(_appearances(quote__icontains=text))
    by_speaker = Exists(_appearances(speaker__name__icontains=text))
    return claims.filter(Q(statement__icontains=text) | in_quote | by_speaker)


def _appearances(**lookups: Any) -> QuerySet[Appearance]:
    """The outer claim's appearances that match ``lookups``, for an ``EXISTS``."""
    return Appearance.objects.filter(claim_id=OuterRef("pk"), **lookups)


class ClaimFilter(filters.FilterSet):
    q = filters.CharFilter(
        method="filter_q",
        label="Full-text search over the statement, the quotes and the speakers' names.",
    )
    # distinct=False: these are the claim's own columns, so no row can repeat, and django-filter's
    # default DISTINCT makes PostgreSQL sort every matching row before it can take a page.
    state = filters.MultipleChoiceFilter(choices=ClaimState.choices, distinct=False)
    priority = filters.MultipleChoiceFilter(choices=Priority.choices, distinct=False)
    language = filters.CharFilter(label="ISO 639-1 code of the claim's language (en, pt, es…).")
    rating = filters.MultipleChoiceFilter(
        choices=Rating.choices,
        distinct=False,
        method="filter_rating",
        label="Consensus rating; only claims whose verdict you may see match (blind review).",
    )
    topic = filters.ModelChoiceFilter(
        field_name="topics", to_field_name="slug", queryset=Topic.objects.all(), label="Topic slug."
    )
    speaker = IdFilter(method="filter_speaker", label="Speaker id (any appearance).")
    source = IdFilter(method="filter_source", label="Source id (any appearance).")
    assignee = IdFilter(
        method="filter_assignee",
        label="User id of a reviewer with an open (offered or accepted) assignment of the "
        "claim. Reviewers see only their own assignments, so for them only their own id "
        "matches.",
    )
    overdue = StrictBooleanFilter(
        method="filter_overdue",
        label="Has an open assignment past its due date (for reviewers: one of theirs).",
    )
    created = filters.DateFromToRangeFilter(field_name="created_at")
    published = filters.DateFromToRangeFilter(field_name="published_at")

    Meta = filter_meta(Claim)

    def filter_q(self, claims: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return search_claims(claims, value)

    def filter_rating(self, claims: QuerySet[Claim], name: str, value: list[str]) -> Any:
        if not value:
            return claims
        # Filtering on a verdict the caller may not see would reveal it.
        return claims.filter(verdict_visible=True, consensus_rating__in=value)

    def filter_speaker(self, claims: QuerySet[Claim], name: str, value: Any) -> Any:
        return claims.filter(Exists(_appearances(speaker_id=value)))

    def filter_source(self, claims: QuerySet[Claim], name: str, value: Any) -> Any:
        return claims.filter(Exists(_appearances(source_id=value)))

    def _open_assignments(self) -> QuerySet[Assignment]:
        assignments = Assignment.objects.filter(
            claim_id=OuterRef("pk"), state__in=OPEN_ASSIGNMENT_STATES
        )
        user = self.request.user
        return assignments if is_editor(user) else assignments.filter(reviewer_id=user.pk)

    def filter_assignee(self, claims: QuerySet[Claim], name: str, value: Any) -> Any:
        return claims.filter(Exists(self._open_assignments().filter(reviewer_id=value)))

    def filter_overdue(self, claims: QuerySet[Claim], name: str, value: bool | None) -> Any:
        if value is None:
            return claims
        late = Exists(self._open_assignments().filter(due_at__lt=timezone.now()))
        return claims.filter(late if value else ~late)


class SourceFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label="Words in the title, publisher or URL.")
    kind = filters.MultipleChoiceFilter(choices=SourceKind.choices)
    publisher = filters.CharFilter(lookup_expr="icontains")
    language = filters.CharFilter(label="ISO 639-1 code of the source's language (en, pt, es…).")
    published = filters.DateFromToRangeFilter(field_name="published_on")
    created = filters.DateFromToRangeFilter(field_name="created_at")

    Meta = filter_meta(Source)

    def filter_q(self, sources: QuerySet[Source], name: str, value: str) -> Any:
        return sources.filter(
            Q(title__icontains=value) | Q(publisher__icontains=value) | Q(url__icontains=value)
        )


class SpeakerFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label="Words in the name or role.")
    kind = filters.ChoiceFilter(choices=SpeakerKind.choices)

    Meta = filter_meta(Speaker)

    def filter_q(self, speakers: QuerySet[Speaker], name: str, value: str) -> Any:
        return speakers.filter(Q(name__icontains=value) | Q(role__icontains=value))
