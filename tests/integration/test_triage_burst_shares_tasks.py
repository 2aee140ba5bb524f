"""A burst of triages costs a task per batch of claims, not a task per claim.

120 claims are triaged while no worker runs, as an editor works through the morning's intake.
The first triage publishes ``assign_triaged_claims``; the others find its mark in Redis and
publish nothing. A real worker then takes that task, which publishes the task for the next
batch before it assigns its own: three tasks in all (50, 50 and 20 claims), every claim
assigned once within capacity, every email delivered once.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.db.models import Count

from claims.models import Priority
from tests import factories
from verification import services
from verification.models import Assignment, EmailLog, EmailStatus

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

CLAIMS = 120
REVIEWERS = 6
CAPACITY = 30  # 180 places for 120 assignments


def test_a_burst_of_triages_is_assigned_by_one_task_per_batch(workers, smtp, live_celery):
    editor = factories.EditorFactory(username="desk-editor")
    for number in range(REVIEWERS):
        reviewer = factories.ReviewerFactory(username=f"checker{number:02d}")
        reviewer.reviewer_profile.capacity = CAPACITY
        reviewer.reviewer_profile.save()
    claims = factories.ClaimFactory.create_batch(
        CLAIMS, submitted_by=editor, priority=Priority.NORMAL
    )
    for claim in claims:
        services.claim_triage(actor=editor, claim=claim)

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
    assert Counter(received) == {"assign_triaged_claims": 3}
    per_claim = Counter(Assignment.objects.values_list("claim_id", flat=True))
    assert sorted(per_claim) == sorted(claim.pk for claim in claims)
    assert set(per_claim.values()) == {1}
    loads = Assignment.objects.values("reviewer").annotate(n=Count("pk")).values_list("n")
    assert max(n for (n,) in loads) <= CAPACITY
    assert Counter(smtp.accepted_by_key()).most_common(1)[0][1] == 1
