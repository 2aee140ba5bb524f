"""The desk overview's figures on the small desk of ``tests/dashboard_desk.py``, built through
the services, with known times."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from claims.models import Claim, ClaimState, Rating
from tests.dashboard_desk import DAY, Desk, build_desk
from verification import agreement, selectors, services
from verification.dashboard import desk, reviewers, verdicts
from verification.dashboard.scope import DeskScope
from verification.models import (
    Review,
    WorkflowAction,
    WorkflowEvent,
)


@pytest.fixture
def small_desk(db) -> Desk:
    return build_desk()


# --- Claims by state and the backlog -------------------------------------------------------


def test_claims_are_counted_by_state_with_the_backlogs_age(small_desk):
    figures = {f.state: f for f in desk.claims_by_state(small_desk.scope())}

    assert [f.state for f in figures.values()] == list(ClaimState)
    assert {state: f.count for state, f in figures.items()} == {
        ClaimState.NEW: 2,
        ClaimState.TRIAGED: 1,
        ClaimState.DISMISSED: 1,
        ClaimState.IN_RESEARCH: 1,
        ClaimState.IN_REVIEW: 1,
        ClaimState.PUBLISHED: 2,
    }
    new = figures[ClaimState.NEW]
    assert new.oldest_age == pytest.approx(10 * 86400)
    assert new.median_age == pytest.approx(6 * 86400)  # A 10 days, B 2 days
    assert figures[ClaimState.IN_RESEARCH].median_age == pytest.approx(8 * 86400)
    assert figures[ClaimState.IN_REVIEW].oldest_age == pytest.approx(4 * 86400)


def test_finished_claims_have_no_backlog_age(small_desk):
    figures = {f.state: f for f in desk.claims_by_state(small_desk.scope())}

    for state in (ClaimState.DISMISSED, ClaimState.PUBLISHED):
        assert figures[state].oldest_age is None
        assert figures[state].median_age is None


def test_overdue_work_counts_open_assignments_past_their_due_date(small_desk):
    figure = desk.overdue_work(small_desk.scope())

    assert figure.open_assignments == 2  # E1 accepted, E2 offered
    assert figure.overdue_assignments == 1
    assert figure.claims_with_overdue_work == 1
    assert [a.pk for a in figure.most_late] == [small_desk.assignments["E1"].pk]


def test_the_signoff_queue_lists_claims_in_review_with_how_long_they_waited(small_desk):
    queue = desk.signoff_queue(small_desk.scope())

    assert [claim.pk for claim in queue] == [small_desk.claims["F"].pk]
    assert queue[0].waiting_since == small_desk.now - DAY
    assert queue[0].current_reviews == 1


def test_the_desk_agreement_is_the_apis_figure_and_narrows_with_the_filters(small_desk):
    whole = desk.desk_agreement(small_desk.scope())
    assert whole.desk == selectors.desk_agreement()
    assert whole.in_scope == whole.desk
    assert not whole.filtered

    on_war = desk.desk_agreement(small_desk.scope(topic=small_desk.war))
    war_units = [
        [agreement_value(r.rating) for r in Review.objects.filter(claim=claim)]
        for claim in Claim.objects.filter(topics=small_desk.war)
    ]
    assert on_war.filtered
    assert on_war.desk == whole.desk
    assert on_war.in_scope == agreement.alpha([u for u in war_units if u])


def agreement_value(rating: str) -> int:
    return Rating(rating).ordinal


# --- Reviewers -----------------------------------------------------------------------------


def test_each_reviewer_has_load_turnaround_and_agreement_with_published_verdicts(small_desk):
    rows = {f.user.username: f for f in reviewers.reviewer_figures(small_desk.scope())}

    assert list(rows) == ["dash-r1", "dash-r2", "dash-submitter"]
    r1, r2, submitter = rows["dash-r1"], rows["dash-r2"], rows["dash-submitter"]
    assert (r1.open_assignments, r1.capacity, r1.overdue_assignments) == (1, 3, 1)
    assert (r2.open_assignments, r2.overdue_assignments) == (1, 0)
    # r1: G offered 27 → reviewed 25 (2 days), H 37 → 36 (1 day).
    assert r1.reviews_submitted == 2
    assert r1.turnaround == pytest.approx(1.5 * 86400)
    # r2: F 3 → 1 (2 days), H 37 → 33 (4 days).
    assert r2.turnaround == pytest.approx(3 * 86400)
    # G was published "true" (the consensus): r1 agrees. H was published "false" by the
    # editor over a "mixed" consensus: r1 ("mostly true") differs, r2 ("false") agrees.
    assert (r1.reviews_agreeing, r1.reviews_behind_verdicts) == (1, 2)
    assert (r2.reviews_agreeing, r2.reviews_behind_verdicts) == (1, 1)
    assert r1.agreement_share == 0.5
    assert submitter.open_assignments == 0
    assert submitter.turnaround is None
    assert submitter.agreement_share is None


def test_agreement_counts_only_the_round_that_was_published(small_desk):
    # An earlier round's review (before a send-back) is on record but was not published.
    claim = small_desk.claims["G"]
    Review.objects.filter(claim=claim).update(review_round=1)
    Claim.objects.filter(pk=claim.pk).update(review_round=2)

    rows = {f.user.username: f for f in reviewers.reviewer_figures(small_desk.scope())}

    assert (rows["dash-r1"].reviews_agreeing, rows["dash-r1"].reviews_behind_verdicts) == (0, 1)


def test_a_reviewer_over_capacity_is_flagged(small_desk):
    services.assignment_create(
        actor=small_desk.editor, claim=small_desk.claims["C"], reviewer=small_desk.r1
    )
    # Nobody is assigned past their capacity; it can be lowered below their open work.
    small_desk.r1.reviewer_profile.__class__.objects.filter(user=small_desk.r1).update(capacity=1)

    row = reviewers.reviewer_figures(small_desk.scope(), reviewer_id=small_desk.r1.pk)[0]

    assert row.open_assignments == 2
    assert row.is_over_capacity


# --- Verdicts ------------------------------------------------------------------------------


def test_verdicts_by_rating_use_the_published_rating_before_the_consensus(small_desk):
    counts = verdicts.verdicts_by_rating(small_desk.scope())

    assert list(counts) == list(Rating)
    assert counts == {
        Rating.TRUE: 1,  # G: no published rating recorded, its consensus
        Rating.MOSTLY_TRUE: 0,
        Rating.MIXED: 0,  # H's consensus, overruled
        Rating.MOSTLY_FALSE: 0,
        Rating.FALSE: 1,  # H: the editor's rating
        Rating.UNVERIFIABLE: 0,
    }


def test_verdicts_are_counted_per_week_with_empty_weeks_in_between(small_desk):
    weekly = verdicts.verdicts_by_week(small_desk.scope())
    weeks = weekly.weeks

    today = timezone.localdate(small_desk.now)
    assert weeks[-1].monday == today - dt.timedelta(days=today.weekday())
    assert all(b.monday - a.monday == dt.timedelta(weeks=1) for a, b in itertools.pairwise(weeks))
    assert sum(w.count for w in weeks) == 2
    for name in "GH":
        day = timezone.localdate(small_desk.claims[name].published_at)
        (week,) = [w for w in weeks if w.monday <= day <= w.sunday]
        assert week.count == 1
    assert weekly.earlier_weeks_left_out == 0


def test_a_long_range_draws_only_the_latest_weeks(small_desk):
    start = timezone.localdate(small_desk.now) - dt.timedelta(days=800)

    weekly = verdicts.verdicts_by_week(small_desk.scope(start=start))

    assert len(weekly.weeks) == verdicts.MAX_WEEKS
    assert weekly.earlier_weeks_left_out > 0
    assert sum(w.count for w in weekly.weeks) == 2


def test_median_time_from_triage_to_publication_comes_from_the_triage_event(small_desk):
    span = verdicts.triage_to_publication(small_desk.scope())

    # G: triaged 28 days ago, published 20 (8 days); H: 38 and 6 (32 days).
    assert span.count == 2
    assert span.seconds == pytest.approx(20 * 86400)


def test_claims_without_a_triage_event_are_left_out_of_the_time_to_publish(small_desk):
    WorkflowEvent.objects.filter(
        claim=small_desk.claims["H"], action=WorkflowAction.TRIAGE
    ).delete()

    span = verdicts.triage_to_publication(small_desk.scope())

    assert span.count == 1
    assert span.seconds == pytest.approx(8 * 86400)


def test_an_empty_desk_has_no_figures_but_every_state(db):
    scope = DeskScope(now=timezone.now())

    assert [f.count for f in desk.claims_by_state(scope)] == [0] * len(ClaimState)
    assert verdicts.verdicts_by_week(scope).weeks == []
    assert verdicts.triage_to_publication(scope) is None
    assert desk.desk_agreement(scope).desk is None
    assert reviewers.reviewer_figures(scope) == []
