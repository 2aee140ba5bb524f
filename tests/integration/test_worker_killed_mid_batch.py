"""``kill -9`` the worker in the middle of a batch of 210 assignments, twice: nothing is lost.

The batch is 105 high-priority claims, each needing two independent reviewers, all triaged
before the first worker starts (so their ``assign_claims`` tasks wait on the queue, and the
first of each batch serves fifty claims). It is killed (the whole process group, so no task
finishes and nothing is acknowledged) once while it is still assigning, and a second time
while it is delivering the assignment emails. The tasks the dead workers held stay
unacknowledged in Redis until the visibility timeout, far beyond the test, so what they
were doing is recovered by the pending-work sweep, called here as beat would call it a few
minutes later, after each kill; a new worker then takes over the queue.

The SMTP server counts what it accepted per email (X-Claimdesk-Key and Message-ID). Every
assignment has one email row, and the server accepted each exactly once, with one exception
no mail client can avoid: an email the worker was sending at the instant it died (at most one
per pool process, still marked "sending"). If the server had accepted it just before the
kill, the worker never learnt so and the email is sent again, with the same Message-ID, so
the reviewer's mail reader shows it once. The test checks that such copies come only from
those emails, and at most twice. The second kill is timed on the server accepting a message,
which makes that case come up often rather than rarely.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from unittest import mock

import pytest
from django.db.models import Count
from django.utils import timezone

from claims.models import Claim, Priority
from tests.integration.conftest import triaged_burst
from verification import tasks
from verification.models import Assignment, EmailLog, EmailStatus

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

CLAIMS = 105
REVIEWS_PER_CLAIM = 2  # high priority
ASSIGNMENTS = CLAIMS * REVIEWS_PER_CLAIM
REVIEWERS = 15
CAPACITY = 20  # 300 places for 210 assignments: capacity never holds a claim back here
CONCURRENCY = 2


def _sweep_as_beat_would(minutes_later: int = 5) -> dict[str, int]:
    """Run the sweep in the test process with the clock moved on, past the grace period and
    the time after which an email left "sending" by a dead worker is handed out again."""
    later = timezone.now() + dt.timedelta(minutes=minutes_later)
    with mock.patch("django.utils.timezone.now", return_value=later):
        return tasks.sweep_pending_work()


def _in_flight() -> set[str]:
    """Emails a dead worker had claimed and not finished: the server may or may not have them."""
    return set(EmailLog.objects.filter(status=EmailStatus.SENDING).values_list("key", flat=True))


def _delivered_everything(smtp) -> bool:
    if Claim.objects.annotate(n=Count("assignments")).filter(n__lt=REVIEWS_PER_CLAIM).exists():
        return False
    if EmailLog.objects.exclude(status=EmailStatus.SENT).exists():
        return False
    keys = set(EmailLog.objects.values_list("key", flat=True))
    return len(keys) == ASSIGNMENTS and keys <= set(smtp.accepted_by_key())


def test_every_assignment_email_arrives_after_the_worker_is_killed_twice_mid_batch(workers, smtp):
    claims = triaged_burst(
        claims=CLAIMS, reviewers=REVIEWERS, capacity=CAPACITY, priority=Priority.HIGH
    )

    # 1. Killed while assigning: some claims assigned, most still queued.
    first = workers.start("first", concurrency=CONCURRENCY)
    workers.wait_until(
        lambda: Assignment.objects.count() >= ASSIGNMENTS // 4,
        timeout=40,
        interval=0.01,
        what="the first worker to make a quarter of the assignments",
    )
    first.kill()
    assert Assignment.objects.count() < ASSIGNMENTS, (
        "the first worker finished before it was killed"
    )
    # A batch commits many assignments at once, so the worker may have been emailing them.
    in_flight = _in_flight()
    assert len(in_flight) <= CONCURRENCY, f"more emails in flight than pool processes: {in_flight}"

    # 2. The sweep hands the dead worker's claims and emails to the queue; a second worker is
    #    killed while emailing them, right after the server accepted a message.
    swept = _sweep_as_beat_would()
    assert swept["emails"] + swept["claims"] > 0, "the killed worker left nothing behind?"
    second = workers.start("second", concurrency=CONCURRENCY)
    workers.wait_until(
        lambda: len(smtp.accepted) >= ASSIGNMENTS // 10,
        timeout=40,
        interval=0.01,
        what="the second worker to deliver a tenth of the emails",
    )
    second.kill()
    assert len(smtp.accepted) < ASSIGNMENTS, "the second worker finished before it was killed"
    cut_off = _in_flight() - in_flight
    assert len(cut_off) <= CONCURRENCY, f"more emails in flight than pool processes: {cut_off}"
    in_flight |= cut_off

    # 3. A third worker and the sweep finish the batch.
    workers.start("third", concurrency=CONCURRENCY)
    swept = _sweep_as_beat_would()
    assert swept["emails"] + swept["claims"] > 0, "the second killed worker left nothing behind?"
    workers.wait_until(
        lambda: _delivered_everything(smtp),
        timeout=45,
        what=f"all {ASSIGNMENTS} assignments made and their emails delivered",
    )

    # 4. Two reviewers per claim and one email row per assignment...
    per_claim = Counter(Assignment.objects.values_list("claim_id", flat=True))
    assert sorted(per_claim) == sorted(claim.pk for claim in claims)
    assert set(per_claim.values()) == {REVIEWS_PER_CLAIM}
    rows = {
        key: (message_id, assignment_id)
        for key, message_id, assignment_id in (
            EmailLog.objects.values_list("key", "message_id", "assignment_id")
        )
    }
    assert len(rows) == ASSIGNMENTS
    assert {assignment_id for _id, assignment_id in rows.values()} == set(
        Assignment.objects.values_list("pk", flat=True)
    )

    # 5. ...each accepted by the server once, except what was cut off mid-send (at most twice).
    by_key = smtp.accepted_by_key()
    assert set(by_key) == set(rows)
    repeated = {key: n for key, n in by_key.items() if n > 1}
    assert set(repeated) <= in_flight, f"sent twice without a worker dying mid-send: {repeated}"
    assert all(n == 2 for n in repeated.values()), repeated
    for message in smtp.accepted:
        assert message.message_id == rows[message.key][0]
