"""The desk's output: verdicts published per week and by rating, and the median time from
triage to publication. The date range selects claims by when they were published; a claim that
was reopened is not published any more and is not counted until it is published again.
Four queries in all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone

from claims.models import Claim, ClaimState, Rating
from verification.dashboard.aggregates import Span, median_seconds, published_verdict
from verification.dashboard.scope import DeskScope
from verification.models import WorkflowAction, WorkflowEvent

VERDICTS_DATED_BY = "published_at"

# The weekly chart shows at most this many weeks (the latest); a longer range is summed in the
# by-rating figures but drawn only in part.
MAX_WEEKS = 52


def published_in_scope(scope: DeskScope) -> QuerySet[Claim]:
    return scope.claims(
        Claim.objects.filter(state=ClaimState.PUBLISHED), dated_by=VERDICTS_DATED_BY
    )


@dataclass(frozen=True)
class WeekFigure:
    monday: dt.date
    count: int

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)


@dataclass(frozen=True)
class WeeklyVerdicts:
    weeks: list[WeekFigure]
    earlier_weeks_left_out: int  # weeks of the range before the ones shown


def verdicts_by_week(scope: DeskScope) -> WeeklyVerdicts:
    """Verdicts published per week (Monday to Sunday, in the desk's time zone), empty weeks
    included, from the range's first week (or the first verdict's) to its last (or this week);
    at most the latest :data:`MAX_WEEKS` (one query)."""
    rows = (
        published_in_scope(scope)
        .annotate(week=TruncWeek("published_at"))
        .order_by()
        .values("week")
        .annotate(count=Count("pk"))
    )
    counts = {_as_day(row["week"]): row["count"] for row in rows}
    if not counts and scope.start is None:
        return WeeklyVerdicts(weeks=[], earlier_weeks_left_out=0)
    today = timezone.localdate(scope.now)
    first = _monday(scope.start) if scope.start else min(counts)
    last = _monday(min(scope.end, today) if scope.end else today)
    last = max([last, *counts])  # a verdict dated after "today" still shows
    if last < first:  # a range wholly in the future
        return WeeklyVerdicts(weeks=[], earlier_weeks_left_out=0)
    total = (last - first).days // 7 + 1
    shown = min(total, MAX_WEEKS)
    start = last - dt.timedelta(weeks=shown - 1)
    weeks = [
        WeekFigure(monday=monday, count=counts.get(monday, 0))
        for monday in (start + dt.timedelta(weeks=i) for i in range(shown))
    ]
    return WeeklyVerdicts(weeks=weeks, earlier_weeks_left_out=total - shown)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _as_day(value: dt.datetime | dt.date) -> dt.date:
    # TruncWeek gives an aware datetime in the current time zone on a DateTimeField.
    return timezone.localtime(value).date() if isinstance(value, dt.datetime) else value


def verdicts_by_rating(scope: DeskScope) -> dict[Rating, int]:
    """Published verdicts per rating, every rating present, in the scale's order (one query)."""
    rows = (
        published_in_scope(scope)
        .annotate(verdict=published_verdict())
        .order_by()
        .values("verdict")
        .annotate(count=Count("pk"))
    )
    counts = {row["verdict"]: row["count"] for row in rows}
    return {rating: counts.get(rating.value, 0) for rating in Rating}


def triage_to_publication(scope: DeskScope) -> Span | None:
    """The median time from a claim's triage (its ``triage`` workflow event) to its
    publication, over the claims published in the range that were triaged on the desk; claims
    that arrived already triaged (imports) have no such event and are left out (one query)."""
    triaged_at = (
        WorkflowEvent.objects.filter(claim_id=OuterRef("pk"), action=WorkflowAction.TRIAGE)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    claims = published_in_scope(scope).annotate(triaged_at=Subquery(triaged_at))
    return median_seconds(claims, start="triaged_at", end="published_at").get(None)
