"""Scheduling automatic assignment: each move that queues a claim publishes ``assign_claims``
for it once its transaction commits, and the periodic sweep picks up what a lost publish left.

A rolled-back move publishes nothing; a publish the broker refuses is logged and costs nothing
else, since the claim's row says it waits; the sweep leaves claims queued in the last
``SWEEP_GRACE`` to their own tasks. A burst of triages is assigned in batches: the first
task's batch takes the claims triaged after it, and their tasks find nothing left to do.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from claims.models import Claim, ClaimState
from config import tasks as config_tasks
from tests import factories
from verification import services, tasks
from verification.models import Assignment
from verification.services.auto_assign import BATCH_SIZE


@pytest.fixture
def published() -> Iterator[list[tuple[str, tuple]]]:
    """What was published, as (task name, args), instead of publishing it."""
    calls: list[tuple[str, tuple]] = []

    def record(task, *args, countdown=None) -> bool:
        calls.append((task.name.rsplit(".", 1)[-1], args))
        return True

    # after_commit publishes through config.tasks; the sweep through the name verification.tasks
    # imported.
    with (
        mock.patch.object(config_tasks, "safe_delay", record),
        mock.patch.object(tasks, "safe_delay", record),
    ):
        yield calls


def reviewers(count: int, *, capacity: int = 50) -> None:
    for n in range(count):
        factories.ReviewerFactory(username=f"checker{n}", profile__capacity=capacity)


def is_assigned(claim: Claim) -> bool:
    return Assignment.objects.filter(claim=claim).exists()


def sweep(*, seconds_later: float = 0) -> dict[str, int]:
    later = timezone.now() + dt.timedelta(seconds=seconds_later)
    with mock.patch("django.utils.timezone.now", return_value=later):
        return tasks.sweep_pending_work()


@pytest.mark.django_db(transaction=True)
def test_a_triage_publishes_assign_claims_for_its_claim_once_it_commits(editor, published):
    claim = factories.ClaimFactory(submitted_by=editor)

    with transaction.atomic():
        services.claim_triage(actor=editor, claim=claim)
        assert published == []  # not before the commit

    assert published == [("assign_claims", ([claim.pk],))]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_triage_publishes_nothing(editor, published):
    claim = factories.ClaimFactory(submitted_by=editor)

    with pytest.raises(RuntimeError), transaction.atomic():
        services.claim_triage(actor=editor, claim=claim)
        raise RuntimeError("the request failed after the triage")

    assert published == []
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.NEW


@pytest.mark.django_db
def test_a_send_back_publishes_assign_claims_for_its_claim(
    claim_in_review, other_editor, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_send_back(actor=other_editor, claim=claim_in_review, note="Needs a source.")

    assert ("assign_claims", ([claim_in_review.pk],)) in published


@pytest.mark.django_db(transaction=True)
def test_a_triage_whose_publish_is_lost_is_assigned_by_the_sweep(editor, caplog):
    reviewers(1)
    claim = factories.ClaimFactory(submitted_by=editor)
    down = OperationalError("Error 111 connecting to the broker. Connection refused.")

    with (
        caplog.at_level(logging.WARNING, logger="verification.tasks"),
        mock.patch.object(tasks.assign_claims, "apply_async", side_effect=down),
    ):
        services.claim_triage(actor=editor, claim=claim)

    assert Claim.objects.get(pk=claim.pk).state == ClaimState.TRIAGED  # committed
    assert any(r.getMessage().startswith("Broker unavailable") for r in caplog.records)
    assert not is_assigned(claim)
    # Within the grace period the claim is left to its own task...
    assert sweep()["claims"] == 0
    assert not is_assigned(claim)
    # ...after it, the sweep offers it (tasks run eagerly here).
    swept = sweep(seconds_later=tasks.SWEEP_GRACE.total_seconds() + 1)

    assert swept["claims"] == 1
    assert is_assigned(claim)
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.IN_RESEARCH


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_triages_is_assigned_in_batches(editor, published):
    reviewers(3, capacity=30)
    claims = factories.ClaimFactory.create_batch(BATCH_SIZE + 10, submitted_by=editor)
    for claim in claims:
        services.claim_triage(actor=editor, claim=claim)
    assert published == [("assign_claims", ([claim.pk],)) for claim in claims]

    # The worker takes the tasks in order: the first assigns its claim and the 49 after it in
    # one transaction, their own tasks find them taken, the 51st assigns the last ten.
    made = [tasks.assign_claims(*args) for _name, args in published]

    sizes = [len(assignments) for assignments in made]
    assert sizes == [BATCH_SIZE] + [0] * (BATCH_SIZE - 1) + [10] + [0] * 9
    assert all(is_assigned(claim) for claim in claims)
    assert Assignment.objects.count() == len(claims)
