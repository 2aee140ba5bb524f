"""Dismissal (new → dismissed, with a reason) and restoring a dismissed claim (→ new)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.exceptions import WorkflowConflict
from claims.models import Claim, ClaimState
from tests.conftest import CLAIM_IN_STATE
from verification import services
from verification.models import WorkflowAction, WorkflowEvent

pytestmark = pytest.mark.django_db


def test_editor_dismisses_a_new_claim_with_a_reason(new_claim, editor):
    services.claim_dismiss(actor=editor, claim=new_claim, reason="  An opinion, not a fact. ")

    new_claim.refresh_from_db()
    assert new_claim.state == ClaimState.DISMISSED
    event = new_claim.events.get(action=WorkflowAction.DISMISS)
    assert (event.actor, event.from_state, event.to_state, event.note) == (
        editor,
        ClaimState.NEW,
        ClaimState.DISMISSED,
        "An opinion, not a fact.",
    )


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_dismissal_without_a_reason_is_refused(reason, new_claim, editor):
    with pytest.raises(ValidationError) as refused:
        services.claim_dismiss(actor=editor, claim=new_claim, reason=reason)

    assert "note" in refused.value.message_dict
    new_claim.refresh_from_db()
    assert new_claim.state == ClaimState.NEW
    assert not new_claim.events.filter(action=WorkflowAction.DISMISS).exists()


def test_editor_restores_a_dismissed_claim_to_new(dismissed_claim, editor):
    services.claim_restore(actor=editor, claim=dismissed_claim, note="Turns out it is checkable.")

    dismissed_claim.refresh_from_db()
    assert dismissed_claim.state == ClaimState.NEW
    event = dismissed_claim.events.get(action=WorkflowAction.RESTORE)
    assert (event.actor, event.from_state, event.to_state, event.note) == (
        editor,
        ClaimState.DISMISSED,
        ClaimState.NEW,
        "Turns out it is checkable.",
    )


def test_a_restored_claim_can_be_triaged(dismissed_claim, editor, other_editor):
    services.claim_restore(actor=editor, claim=dismissed_claim)

    triaged = services.claim_triage(actor=other_editor, claim=dismissed_claim)

    assert triaged.state == ClaimState.TRIAGED
    assert list(triaged.events.values_list("action", flat=True)) == [
        WorkflowAction.CREATE,
        WorkflowAction.DISMISS,
        WorkflowAction.RESTORE,
        WorkflowAction.TRIAGE,
    ]


@pytest.mark.parametrize("who", ["reviewer", "outsider"])
def test_only_an_editor_can_dismiss(who, request, new_claim):
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied, match="Only an editor may dismiss"):
        services.claim_dismiss(actor=actor, claim=new_claim, reason="Not checkable.")

    new_claim.refresh_from_db()
    assert new_claim.state == ClaimState.NEW
    assert list(new_claim.events.values_list("action", flat=True)) == [WorkflowAction.CREATE]


@pytest.mark.parametrize("who", ["reviewer", "outsider"])
def test_only_an_editor_can_restore(who, request, dismissed_claim):
    actor = request.getfixturevalue(who)
    events_before = dismissed_claim.events.count()

    with pytest.raises(PermissionDenied, match="Only an editor may restore"):
        services.claim_restore(actor=actor, claim=dismissed_claim)

    dismissed_claim.refresh_from_db()
    assert dismissed_claim.state == ClaimState.DISMISSED
    assert dismissed_claim.events.count() == events_before


@pytest.mark.parametrize("state", [s for s in ClaimState if s != ClaimState.NEW])
def test_dismissal_is_refused_from_every_state_but_new(state, request, editor):
    claim = request.getfixturevalue(CLAIM_IN_STATE[state])
    events_before = WorkflowEvent.objects.count()

    with pytest.raises(WorkflowConflict) as refused:
        services.claim_dismiss(actor=editor, claim=claim, reason="Not checkable.")

    assert f"Cannot dismiss claim #{claim.pk}: it is {state.label.lower()}" in str(refused.value)
    assert Claim.objects.get(pk=claim.pk).state == state
    assert WorkflowEvent.objects.count() == events_before


@pytest.mark.parametrize("state", [s for s in ClaimState if s != ClaimState.DISMISSED])
def test_restore_is_refused_from_every_state_but_dismissed(state, request, editor):
    claim = request.getfixturevalue(CLAIM_IN_STATE[state])
    events_before = WorkflowEvent.objects.count()

    with pytest.raises(WorkflowConflict) as refused:
        services.claim_restore(actor=editor, claim=claim)

    assert f"Cannot restore claim #{claim.pk}: it is {state.label.lower()}" in str(refused.value)
    assert Claim.objects.get(pk=claim.pk).state == state
    assert WorkflowEvent.objects.count() == events_before
