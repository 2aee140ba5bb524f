"""Dismissal (new → dismissed, with a reason) and restoring a dismissed claim (→ new). Who may
make them, from which state, and what they record: test_claim_moves.py."""

from __future__ import annotations

import pytest

from claims.models import ClaimState
from verification import services
from verification.models import WorkflowAction

pytestmark = pytest.mark.django_db


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
