"""What happens to an offer: the reviewer accepts or declines it, an editor withdraws it, or it
expires. Only the assigned reviewer answers an offer; only an editor (or the system) takes it back.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.exceptions import WorkflowConflict
from claims.models import Claim, ClaimState
from tests.conftest import recorded_move, submit_review
from verification import services
from verification.models import Assignment, AssignmentState, WorkflowAction, WorkflowEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted_assignment(assignment, reviewer) -> Assignment:
    return services.assignment_accept(actor=reviewer, assignment=assignment)


def _snapshot(assignment: Assignment) -> tuple[str, str, int]:
    fresh = Assignment.objects.get(pk=assignment.pk)
    return fresh.state, fresh.reason, WorkflowEvent.objects.count()


def test_assigned_reviewer_accepts_an_offer(assignment, reviewer):
    services.assignment_accept(actor=reviewer, assignment=assignment)

    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED
    assert assignment.responded_at is not None
    assert assignment.closed_at is None
    event = assignment.events.get(action=WorkflowAction.ACCEPT)
    assert (event.actor, event.from_state, event.to_state, event.claim_id) == (
        reviewer,
        AssignmentState.OFFERED,
        AssignmentState.ACCEPTED,
        assignment.claim_id,
    )


def test_assigned_reviewer_declines_an_offer_with_a_reason(assignment, reviewer):
    services.assignment_decline(actor=reviewer, assignment=assignment, reason=" Conflict. ")

    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.DECLINED
    assert assignment.reason == "Conflict."
    assert assignment.responded_at is not None
    assert assignment.closed_at is not None
    assert recorded_move(assignment, WorkflowAction.DECLINE) == {
        "actor": reviewer,
        "from_state": AssignmentState.OFFERED,
        "to_state": AssignmentState.DECLINED,
        "note": "Conflict.",
    }
    # The claim waits for another reviewer; it does not move back.
    assert Claim.objects.get(pk=assignment.claim_id).state == ClaimState.IN_RESEARCH


def test_a_decline_without_a_reason_is_recorded_as_declined(assignment, reviewer):
    services.assignment_decline(actor=reviewer, assignment=assignment)

    assignment.refresh_from_db()
    assert (assignment.state, assignment.reason) == (AssignmentState.DECLINED, "Declined.")


# Each move on an offer as someone may try it; who may not, and what they are told.
MADE_BY = {
    "accept": lambda actor, a: services.assignment_accept(actor=actor, assignment=a),
    "decline": lambda actor, a: services.assignment_decline(
        actor=actor, assignment=a, reason="No."
    ),
    "withdraw": lambda actor, a: services.assignment_withdraw(
        actor=actor, assignment=a, reason="Mine now."
    ),
    "expire": lambda actor, a: services.assignment_expire(
        actor=actor, assignment=a, reason="Overdue."
    ),
}
NOT_THEIRS = [
    *(
        (move, who, "Only the assigned reviewer")
        for move in ("accept", "decline")
        for who in ("second_reviewer", "editor", "outsider")
    ),
    *(
        ("withdraw", who, "Only an editor may withdraw")
        for who in ("reviewer", "second_reviewer", "outsider")
    ),
    *(("expire", who, "Only an editor may expire") for who in ("reviewer", "outsider")),
]


@pytest.mark.parametrize(("move", "who", "refusal"), NOT_THEIRS)
def test_only_the_assigned_reviewer_answers_and_only_an_editor_takes_back_an_offer(
    move, who, refusal, request, assignment
):
    actor = request.getfixturevalue(who)
    before = _snapshot(assignment)

    with pytest.raises(PermissionDenied, match=refusal):
        MADE_BY[move](actor, assignment)

    assert _snapshot(assignment) == before


@pytest.mark.parametrize("fixture", ["assignment", "accepted_assignment"])
def test_editor_withdraws_an_open_assignment_with_a_reason(fixture, request, editor):
    assignment = request.getfixturevalue(fixture)
    from_state = Assignment.objects.get(pk=assignment.pk).state

    services.assignment_withdraw(actor=editor, assignment=assignment, reason="Reassigning.")

    assignment.refresh_from_db()
    assert (assignment.state, assignment.reason) == (AssignmentState.WITHDRAWN, "Reassigning.")
    assert assignment.closed_at is not None
    assert recorded_move(assignment, WorkflowAction.WITHDRAW) == {
        "actor": editor,
        "from_state": from_state,
        "to_state": AssignmentState.WITHDRAWN,
        "note": "Reassigning.",
    }


def test_withdrawal_without_a_reason_is_refused(assignment, editor):
    before = _snapshot(assignment)

    with pytest.raises(ValidationError) as refused:
        services.assignment_withdraw(actor=editor, assignment=assignment, reason="  ")

    assert "reason" in refused.value.message_dict
    assert _snapshot(assignment) == before


@pytest.mark.parametrize("fixture", ["assignment", "accepted_assignment"])
def test_an_open_assignment_expires_without_an_actor(fixture, request):
    assignment = request.getfixturevalue(fixture)

    services.assignment_expire(actor=None, assignment=assignment, reason="Overdue by 2 days.")

    assignment.refresh_from_db()
    assert (assignment.state, assignment.reason) == (AssignmentState.EXPIRED, "Overdue by 2 days.")
    assert assignment.closed_at is not None
    event = assignment.events.get(action=WorkflowAction.EXPIRE)
    assert (event.actor, event.to_state) == (None, AssignmentState.EXPIRED)


def test_editor_can_expire_an_assignment(assignment, editor):
    services.assignment_expire(actor=editor, assignment=assignment, reason="Overdue.")

    assert assignment.events.get(action=WorkflowAction.EXPIRE).actor == editor
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.EXPIRED


def _bring_to(state: str, assignment: Assignment, reviewer, editor, evidence) -> Assignment:
    """Move the fixture's offered assignment to ``state`` through the services."""
    moves: dict[str, Callable[[], Assignment | object]] = {
        AssignmentState.OFFERED: lambda: assignment,
        AssignmentState.ACCEPTED: lambda: services.assignment_accept(
            actor=reviewer, assignment=assignment
        ),
        AssignmentState.DECLINED: lambda: services.assignment_decline(
            actor=reviewer, assignment=assignment
        ),
        AssignmentState.SUBMITTED: lambda: submit_review(
            reviewer, assignment, "true", "high", "Matches the record.", [evidence]
        ),
        AssignmentState.EXPIRED: lambda: services.assignment_expire(
            actor=None, assignment=assignment, reason="Overdue."
        ),
        AssignmentState.WITHDRAWN: lambda: services.assignment_withdraw(
            actor=editor, assignment=assignment, reason="Reassigned."
        ),
    }
    moves[state]()
    fresh = Assignment.objects.get(pk=assignment.pk)
    assert fresh.state == state
    return fresh


