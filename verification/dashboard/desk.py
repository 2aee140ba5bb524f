"""The desk's figures: claims by state with the backlog's age, overdue work, the sign-off queue
and the desk's agreement. Each function costs a fixed number of queries, whatever the desk's
size (the module's tests count them)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from claims.models import RATING_ORDINAL, Claim, ClaimState
from verification import agreement, selectors
from verification.dashboard.aggregates import median_seconds, now_value
from verification.dashboard.scope import DeskScope
from verification.models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    Review,
    WorkflowAction,
    WorkflowEvent,
)

# The backlog: states in which a claim waits for the desk to act. Dismissed and published
# claims are done; their age says nothing about the work still to do.
WAITING_STATES = (
    ClaimState.NEW,
    ClaimState.TRIAGED,
    ClaimState.IN_RESEARCH,
    ClaimState.IN_REVIEW,
)

# Claims are dated by when they were submitted: "the claims submitted in March, where do they
# stand now?"
CLAIMS_DATED_BY = "created_at"


@dataclass(frozen=True)
class StateFigure:
    """Claims in one state; for a waiting state, how long they have been on the desk."""

    state: ClaimState
    count: int
    oldest_age: float | None = None  # seconds since the oldest was submitted
    median_age: float | None = None

    @property
    def is_waiting(self) -> bool:
        return self.state in WAITING_STATES


def claims_in_scope(scope: DeskScope) -> QuerySet[Claim]:
    return scope.claims(Claim.objects.all(), dated_by=CLAIMS_DATED_BY)


def claims_by_state(scope: DeskScope) -> list[StateFigure]:
    """Every state, in workflow order, with its count and, for the backlog, the age of its
    oldest claim and the median age (two queries)."""
    claims = claims_in_scope(scope).order_by()
    rows = {
        row["state"]: row
        for row in claims.values("state").annotate(count=Count("pk"), oldest=Min("created_at"))
    }
    medians = median_seconds(
        claims.filter(state__in=WAITING_STATES),
        start="created_at",
        end=now_value(scope.now),
        group_by="state",
    )
    figures = []
    for state in ClaimState:
        row = rows.get(state.value)
        if row is None:
            figures.append(StateFigure(state=state, count=0))
            continue
        waiting = state in WAITING_STATES
        figures.append(
            StateFigure(
                state=state,
                count=row["count"],
                oldest_age=(scope.now - row["oldest"]).total_seconds() if waiting else None,
                median_age=medians[state.value].seconds if state.value in medians else None,
            )
        )
    return figures


@dataclass(frozen=True)
class OverdueFigure:
    """Work past its due date (open assignments of claims with the topic; the date range does
    not apply: overdue is about now)."""

    open_assignments: int
    overdue_assignments: int
    claims_with_overdue_work: int
    most_late: list[Assignment]


def overdue_work(scope: DeskScope, *, limit: int = 10) -> OverdueFigure:
    """Open and overdue assignments and the ``limit`` most overdue (three queries)."""
    open_count = scope.rows(
        Assignment.objects.filter(state__in=OPEN_ASSIGNMENT_STATES), dated_by=None
    ).count()
    late = scope.rows(selectors.overdue_assignments(now=scope.now), dated_by=None)
    counts = late.order_by().aggregate(
        assignments=Count("pk"), claims=Count("claim_id", distinct=True)
    )
    return OverdueFigure(
        open_assignments=open_count,
        overdue_assignments=counts["assignments"],
        claims_with_overdue_work=counts["claims"],
        most_late=list(late.order_by("due_at", "pk")[:limit]),
    )


def signoff_queue(scope: DeskScope, *, limit: int = 10) -> list[Claim]:
    """The claims waiting longest for an editor's sign-off, with ``waiting_since`` (when their
    reviews were in) and ``current_reviews`` (one query)."""
    ready_at = (
        WorkflowEvent.objects.filter(
            claim_id=OuterRef("pk"), action=WorkflowAction.SUBMIT_FOR_SIGNOFF
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    current = Review.objects.filter(claim_id=OuterRef("pk"), review_round=OuterRef("review_round"))
    return list(
        claims_in_scope(scope)
        .filter(state=ClaimState.IN_REVIEW)
        .annotate(
            waiting_since=Coalesce(Subquery(ready_at), F("updated_at")),
            current_reviews=Subquery(
                current.order_by().values("claim_id").annotate(n=Count("pk")).values("n")[:1]
            ),
        )
        .order_by("waiting_since", "pk")[:limit]
    )


@dataclass(frozen=True)
class AgreementFigure:
    """Krippendorff's ordinal alpha: the whole desk's, and (when filtered) that of the claims
    the filters select."""

    desk: float | None
    in_scope: float | None
    filtered: bool


def desk_agreement(scope: DeskScope) -> AgreementFigure:
    """The desk's figure is :func:`verification.selectors.desk_agreement` (the API's); the
    filtered one is the same coefficient over the current-round firm ratings of the claims in
    scope (one query each)."""
    desk = selectors.desk_agreement()
    if not scope.is_filtered:
        return AgreementFigure(desk=desk, in_scope=desk, filtered=False)
    ratings = (
        Review.objects.filter(
            claim__in=claims_in_scope(scope).values("pk"),
            review_round=F("claim__review_round"),
        )
        .order_by()
        .values_list("claim_id", "rating")
    )
    units: dict[int, list[int]] = {}
    for claim_id, rating in ratings:
        if rating in RATING_ORDINAL:
            units.setdefault(claim_id, []).append(RATING_ORDINAL[rating])
    return AgreementFigure(desk=desk, in_scope=agreement.alpha(list(units.values())), filtered=True)
