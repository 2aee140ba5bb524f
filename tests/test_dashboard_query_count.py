"""The overview renders in a fixed number of queries, however large the desk: the same count
for the small desk and for one with many more claims, reviewers, assignments and reviews."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import ClaimState, Rating
from tests import factories
from tests.dashboard_desk import Desk, build_desk
from verification.models import (
    Assignment,
    AssignmentState,
    Review,
    WorkflowAction,
    WorkflowEvent,
)

# What the page costs: the session and user, the role check, the filter form's topics and
# languages, and the figures (claims by state 2, overdue work 3, sign-off queue 1, desk
# agreement 1-2, reviewers 3, verdicts 3). The bound leaves room for Django's own admin queries.
MAX_QUERIES = 23

RATINGS = list(Rating)


def grow(desk: Desk, *, claims_per_state: int = 8, reviewers: int = 12) -> None:
    """Many more rows of every kind the figures read, written directly (not through the
    services) so the test stays quick."""
    now = desk.now
    people = [factories.ReviewerFactory(username=f"bulk-r{i}") for i in range(reviewers)]
    cycle = itertools.cycle(people)
    rating = itertools.cycle(RATINGS)
    for state in ClaimState:
        for i in range(claims_per_state):
            claim = factories.ClaimFactory(
                state=state,
                submitted_by=desk.submitter,
                consensus_rating=next(rating) if state == ClaimState.PUBLISHED else "",
                published_at=now - dt.timedelta(days=i * 5)
                if state == ClaimState.PUBLISHED
                else None,
            )
            claim.topics.add(desk.aid if i % 2 else desk.war)
            WorkflowEvent.objects.create(
                claim=claim, action=WorkflowAction.TRIAGE, created_at=now - dt.timedelta(days=40)
            )
            if state in (ClaimState.IN_RESEARCH, ClaimState.IN_REVIEW, ClaimState.PUBLISHED):
                for j in range(2):
                    reviewer = next(cycle)
                    submitted = state != ClaimState.IN_RESEARCH
                    assignment = Assignment.objects.create(
                        claim=claim,
                        reviewer=reviewer,
                        state=AssignmentState.SUBMITTED if submitted else AssignmentState.ACCEPTED,
                        due_at=now + dt.timedelta(days=j * 2 - 1),
                        closed_at=now - dt.timedelta(days=i) if submitted else None,
                    )
                    if submitted:
                        Review.objects.create(
                            claim=claim,
                            assignment=assignment,
                            reviewer=reviewer,
                            rating=next(rating),
                            confidence="moderate",
                            rationale="Bulk review.",
                        )
            if state == ClaimState.IN_REVIEW:
                WorkflowEvent.objects.create(claim=claim, action=WorkflowAction.SUBMIT_FOR_SIGNOFF)


def count_queries(client, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:index"), params)
    assert response.status_code == 200
    assert "overview" in response.context
    return len(queries)


def filter_sets(desk: Desk) -> list[dict]:
    today = timezone.localdate(desk.now)
    return [
        {},
        {"topic": desk.aid.pk},
        {"start": (today - dt.timedelta(days=30)).isoformat(), "end": today.isoformat()},
        {"topic": desk.war.pk, "start": (today - dt.timedelta(days=400)).isoformat()},
        {"start": "not a date"},
    ]


def test_the_overview_costs_the_same_queries_for_a_small_and_a_large_desk(desk_and_client):
    desk, client = desk_and_client
    small = [count_queries(client, params) for params in filter_sets(desk)]

    grow(desk)
    large = [count_queries(client, params) for params in filter_sets(desk)]

    assert large == small
    assert max(small) <= MAX_QUERIES


def test_the_overview_stays_under_the_bound(desk_and_client, django_assert_max_num_queries):
    desk, client = desk_and_client
    grow(desk, claims_per_state=3, reviewers=4)

    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(reverse("admin:index"), {"topic": desk.war.pk})


def test_a_reviewers_own_figures_cost_the_same_queries_whatever_their_history(client, db):
    desk = build_desk()
    client.force_login(desk.r1)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("admin:index"))
        assert "my_figures" in response.context
        return len(queries)

    before = cost()
    grow(desk, reviewers=2)  # bulk-r0 and bulk-r1; r1 takes over bulk-r0's work
    for assignment in Assignment.objects.filter(reviewer__username="bulk-r0"):
        Assignment.objects.filter(pk=assignment.pk).update(reviewer=desk.r1)
    Review.objects.filter(reviewer__username="bulk-r0").update(reviewer=desk.r1)

    assert cost() == before


@pytest.mark.postgres
def test_medians_are_computed_by_postgresql(desk_and_client):
    _desk, client = desk_and_client

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("admin:index"))

    medians = [q["sql"] for q in queries if "percentile_cont" in q["sql"]]
    # Backlog ages, reviewers' turnaround, triage to publication.
    assert len(medians) == 3
