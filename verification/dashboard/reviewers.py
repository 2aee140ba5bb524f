"""Each reviewer's figures: load against capacity, overdue work, turnaround, and agreement with
the published verdicts. Four queries for the whole table, however many reviewers and
assignments there are.

- **Load** (open assignments, capacity, overdue) is the person's whole current load: capacity
  is about all their work, so neither the topic nor the date range applies.
- **Turnaround** is the median time from the offer (the assignment's creation) to the review,
  over assignments whose review was submitted in the date range, on claims with the topic.
- **Agreement** is the share of a reviewer's reviews behind a published verdict whose rating
  equals that verdict: reviews of the round that was published (earlier rounds were sent back
  or reopened) of claims published in the date range. The verdict is the rating the signing
  editor published when one was recorded, else the consensus
  (:func:`~verification.dashboard.aggregates.published_verdict`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F, Q, QuerySet

from claims.models import ClaimState
from verification import selectors
from verification.dashboard.aggregates import median_seconds, published_verdict
from verification.dashboard.scope import DeskScope
from verification.models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    AssignmentState,
    Availability,
    Review,
)

# How each part of the figures is dated by the date range.
TURNAROUND_DATED_BY = "closed_at"
AGREEMENT_DATED_BY = "claim__published_at"


@dataclass(frozen=True)
class ReviewerFigure:
    user: AbstractBaseUser
    capacity: int
    available: bool
    open_assignments: int
    overdue_assignments: int
    reviews_submitted: int = 0
    turnaround: float | None = None  # median seconds from offer to review
    reviews_behind_verdicts: int = 0
    reviews_agreeing: int = 0

    @property
    def agreement_share(self) -> float | None:
        if not self.reviews_behind_verdicts:
            return None
        return self.reviews_agreeing / self.reviews_behind_verdicts

    @property
    def is_over_capacity(self) -> bool:
        return self.open_assignments > self.capacity


def submitted_assignments(scope: DeskScope) -> QuerySet[Assignment]:
    """The assignments behind the turnaround figure."""
    return scope.rows(
        Assignment.objects.filter(state=AssignmentState.SUBMITTED), dated_by=TURNAROUND_DATED_BY
    )


def reviews_behind_verdicts(scope: DeskScope) -> QuerySet[Review]:
    """The reviews behind the agreement figure: the published round of published claims."""
    return scope.rows(
        Review.objects.filter(
            claim__state=ClaimState.PUBLISHED, review_round=F("claim__review_round")
        ),
        dated_by=AGREEMENT_DATED_BY,
    )


def reviewer_figures(scope: DeskScope, *, reviewer_id: int | None = None) -> list[ReviewerFigure]:
    """One figure per person with a reviewer profile, by username (or only ``reviewer_id``'s)."""
    people = selectors.reviewer_load().annotate(
        overdue_assignments=Count(
            "assignments",
            filter=Q(
                assignments__state__in=OPEN_ASSIGNMENT_STATES,
                assignments__due_at__lt=scope.now,
            ),
        )
    )
    submitted = submitted_assignments(scope)
    reviews = reviews_behind_verdicts(scope)
    if reviewer_id is not None:
        people = people.filter(pk=reviewer_id)
        submitted = submitted.filter(reviewer_id=reviewer_id)
        reviews = reviews.filter(reviewer_id=reviewer_id)

    turnaround = median_seconds(
        submitted, start="created_at", end="closed_at", group_by="reviewer_id"
    )
    agreement = {
        row["reviewer_id"]: row
        for row in reviews.order_by()
        .values("reviewer_id")
        .annotate(
            total=Count("pk"), agreeing=Count("pk", filter=Q(rating=published_verdict("claim__")))
        )
    }
    figures = []
    for person in people:
        profile = person.reviewer_profile
        span = turnaround.get(person.pk)
        verdicts = agreement.get(person.pk, {"total": 0, "agreeing": 0})
        figures.append(
            ReviewerFigure(
                user=person,
                capacity=profile.capacity,
                available=profile.availability == Availability.AVAILABLE,
                open_assignments=person.open_assignments,
                overdue_assignments=person.overdue_assignments,
                reviews_submitted=span.count if span else 0,
                turnaround=span.seconds if span else None,
                reviews_behind_verdicts=verdicts["total"],
                reviews_agreeing=verdicts["agreeing"],
            )
        )
    return figures
