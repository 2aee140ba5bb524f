"""What the overview's filters select: whole days in the desk's time zone, a topic, a language.

One object answers both questions a figure asks of its filters: which rows to count (queryset
filters) and which changelist shows exactly those rows (query-string parameters understood by
the changelists' filters in :mod:`verification.dashboard.filters`). Keeping both here is what
makes a figure and the list behind it agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from claims.models import Claim, Topic

# Far enough apart for any newsroom, near enough that the day after LATEST_DAY and the
# time-zone conversions stay inside what Python's datetime can hold.
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2199, 12, 31)

# The query-string names the changelists' filters read.
CLAIM_TOPIC_PARAM = "topics__id__exact"  # the claim list's own "topics" filter
ROW_TOPIC_PARAM = "topic"  # dashboard.filters.ClaimTopicFilter, on assignments and reviews
CLAIM_LANGUAGE_PARAM = "language"  # the claim list's own "language" filter
ROW_LANGUAGE_PARAM = "claim_language"  # dashboard.filters.ClaimLanguageFilter, on their rows


def range_params(field_path: str) -> tuple[str, str]:
    """The parameters of :class:`verification.dashboard.filters.DateRangeFilter` on
    ``field_path``."""
    return f"{field_path}__from", f"{field_path}__to"


def parse_day(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` day within the supported span; ``ValueError`` with a readable message."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"“{text}” is not a date (YYYY-MM-DD).") from None
    check_day(day)
    return day


def check_day(day: dt.date) -> None:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValueError(
            f"Choose a date between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}."
        )


def day_bounds(
    start: dt.date | None, end: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The instants the days ``start`` … ``end`` cover (both included): from midnight at the
    start of ``start`` to midnight after ``end``, in the current time zone."""
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone) if start else None
    until = (
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone) if end else None
    )
    return since, until


def date_q(field_path: str, start: dt.date | None, end: dt.date | None) -> Q:
    since, until = day_bounds(start, end)
    q = Q()
    if since is not None:
        q &= Q(**{f"{field_path}__gte": since})
    if until is not None:
        q &= Q(**{f"{field_path}__lt": until})
    return q


def topic_q(topic_id: int, *, claim_ref: str) -> Q:
    """Rows whose claim (``claim_ref``: "pk" for claims, "claim_id" for their rows) has the
    topic. ``Exists`` rather than a join, so no row is counted twice."""
    tagged = Claim.topics.through.objects.filter(claim_id=OuterRef(claim_ref), topic_id=topic_id)
    return Q(Exists(tagged))


@dataclass(frozen=True)
class DeskScope:
    """The filters of one overview: ``now`` (one instant for every figure on the page), an
    optional range of days, an optional topic and an optional language (``Claim.language``,
    ISO 639-1)."""

    now: dt.datetime
    start: dt.date | None = None
    end: dt.date | None = None
    topic: Topic | None = None
    language: str = ""

    @property
    def is_filtered(self) -> bool:
        return self.is_dated or self.topic is not None or bool(self.language)

    @property
    def is_dated(self) -> bool:
        return self.start is not None or self.end is not None

    # --- Rows ------------------------------------------------------------------------------

    def claims(self, queryset: QuerySet[Claim], *, dated_by: str | None) -> QuerySet[Claim]:
        """Claims with the topic whose ``dated_by`` field falls in the range (``None``: the
        range does not apply to this figure)."""
        return queryset.filter(self._q(claim_ref="pk", dated_by=dated_by))

    def rows(self, queryset: QuerySet, *, dated_by: str | None) -> QuerySet:
        """The same for rows that hang off a claim (assignments, reviews, events)."""
        return queryset.filter(self._q(claim_ref="claim_id", dated_by=dated_by))

    def _q(self, *, claim_ref: str, dated_by: str | None) -> Q:
        q = Q()
        if self.topic is not None:
            q &= topic_q(self.topic.pk, claim_ref=claim_ref)
        if self.language:
            q &= Q(**{"language" if claim_ref == "pk" else "claim__language": self.language})
        if dated_by is not None:
            q &= date_q(dated_by, self.start, self.end)
        return q

    # --- The changelists behind the figures ------------------------------------------------

    def claim_params(self, *, dated_by: str | None) -> dict[str, str]:
        """Query-string filters of the claim list that select what :meth:`claims` does."""
        return self._params(CLAIM_TOPIC_PARAM, CLAIM_LANGUAGE_PARAM, dated_by)

    def row_params(self, *, dated_by: str | None) -> dict[str, str]:
        """The same for an assignment or review list and :meth:`rows`."""
        return self._params(ROW_TOPIC_PARAM, ROW_LANGUAGE_PARAM, dated_by)

    def _params(self, topic: str, language: str, dated_by: str | None) -> dict[str, str]:
        params = {topic: str(self.topic.pk)} if self.topic is not None else {}
        if self.language:
            params[language] = self.language
        return params | self.date_params(dated_by)

    def date_params(self, field_path: str | None) -> dict[str, str]:
        if field_path is None:
            return {}
        name_from, name_to = range_params(field_path)
        params = {}
        if self.start is not None:
            params[name_from] = self.start.isoformat()
        if self.end is not None:
            params[name_to] = self.end.isoformat()
        return params
