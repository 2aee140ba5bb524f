"""Triage: an editor accepts a new claim for checking (new → triaged).

The number of independent reviews a claim needs is fixed here, from its priority.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from claims.exceptions import WorkflowConflict
from claims.models import Claim, ClaimState, Priority
from tests import factories
from tests.conftest import CLAIM_IN_STATE
from verification import services
from verification.models import WorkflowAction, WorkflowEvent

pytestmark = pytest.mark.django_db


def test_editor_triages_a_new_claim(new_claim, editor):
    services.claim_triage(actor=editor, claim=new_claim, note="A checkable figure.")

    new_claim.refresh_from_db()
    assert new_claim.state == ClaimState.TRIAGED
    event = new_claim.events.get(action=WorkflowAction.TRIAGE)
    assert (event.actor, event.from_state, event.to_state, event.note) == (
        editor,
        ClaimState.NEW,
        ClaimState.TRIAGED,
        "A checkable figure.",
    )


@pytest.mark.parametrize("priority", Priority.values)
def test_triage_takes_required_reviews_from_the_settings_for_the_priority(
    priority, settings, submitter, editor
):
    # Distinct numbers per priority, so a hard-coded count could not pass.
    settings.REVIEWS_REQUIRED_BY_PRIORITY = {"low": 1, "normal": 2, "high": 3, "urgent": 4}
    claim = factories.ClaimFactory(submitted_by=submitter, priority=priority)

    services.claim_triage(actor=editor, claim=claim)

    claim.refresh_from_db()
    assert claim.required_reviews == settings.REVIEWS_REQUIRED_BY_PRIORITY[priority]


def test_high_priority_claim_needs_two_reviews_by_default(submitter, editor):
    claim = factories.ClaimFactory(submitted_by=submitter, priority=Priority.HIGH)

    triaged = services.claim_triage(actor=editor, claim=claim)

    assert triaged.required_reviews == 2


@pytest.mark.parametrize("who", ["reviewer", "outsider"])
def test_only_an_editor_can_triage(who, request, new_claim):
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied, match="Only an editor may triage"):
        services.claim_triage(actor=actor, claim=new_claim)

    new_claim.refresh_from_db()
    assert new_claim.state == ClaimState.NEW
    assert list(new_claim.events.values_list("action", flat=True)) == [WorkflowAction.CREATE]


@pytest.mark.parametrize("state", [s for s in ClaimState if s != ClaimState.NEW])
def test_triage_is_refused_from_every_state_but_new(state, request, editor):
    claim = request.getfixturevalue(CLAIM_IN_STATE[state])
    events_before = WorkflowEvent.objects.count()

    with pytest.raises(WorkflowConflict) as refused:
        services.claim_triage(actor=editor, claim=claim)

    assert f"Cannot triage claim #{claim.pk}: it is {state.label.lower()}" in str(refused.value)
    assert Claim.objects.get(pk=claim.pk).state == state
    assert WorkflowEvent.objects.count() == events_before


def test_triaging_a_claim_someone_already_triaged_is_a_conflict(new_claim, editor, other_editor):
    stale_copy = Claim.objects.get(pk=new_claim.pk)
    services.claim_triage(actor=editor, claim=new_claim)

    with pytest.raises(WorkflowConflict, match="it is triaged"):
        services.claim_triage(actor=other_editor, claim=stale_copy)

    assert new_claim.events.filter(action=WorkflowAction.TRIAGE).count() == 1