# Each response, who makes it, and the states it may start from.
RESPONSES = {
    "accept": (
        lambda people, a: services.assignment_accept(actor=people["reviewer"], assignment=a),
        {AssignmentState.OFFERED},
    ),
    "decline": (
        lambda people, a: services.assignment_decline(actor=people["reviewer"], assignment=a),
        {AssignmentState.OFFERED},
    ),
    "withdraw": (
        lambda people, a: services.assignment_withdraw(
            actor=people["editor"], assignment=a, reason="Reassigning."
        ),
        {AssignmentState.OFFERED, AssignmentState.ACCEPTED},
    ),
    "expire": (
        lambda people, a: services.assignment_expire(actor=None, assignment=a, reason="Overdue."),
        {AssignmentState.OFFERED, AssignmentState.ACCEPTED},
    ),
}
ILLEGAL_RESPONSES = [
    (move, state)
    for move, (_call, allowed) in RESPONSES.items()
    for state in AssignmentState
    if state not in allowed
]


@pytest.mark.parametrize(("move", "state"), ILLEGAL_RESPONSES)
def test_a_response_is_refused_from_a_state_that_does_not_allow_it(
    move, state, assignment, reviewer, editor, evidence
):
    current = _bring_to(state, assignment, reviewer, editor, evidence)
    before = _snapshot(current)
    call, _allowed = RESPONSES[move]

    with pytest.raises(WorkflowConflict) as refused:
        call({"reviewer": reviewer, "editor": editor}, current)

    assert str(refused.value) == (
        f"Cannot {move} assignment #{current.pk}: it is {state.label.lower()}."
    )
    assert _snapshot(current) == before


def test_answering_an_offer_through_a_stale_copy_is_a_conflict(assignment, reviewer, editor):
    stale_copy = Assignment.objects.get(pk=assignment.pk)
    services.assignment_withdraw(actor=editor, assignment=assignment, reason="Reassigning.")

    with pytest.raises(WorkflowConflict, match="it is withdrawn"):
        services.assignment_accept(actor=reviewer, assignment=stale_copy)

    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.WITHDRAWN
