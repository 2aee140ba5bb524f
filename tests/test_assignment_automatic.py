"""Automatic assignment: a triaged claim is queued, and the ``assign_claims`` task gives it the
reviewers it needs.

Who gets it: available reviewers below capacity, best first by matching expertise, then load,
then how long they have been idle; never the submitter, never someone who declined or reviewed
it. When nobody is free the claim waits, and it is assigned as soon as someone is (a review
submitted, a decline, a reviewer back from away, the periodic sweep). Who may be chosen at
all is the eligibility rule, tested case by case in ``test_assignment_eligibility.py``.

On-commit callbacks run only inside ``django_capture_on_commit_callbacks(execute=True)``; the
test settings run Celery tasks eagerly, so the tasks run there, inline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from unittest import mock

import pytest
from django.test import override_settings
from django.utils import timezone

from claims.models import Claim, ClaimState, Priority, Topic
from tests import factories
from tests.conftest import submit_review
from verification import services, tasks
from verification.models import (
    Assignment,
    AssignmentState,
    Availability,
    EmailLog,
    Review,
    ReviewerProfile,
)
from verification.selectors import can_see_verdicts, reviews_visible_to
from verification.services.auto_assign import ACTIVE_STATES

pytestmark = pytest.mark.django_db

Triage = Callable[[Claim], Claim]


@pytest.fixture
def health(db) -> Topic:
    return factories.TopicFactory(name="Health")


@pytest.fixture
def defence(db) -> Topic:
    return factories.TopicFactory(name="Defence")


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Run what the services leave for after commit (tasks, eagerly), as a worker would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def triage(editor, capture) -> Triage:
    def run(claim: Claim) -> Claim:
        with capture():
            services.claim_triage(actor=editor, claim=claim)
        return Claim.objects.get(pk=claim.pk)

    return run


def make_reviewer(
    username: str,
    *,
    capacity: int = 3,
    expertise: Iterable[Topic] = (),
    availability: str = Availability.AVAILABLE,
):
    user = factories.ReviewerFactory(
        username=username, profile__capacity=capacity, profile__availability=availability
    )
    user.reviewer_profile.expertise.set(list(expertise))
    return user


def make_claim(submitter, *, priority: str = Priority.NORMAL, topics: Iterable[Topic] = ()):
    claim = factories.ClaimFactory(submitted_by=submitter, priority=priority)
    claim.topics.set(list(topics))
    return claim


def give_open_work(reviewer, count: int, *, created_at: dt.datetime | None = None) -> None:
    """Open (offered) assignments on claims of their own, to load a reviewer."""
    for _ in range(count):
        other = factories.ClaimFactory()
        assignment = Assignment.objects.create(
            claim=other, reviewer=reviewer, due_at=timezone.now() + dt.timedelta(days=3)
        )
        if created_at is not None:
            Assignment.objects.filter(pk=assignment.pk).update(created_at=created_at)


def last_assigned(reviewer, when: dt.datetime) -> None:
    """A closed assignment created at ``when``: the reviewer has been idle since then."""
    other = factories.ClaimFactory()
    assignment = Assignment.objects.create(
        claim=other,
        reviewer=reviewer,
        state=AssignmentState.SUBMITTED,
        due_at=when + dt.timedelta(days=3),
    )
    Assignment.objects.filter(pk=assignment.pk).update(created_at=when)


def active_reviewers(claim: Claim) -> list[str]:
    claim.refresh_from_db()
    return sorted(
        Assignment.objects.filter(
            claim=claim, review_round=claim.review_round, state__in=ACTIVE_STATES
        ).values_list("reviewer__username", flat=True)
    )


def open_assignment(claim: Claim, reviewer) -> Assignment:
    return Assignment.objects.get(
        claim=claim, reviewer=reviewer, state__in=[AssignmentState.OFFERED]
    )


def sweep_as_beat_would() -> dict[str, int]:
    """The periodic sweep, run once the claims have waited past its grace period."""
    later = timezone.now() + tasks.SWEEP_GRACE + dt.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        return tasks.sweep_pending_work()


def review_unverifiable(reviewer, claim: Claim, capture) -> Review:
    with capture():
        return submit_review(
            reviewer,
            open_assignment(claim, reviewer),
            "unverifiable",
            "low",
            "No record either way.",
        )


# --- Who is chosen ------------------------------------------------------------------------


def test_triage_assigns_the_claim_and_starts_research(submitter, triage):
    chosen = make_reviewer("alice")

    claim = triage(make_claim(submitter))

    assert claim.state == ClaimState.IN_RESEARCH
    assignment = Assignment.objects.get(claim=claim)
    assert (assignment.reviewer, assignment.state, assignment.assigned_by) == (
        chosen,
        AssignmentState.OFFERED,
        None,
    )
    assert assignment.review_round == 1
    assert "Assigned automatically to alice" in assignment.events.get(action="assign").note


def test_matching_expertise_wins_over_a_lighter_load_and_a_longer_idle(submitter, triage, health):
    expert = make_reviewer("expert", expertise=[health])
    give_open_work(expert, 2)
    last_assigned(expert, timezone.now() - dt.timedelta(hours=1))
    make_reviewer("generalist")  # no work at all, never assigned

    claim = triage(make_claim(submitter, topics=[health]))

    assert active_reviewers(claim) == ["expert"]


def test_more_matching_topics_win_over_fewer(submitter, triage, health, defence):
    make_reviewer("one_topic", expertise=[health])
    make_reviewer("two_topics", expertise=[health, defence])

    claim = triage(make_claim(submitter, topics=[health, defence]))

    assert active_reviewers(claim) == ["two_topics"]


def test_among_equal_experts_the_least_loaded_wins_over_the_longest_idle(submitter, triage, health):
    long_ago = timezone.now() - dt.timedelta(days=30)
    # Idle for longer (its open work is a month old) but carrying two claims.
    busy = make_reviewer("busy", expertise=[health])
    give_open_work(busy, 2, created_at=long_ago)
    lighter = make_reviewer("lighter", expertise=[health])
    give_open_work(lighter, 1)

    claim = triage(make_claim(submitter, topics=[health]))

    assert active_reviewers(claim) == ["lighter"]


def test_among_equally_loaded_experts_the_longest_idle_wins(submitter, triage):
    now = timezone.now()
    # Created first, so a primary-key tie-break would pick them: it must not come to that.
    recent = make_reviewer("recent")
    last_assigned(recent, now - dt.timedelta(hours=2))
    idle = make_reviewer("idle")
    last_assigned(idle, now - dt.timedelta(days=9))

    claim = triage(make_claim(submitter))

    assert active_reviewers(claim) == ["idle"]


def test_a_reviewer_never_assigned_counts_as_the_longest_idle(submitter, triage):
    veteran = make_reviewer("veteran")
    last_assigned(veteran, timezone.now() - dt.timedelta(days=365))
    make_reviewer("newcomer")

    claim = triage(make_claim(submitter))

    assert active_reviewers(claim) == ["newcomer"]


def test_the_submitter_is_never_given_their_own_claim(submitter, triage, health):
    # The submitter is a reviewer who would otherwise rank first on every count.
    submitter.reviewer_profile.expertise.set([health])
    make_reviewer("other")

    claim = triage(make_claim(submitter, topics=[health]))

    assert active_reviewers(claim) == ["other"]


def test_an_away_reviewer_is_skipped(submitter, triage, health):
    make_reviewer("away", expertise=[health], availability=Availability.AWAY)
    make_reviewer("in_office")

    claim = triage(make_claim(submitter, topics=[health]))

    assert active_reviewers(claim) == ["in_office"]


def test_a_reviewer_at_capacity_is_skipped(submitter, triage, health):
    full = make_reviewer("full", capacity=2, expertise=[health])
    give_open_work(full, 2)
    make_reviewer("has_room")

    claim = triage(make_claim(submitter, topics=[health]))

    assert active_reviewers(claim) == ["has_room"]
    assert Assignment.objects.filter(reviewer=full, state=AssignmentState.OFFERED).count() == 2


def test_a_reviewer_is_never_given_more_claims_than_their_capacity(submitter, triage):
    only = make_reviewer("only", capacity=2)

    claims = [triage(make_claim(submitter)) for _ in range(3)]

    assert [active_reviewers(c) for c in claims] == [["only"], ["only"], []]
    assert Assignment.objects.filter(reviewer=only).count() == 2
    assert claims[2].state == ClaimState.TRIAGED
    assert list(services.claims_waiting_for_reviewers()) == [claims[2]]


def test_a_normal_claim_gets_one_reviewer(submitter, triage):
    for name in ("a", "b", "c"):
        make_reviewer(name)

    claim = triage(make_claim(submitter))

    assert claim.required_reviews == 1
    assert len(active_reviewers(claim)) == 1


def test_a_high_priority_claim_gets_two_independent_reviewers_by_default(submitter, triage):
    for name in ("a", "b", "c"):
        make_reviewer(name)

    claim = triage(make_claim(submitter, priority=Priority.HIGH))

    assert claim.required_reviews == 2
    assert active_reviewers(claim) == ["a", "b"]


@override_settings(
    REVIEWS_REQUIRED_BY_PRIORITY={"low": 1, "normal": 1, "high": 3, "urgent": 2},
)
def test_the_number_of_reviewers_for_high_priority_comes_from_the_settings(submitter, triage):
    for name in ("a", "b", "c", "d"):
        make_reviewer(name)

    claim = triage(make_claim(submitter, priority=Priority.HIGH))

    assert claim.required_reviews == 3
    assert active_reviewers(claim) == ["a", "b", "c"]


@override_settings(
    TURNAROUND_HOURS_BY_PRIORITY={"low": 100, "normal": 50, "high": 20, "urgent": 5},
)
@pytest.mark.parametrize(
    ("priority", "hours"),
    [(Priority.LOW, 100), (Priority.NORMAL, 50), (Priority.HIGH, 20), (Priority.URGENT, 5)],
)
def test_the_due_date_comes_from_the_priority_turnaround(submitter, triage, priority, hours):
    make_reviewer("a")
    make_reviewer("b")
    before = timezone.now()

    claim = triage(make_claim(submitter, priority=priority))

    after = timezone.now()
    due_dates = list(Assignment.objects.filter(claim=claim).values_list("due_at", flat=True))
    assert due_dates
    turnaround = dt.timedelta(hours=hours)
    for due_at in due_dates:
        assert before + turnaround <= due_at <= after + turnaround


# --- Waiting, and being picked up ----------------------------------------------------------


def test_with_nobody_free_the_claim_stays_triaged_and_waits(submitter, triage):
    make_reviewer("away", availability=Availability.AWAY)

    claim = triage(make_claim(submitter))

    assert claim.state == ClaimState.TRIAGED
    assert not Assignment.objects.filter(claim=claim).exists()
    assert list(services.claims_waiting_for_reviewers()) == [claim]


def test_with_one_reviewer_free_a_two_review_claim_is_half_assigned_and_waits(submitter, triage):
    make_reviewer("only")

    claim = triage(make_claim(submitter, priority=Priority.HIGH))

    assert claim.state == ClaimState.IN_RESEARCH
    assert active_reviewers(claim) == ["only"]
    assert list(services.claims_waiting_for_reviewers()) == [claim]


def test_a_waiting_claim_is_assigned_when_a_review_frees_its_reviewer(submitter, triage, capture):
    busy = make_reviewer("busy", capacity=1)
    first = triage(make_claim(submitter))
    waiting = triage(make_claim(submitter))
    assert (active_reviewers(first), waiting.state) == (["busy"], ClaimState.TRIAGED)

    review_unverifiable(busy, first, capture)

    assert active_reviewers(waiting) == ["busy"]
    assert waiting.state == ClaimState.IN_RESEARCH
    assert Claim.objects.get(pk=first.pk).state == ClaimState.IN_REVIEW


def test_a_waiting_claim_is_assigned_when_its_would_be_reviewer_declines_other_work(
    submitter, triage, capture
):
    busy = make_reviewer("busy", capacity=1)
    first = triage(make_claim(submitter))
    waiting = triage(make_claim(submitter))
    assert waiting.state == ClaimState.TRIAGED

    with capture():
        services.assignment_decline(actor=busy, assignment=open_assignment(first, busy))

    assert active_reviewers(waiting) == ["busy"]
    # The declined claim is never offered back to the one who declined it: it waits.
    assert active_reviewers(first) == []
    assert list(services.claims_waiting_for_reviewers()) == [Claim.objects.get(pk=first.pk)]


def test_a_waiting_claim_is_assigned_when_a_reviewer_comes_back(submitter, triage, capture):
    away = make_reviewer("away", availability=Availability.AWAY)
    claim = triage(make_claim(submitter))
    assert claim.state == ClaimState.TRIAGED

    profile = ReviewerProfile.objects.get(user=away)
    profile.availability = Availability.AVAILABLE
    with capture():
        services.reviewer_profile_save(actor=away, profile=profile)

    assert active_reviewers(claim) == ["away"]
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.IN_RESEARCH


def test_a_reviewer_who_stays_away_does_not_trigger_an_assignment(submitter, triage, capture):
    away = make_reviewer("away", availability=Availability.AWAY)
    claim = triage(make_claim(submitter))

    profile = ReviewerProfile.objects.get(user=away)
    profile.capacity = 5
    with capture():
        services.reviewer_profile_save(actor=away, profile=profile)

    assert active_reviewers(claim) == []


def test_the_periodic_sweep_assigns_a_claim_once_someone_has_room(submitter, triage, capture):
    full = make_reviewer("full", capacity=1)
    give_open_work(full, 1)
    claim = triage(make_claim(submitter))
    assert claim.state == ClaimState.TRIAGED
    # Capacity raised behind the services' back (a data fix): only the sweep notices.
    ReviewerProfile.objects.filter(user=full).update(capacity=2)

    with capture():
        sweep_as_beat_would()

    assert active_reviewers(claim) == ["full"]


def test_a_decline_reassigns_the_claim_to_someone_else(submitter, triage, capture, health):
    first = make_reviewer("first", expertise=[health])
    make_reviewer("second")
    claim = triage(make_claim(submitter, topics=[health]))
    assert active_reviewers(claim) == ["first"]

    with capture():
        services.assignment_decline(
            actor=first, assignment=open_assignment(claim, first), reason="Conflict of interest."
        )

    assert active_reviewers(claim) == ["second"]
    assert Assignment.objects.get(claim=claim, reviewer=first).state == AssignmentState.DECLINED


def test_a_reviewer_who_declined_or_reviewed_is_not_chosen_after_a_reopen(
    submitter, editor, other_editor, triage, capture, health, defence
):
    decliner = make_reviewer("decliner", expertise=[health, defence])
    reviewed = make_reviewer("reviewed", expertise=[health])
    make_reviewer("fresh")
    claim = triage(make_claim(submitter, topics=[health, defence]))
    with capture():
        services.assignment_decline(actor=decliner, assignment=open_assignment(claim, decliner))
    assert active_reviewers(claim) == ["reviewed"]
    review_unverifiable(reviewed, claim, capture)
    with capture():
        services.claim_publish(actor=other_editor, claim=claim)

    with capture():
        services.claim_reopen(actor=editor, claim=claim, reason="New figures were released.")

    claim.refresh_from_db()
    assert (claim.state, claim.review_round) == (ClaimState.IN_RESEARCH, 2)
    assert active_reviewers(claim) == ["fresh"]


def test_a_reviewer_who_declined_an_earlier_round_is_not_chosen_after_a_send_back(
    submitter, editor, triage, capture, health, defence
):
    decliner = make_reviewer("decliner", expertise=[health, defence])
    reviewed = make_reviewer("reviewed", expertise=[health])
    claim = triage(make_claim(submitter, topics=[health, defence]))
    with capture():
        services.assignment_decline(actor=decliner, assignment=open_assignment(claim, decliner))
    review_unverifiable(reviewed, claim, capture)
    with capture():
        services.claim_send_back(actor=editor, claim=claim, note="Find the original table.")
    # The last round's reviewer is offered the new round; they decline it.
    assert active_reviewers(claim) == ["reviewed"]
    with capture():
        services.assignment_decline(actor=reviewed, assignment=open_assignment(claim, reviewed))
    assert active_reviewers(claim) == []

    make_reviewer("fresh")
    with capture():
        sweep_as_beat_would()

    assert active_reviewers(claim) == ["fresh"]
    assert not Assignment.objects.filter(claim=claim, reviewer=decliner, review_round=2).exists()


def test_assigning_again_changes_nothing_and_sends_nothing(submitter, triage, capture, mailoutbox):
    make_reviewer("a")
    make_reviewer("b")
    claim = triage(make_claim(submitter, priority=Priority.HIGH))
    before = (
        list(Assignment.objects.order_by("pk").values_list("pk", "reviewer_id", "state")),
        EmailLog.objects.count(),
        len(mailoutbox),
    )
    assert before[1] == before[2] == 2

    with capture():
        made = services.claim_auto_assign(claim_id=claim.pk)
        tasks.assign_claims.delay([claim.pk])
        tasks.assign_waiting_claims.delay()

    assert made == []
    after = (
        list(Assignment.objects.order_by("pk").values_list("pk", "reviewer_id", "state")),
        EmailLog.objects.count(),
        len(mailoutbox),
    )
    assert after == before


def test_assigning_a_half_assigned_claim_again_changes_nothing(submitter, triage, capture):
    make_reviewer("only")
    claim = triage(make_claim(submitter, priority=Priority.HIGH))
    assert active_reviewers(claim) == ["only"]

    with capture():
        assert services.claim_auto_assign(claim_id=claim.pk) == []

    assert Assignment.objects.filter(claim=claim).count() == 1


@pytest.mark.parametrize("state", [ClaimState.NEW, ClaimState.DISMISSED])
def test_a_claim_that_is_not_queued_is_not_assigned(submitter, editor, state):
    make_reviewer("a")
    claim = make_claim(submitter)
    if state == ClaimState.DISMISSED:
        services.claim_dismiss(actor=editor, claim=claim, reason="Opinion.")

    assert services.claim_auto_assign(claim_id=claim.pk) == []
    assert not Assignment.objects.filter(claim=claim).exists()


def test_reviewers_of_the_same_claim_stay_blind_to_each_other(submitter, triage, capture):
    first = make_reviewer("first")
    second = make_reviewer("second")
    claim = triage(make_claim(submitter, priority=Priority.HIGH))
    assert active_reviewers(claim) == ["first", "second"]

    own = review_unverifiable(first, claim, capture)

    claim.refresh_from_db()
    assert list(reviews_visible_to(second).filter(claim=claim)) == []
    assert not can_see_verdicts(second, claim)
    assert list(reviews_visible_to(first).filter(claim=claim)) == [own]

    theirs = review_unverifiable(second, claim, capture)

    claim.refresh_from_db()
    assert set(reviews_visible_to(second).filter(claim=claim)) == {own, theirs}
    assert can_see_verdicts(second, claim)
