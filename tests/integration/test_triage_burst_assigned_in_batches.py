"""A burst of triages is assigned in batches of claims, not a claim per transaction.

120 claims are triaged while no worker runs, as an editor works through the morning's intake.
Each triage's commit publishes ``assign_claims`` for its claim. A real worker (two pool
processes) then takes the tasks: the first of each batch assigns its claim and those triaged
after it in one transaction, and the later tasks find their claims taken. Every claim is
assigned once within capacity, in a handful of transactions, and every email delivered once.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.db.models import Count
from django.db.models.expressions import RawSQL

from claims.models import Priority
from tests.integration.conftest import triaged_burst
from verification.models import Assignment, EmailLog, EmailStatus
from verification.services.auto_assign import BATCH_SIZE

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

CLAIMS = 120
REVIEWERS = 6
CAPACITY = 30  # 180 places for 120 assignments


def test_a_burst_of_triages_is_assigned_in_batches(workers, smtp, live_celery):
    claims = triaged_burst(
        claims=CLAIMS, reviewers=REVIEWERS, capacity=CAPACITY, priority=Priority.NORMAL
    )

    worker = workers.start("worker", concurrency=2)
    workers.wait_until(
        lambda: (
            EmailLog.objects.filter(status=EmailStatus.SENT).count() == CLAIMS
            and len(smtp.accepted) >= CLAIMS
        ),
        timeout=60,
        what=f"all {CLAIMS} claims assigned and their emails delivered",
    )

    log = worker.log()
    received = re.findall(r"Task verification\.tasks\.(\w+)\[[^\]]+\] received", log)
    assert Counter(received) == {"assign_claims": CLAIMS}
    # The transaction that wrote each assignment (PostgreSQL's xmin): a batch writes many.
    writers = set(
        Assignment.objects.annotate(tx=RawSQL("xmin::text", ())).values_list("tx", flat=True)
    )
    assert len(writers) <= 2 * (CLAIMS // BATCH_SIZE + 1), len(writers)
    per_claim = Counter(Assignment.objects.values_list("claim_id", flat=True))
    assert sorted(per_claim) == sorted(claim.pk for claim in claims)
    assert set(per_claim.values()) == {1}
    loads = Assignment.objects.values("reviewer").annotate(n=Count("pk")).values_list("n")
    assert max(n for (n,) in loads) <= CAPACITY
    assert Counter(smtp.accepted_by_key()).most_common(1)[0][1] == 1
