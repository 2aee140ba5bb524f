"""Assigning a claim to a reviewer; the first assignment starts research (triaged → in research).

Who may be given a claim: a reviewer who is in, did not submit it, does not already have it
open and has not reviewed or declined it this round, and only while the round has room.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from claims.exceptions import WorkflowConflict
from claims.models import Claim, ClaimState, Priority
from tests import factories
from tests.conftest import CLAIM_IN_STATE, submit_review
from verification import services
from verification.models import (
    Assignment,
    AssignmentState,
    Availability,
    WorkflowAction,
    WorkflowEvent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def high_priority_claim(submitter, editor) -> Claim:
    """Triaged, needing two independent reviews."""
    claim = factories.ClaimFactory(submitted_by=submitter, priority=Priority.HIGH)
    claim = services.claim_triage(actor=editor, claim=claim)
    assert claim.required_reviews == 2
    return claim


def _assignments_and_events() -> tuple[int, int]:
    return Assignment.objects.count(), WorkflowEvent.objects.count()


def test_first_assignment_moves_a_triaged_claim_to_research(triaged_claim, editor, reviewer):
    assignment = services.assignment_create(actor=editor, claim=triaged_claim, reviewer=reviewer)

    triaged_claim.refresh_from_db()
    assert triaged_claim.state == ClaimState.IN_RESEARCH
    assert (assignment.state, assignment.reviewer, assignment.assigned_by) == (
        AssignmentState.OFFERED,
        reviewer,
        editor,
    )
    assert assignment.review_round == triaged_claim.review_round == 1
    events = list(triaged_claim.events.exclude(action=WorkflowAction.CREATE))
    assert [(e.action, e.from_state, e.to_state, e.actor) for e in events] == [
        (WorkflowAction.TRIAGE, ClaimState.NEW, ClaimState.TRIAGED, editor),
        (WorkflowAction.ASSIGN, "", AssignmentState.OFFERED, editor),
        (WorkflowAction.START_RESEARCH, ClaimState.TRIAGED, ClaimState.IN_RESEARCH, editor),
    ]
    assert events[1].assignment == assignment


def test_a_second_assignment_leaves_a_claim_in_research_where_it_is(
    high_priority_claim, editor, reviewer, second_reviewer
):
    services.assignment_create(actor=editor, claim=high_priority_claim, reviewer=reviewer)

    services.assignment_create(actor=editor, claim=high_priority_claim, reviewer=second_reviewer)

    high_priority_claim.refresh_from_db()
    assert high_priority_claim.state == ClaimState.IN_RESEARCH
    assert high_priority_claim.events.filter(action=WorkflowAction.START_RESEARCH).count() == 1
    assert high_priority_claim.assignments.filter(state=AssignmentState.OFFERED).count() == 2


def test_automatic_assignment_records_no_assigner(triaged_claim, reviewer):
    assignment = services.assignment_create(actor=None, claim=triaged_claim, reviewer=reviewer)

    assert assignment.assigned_by is None
    assert triaged_claim.events.get(action=WorkflowAction.ASSIGN).actor is None
    assert Claim.objects.get(pk=triaged_claim.pk).state == ClaimState.IN_RESEARCH


@pytest.mark.parametrize("priority", Priority.values)
def test_due_date_is_the_priority_turnaround_from_now(priority, settings, submitter, editor):
    settings.TURNAROUND_HOURS_BY_PRIORITY = {"low": 120, "normal": 72, "high": 24, "urgent": 6}
    claim = services.claim_triage(
        actor=editor, claim=factories.ClaimFactory(submitted_by=submitter, priority=priority)
    )
    reviewer = factories.ReviewerFactory()
    frozen = dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.UTC)

    with mock.patch("django.utils.timezone.now", return_value=frozen):
        assignment = services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)

    hours = settings.TURNAROUND_HOURS_BY_PRIORITY[priority]
    assert assignment.due_at == frozen + dt.timedelta(hours=hours)
    assert Assignment.objects.get(pk=assignment.pk).due_at == frozen + dt.timedelta(hours=hours)


def test_a_given_due_date_is_kept(triaged_claim, editor, reviewer):
    due = timezone.now() + dt.timedelta(days=9)

    assignment = services.assignment_create(
        actor=editor, claim=triaged_claim, reviewer=reviewer, due_at=due
    )

    assert Assignment.objects.get(pk=assignment.pk).due_at == due


def test_a_due_date_in_the_past_is_refused(triaged_claim, editor, reviewer):
    before = _assignments_and_events()

    with pytest.raises(ValidationError) as refused:
        services.assignment_create(
            actor=editor,
            claim=triaged_claim,
            reviewer=reviewer,
            due_at=timezone.now() - dt.timedelta(hours=1),
        )

    assert "due_at" in refused.value.message_dict
    assert _assignments_and_events() == before
    assert Claim.objects.get(pk=triaged_claim.pk).state == ClaimState.TRIAGED


def _away(reviewer):
    reviewer.reviewer_profile.availability = Availability.AWAY
    reviewer.reviewer_profile.save()
    return reviewer


# Whom a triaged claim is never given (as the test's fixtures make them), and what is said.
NEVER_GIVEN = {
    "its submitter": (lambda people: people("submitter"), "submitted this claim"),
    "a reviewer who is away": (lambda people: _away(people("reviewer")), "is away"),
    "an outsider": (lambda people: people("outsider"), "is not a reviewer"),
    "an editor": (lambda people: people("other_editor"), "is not a reviewer"),
    "a reviewer without a profile": (
        lambda _: factories.UserFactory(username="groupie", roles=["reviewer"]),
        "no reviewer profile",
    ),
}


@pytest.mark.parametrize("whom", NEVER_GIVEN)
def test_claim_is_never_assigned_to(whom, request, triaged_claim, editor):
    make, refusal = NEVER_GIVEN[whom]
    person = make(request.getfixturevalue)
    before = _assignments_and_events()

    with pytest.raises(ValidationError, match=refusal):
        services.assignment_create(actor=editor, claim=triaged_claim, reviewer=person)

    assert _assignments_and_events() == before
    assert Claim.objects.get(pk=triaged_claim.pk).state == ClaimState.TRIAGED


def _offer(claim, editor, reviewer):
    return services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)


# What the reviewer did with the claim this round, and why they are not given it again.
NOT_AGAIN = {
    "has it open": (_offer, WorkflowConflict, "already has claim"),
    "declined it": (
        lambda claim, editor, reviewer: services.assignment_decline(
            actor=reviewer,
            assignment=_offer(claim, editor, reviewer),
            reason="Conflict of interest.",
        ),
        ValidationError,
        "already reviewed or declined",
    ),
    "reviewed it": (
        lambda claim, editor, reviewer: submit_review(
            reviewer,
            _offer(claim, editor, reviewer),
            "unverifiable",
            "low",
            "No records are public.",
        ),
        ValidationError,
        "already reviewed or declined",
    ),
}


@pytest.mark.parametrize("done", NOT_AGAIN)
def test_claim_is_never_given_again_this_round_to_a_reviewer_who(
    done, high_priority_claim, editor, reviewer
):
    do, error, refusal = NOT_AGAIN[done]
    do(high_priority_claim, editor, reviewer)
    before = _assignments_and_events()

    with pytest.raises(error, match=refusal):
        services.assignment_create(actor=editor, claim=high_priority_claim, reviewer=reviewer)

    assert _assignments_and_events() == before


def test_a_round_never_gets_more_reviewers_than_it_requires(
    high_priority_claim, editor, reviewer, second_reviewer
):
    services.assignment_create(actor=editor, claim=high_priority_claim, reviewer=reviewer)
    services.assignment_create(actor=editor, claim=high_priority_claim, reviewer=second_reviewer)
    third = factories.ReviewerFactory(username="reviewer3")
    before = _assignments_and_events()

    with pytest.raises(WorkflowConflict, match="already has its 2 reviewer"):
        services.assignment_create(actor=editor, claim=high_priority_claim, reviewer=third)

    assert _assignments_and_events() == before


def test_a_submitted_review_still_takes_a_place_in_the_round(
    high_priority_claim, editor, reviewer, second_reviewer
):
    first = services.assignment_create(actor=editor, claim=high_priority_claim, reviewer=reviewer)
    submit_review(reviewer, first, "unverifiable", "low", "No records are public.")
    services.assignment_create(actor=editor, claim=high_priority_claim, reviewer=second_reviewer)
    before = _assignments_and_events()

    with pytest.raises(WorkflowConflict, match="already has its 2 reviewer"):
        services.assignment_create(
            actor=editor, claim=high_priority_claim, reviewer=factories.ReviewerFactory()
        )

    assert _assignments_and_events() == before
    assert Claim.objects.get(pk=high_priority_claim.pk).state == ClaimState.IN_RESEARCH


def test_a_declined_offer_frees_its_place_in_the_round(
    claim_in_research, assignment, editor, reviewer, second_reviewer
):
    services.assignment_decline(actor=reviewer, assignment=assignment, reason="On leave.")

    replacement = services.assignment_create(
        actor=editor, claim=claim_in_research, reviewer=second_reviewer
    )

    assert replacement.state == AssignmentState.OFFERED
    assert replacement.review_round == 1


def test_a_withdrawn_assignment_frees_its_place_in_the_round(
    claim_in_research, assignment, editor, second_reviewer
):
    services.assignment_withdraw(actor=editor, assignment=assignment, reason="Too slow.")

    replacement = services.assignment_create(
        actor=editor, claim=claim_in_research, reviewer=second_reviewer
    )

    assert replacement.state == AssignmentState.OFFERED


@pytest.mark.parametrize("who", ["reviewer", "outsider"])
def test_only_an_editor_can_assign(who, request, triaged_claim, second_reviewer):
    actor = request.getfixturevalue(who)
    before = _assignments_and_events()

    with pytest.raises(PermissionDenied, match="Only an editor may assign"):
        services.assignment_create(actor=actor, claim=triaged_claim, reviewer=second_reviewer)

    assert _assignments_and_events() == before
    assert Claim.objects.get(pk=triaged_claim.pk).state == ClaimState.TRIAGED


@pytest.mark.parametrize(
    "state",
    [s for s in ClaimState if s not in (ClaimState.TRIAGED, ClaimState.IN_RESEARCH)],
)
def test_assignment_is_refused_unless_the_claim_is_triaged_or_in_research(state, request, editor):
    claim = request.getfixturevalue(CLAIM_IN_STATE[state])
    newcomer = factories.ReviewerFactory(username="newcomer")
    before = _assignments_and_events()

    with pytest.raises(WorkflowConflict) as refused:
        services.assignment_create(actor=editor, claim=claim, reviewer=newcomer)

    assert f"Cannot assign claim #{claim.pk}: it is {state.label.lower()}" in str(refused.value)
    assert _assignments_and_events() == before
    assert Claim.objects.get(pk=claim.pk).state == state
