"""Redis is unreachable when the desk commits work: nothing is lost, it is done once it is back.

The test process plays the web process. Its broker is pointed at a port nothing listens on
while an editor triages claims and assigns one by hand: the rows commit, the publishes fail
(and are logged), and nothing reaches the queue. When the broker is back, the pending-work
sweep (called here as beat would call it a couple of minutes later) hands the waiting claims
and the unsent email to the worker, which has been running against Redis all along.
"""

from __future__ import annotations

import datetime as dt
import logging
from unittest import mock

import pytest
from django.utils import timezone

from claims.models import Claim, ClaimState
from tests import factories
from verification import services, tasks
from verification.models import Assignment, EmailLog, EmailStatus

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

QUEUED_CLAIMS = 3


def test_work_committed_while_the_broker_is_down_is_done_once_it_is_back(
    workers, smtp, live_celery, test_redis, caplog
):
    editor = factories.EditorFactory(username="desk-editor")
    checkers = [factories.ReviewerFactory(username=f"checker{n}") for n in range(2)]
    queued = factories.ClaimFactory.create_batch(QUEUED_CLAIMS, submitted_by=editor)
    by_hand = factories.ClaimFactory(submitted_by=editor)
    workers.start()

    # 1. The broker is gone while the editor works: every transaction commits regardless.
    with caplog.at_level(logging.WARNING, logger="verification.tasks"), live_celery.broker_down():
        for claim in queued:
            services.claim_triage(actor=editor, claim=claim)
        services.claim_triage(actor=editor, claim=by_hand)
        manual = services.assignment_create(
            actor=editor, claim=Claim.objects.get(pk=by_hand.pk), reviewer=checkers[0]
        )
    refused = [r for r in caplog.records if r.getMessage().startswith("Broker unavailable")]
    # Four assignment tasks (one per triage) and one email were refused by the dead broker.
    assert len(refused) == QUEUED_CLAIMS + 2, [r.getMessage() for r in refused]

    # 2. Nothing was published, nothing was assigned or sent; the work is on record.
    assert test_redis.client.llen(live_celery.queue) == 0
    assert set(
        Claim.objects.filter(pk__in=[c.pk for c in queued]).values_list("state", flat=True)
    ) == {ClaimState.TRIAGED}
    assert list(Assignment.objects.values_list("pk", flat=True)) == [manual.pk]
    email = EmailLog.objects.get()
    assert (email.assignment_id, email.status, email.attempts) == (
        manual.pk,
        EmailStatus.PENDING,
        0,
    )
    assert smtp.accepted == []

    # 3. The broker is back: the sweep hands the waiting claims and the pending email over.
    later = timezone.now() + dt.timedelta(minutes=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        swept = tasks.sweep_pending_work()
    assert (swept["emails"], swept["claims"]) == (1, QUEUED_CLAIMS)

    # 4. The worker assigns the waiting claims and delivers every assignment email, once.
    workers.wait_until(
        lambda: (
            len(smtp.accepted) >= QUEUED_CLAIMS + 1
            and not EmailLog.objects.exclude(status=EmailStatus.SENT).exists()
        ),
        timeout=30,
        what="the queued claims assigned and all four emails delivered",
    )
    assignments = list(Assignment.objects.all())
    assert len(assignments) == QUEUED_CLAIMS + 1
    assert {a.claim_id for a in assignments} == {c.pk for c in [*queued, by_hand]}
    assert set(Claim.objects.values_list("state", flat=True)) == {ClaimState.IN_RESEARCH}
    assert smtp.accepted_by_key() == {f"assignment:{a.pk}": 1 for a in assignments}
    assert {r.envelope_to[0] for r in smtp.accepted} <= {c.email for c in checkers}
