"""Triage: an editor accepts a new claim for checking (new → triaged).

The number of independent reviews a claim needs is fixed here, from its priority.
"""

from __future__ import annotations

import pytest

from claims.exceptions import WorkflowConflict
from claims.models import Claim, Priority
from tests import factories
from verification import services
from verification.models import WorkflowAction

pytestmark = pytest.mark.django_db


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


def test_triaging_a_claim_someone_already_triaged_is_a_conflict(new_claim, editor, other_editor):
    stale_copy = Claim.objects.get(pk=new_claim.pk)
    services.claim_triage(actor=editor, claim=new_claim)

    with pytest.raises(WorkflowConflict, match="it is triaged"):
        services.claim_triage(actor=other_editor, claim=stale_copy)

    assert new_claim.events.filter(action=WorkflowAction.TRIAGE).count() == 1
