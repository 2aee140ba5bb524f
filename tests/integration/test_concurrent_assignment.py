"""Many claims assigned at once, on PostgreSQL: capacity and required reviews always hold.

The desk has fewer places than the claims need (six reviewers with room for three each, for
claims needing 1.5 reviewers on average), so assignment runs out of room and every check of a
reviewer's load counts. Half the claims were submitted by reviewers, who must never get their
own. Two ways of pressing it:

- two worker processes (two pool processes each) take assignment tasks that several threads
  publish at once, each claim's task twice over, as a redelivery would;
- eight threads call ``claim_auto_assign`` directly, each over every claim in its own order.

Afterwards no reviewer is above capacity, no claim has more active reviewers than it needs,
nobody has a claim they submitted, every place is taken (nothing was refused for no reason),
and no assignment deadlocked (it would have raised in a thread, or retried in a worker).
"""

from __future__ import annotations

import random
import re
import threading
from collections import Counter
from collections.abc import Callable
from unittest import mock

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.db import connections
from django.db.models import Count, F, Q

from claims.models import Claim, Priority
from tests import factories
from verification import services, tasks
from verification.models import OPEN_ASSIGNMENT_STATES, Assignment, EmailLog, EmailStatus
from verification.services.auto_assign import ACTIVE_STATES, claim_auto_assign

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

REVIEWERS = 6
CAPACITY = 3
PLACES = REVIEWERS * CAPACITY
HIGH_CLAIMS = 12  # two reviews each
NORMAL_CLAIMS = 12  # one review each
THREADS = 8


def _desk() -> tuple[AbstractBaseUser, list[AbstractBaseUser], list[Claim]]:
    """Reviewers with little room, and claims (half submitted by reviewers) needing more."""
    editor = factories.EditorFactory(username="desk-editor")
    reviewers = []
    for number in range(REVIEWERS):
        reviewer = factories.ReviewerFactory(username=f"checker{number}")
        reviewer.reviewer_profile.capacity = CAPACITY
        reviewer.reviewer_profile.save()
        reviewers.append(reviewer)
    claims = []
    for number in range(HIGH_CLAIMS + NORMAL_CLAIMS):
        claims.append(
            factories.ClaimFactory(
                submitted_by=reviewers[number % REVIEWERS] if number % 2 else editor,
                priority=Priority.HIGH if number < HIGH_CLAIMS else Priority.NORMAL,
            )
        )
    return editor, reviewers, claims


def _run_together(work: list[Callable[[], object]]) -> None:
    """Run each callable in its own thread and database connection, released together."""
    barrier = threading.Barrier(len(work))
    errors: list[BaseException] = []

    def run(job: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=20)
            job()
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    assert not errors, f"errors in the threads: {errors!r}"


def _assert_rules_held(claims: list[Claim]) -> None:
    over_capacity = (
        Assignment.objects.filter(state__in=OPEN_ASSIGNMENT_STATES)
        .values("reviewer__username")
        .annotate(n=Count("pk"))
        .filter(n__gt=CAPACITY)
    )
    assert list(over_capacity) == []
    over_assigned = [
        (claim.pk, claim.active, claim.required_reviews)
        for claim in Claim.objects.annotate(
            active=Count("assignments", filter=Q(assignments__state__in=ACTIVE_STATES))
        )
        if claim.active > claim.required_reviews
    ]
    assert over_assigned == []
    assert not Assignment.objects.filter(reviewer_id=F("claim__submitted_by_id")).exists()
    pairs = Counter(Assignment.objects.values_list("claim_id", "reviewer_id"))
    assert max(pairs.values()) == 1
    # Every place is taken: demand (36 reviews) exceeds the 18 places.
    assert Assignment.objects.filter(state__in=OPEN_ASSIGNMENT_STATES).count() == PLACES


def test_two_workers_and_many_publishers_never_exceed_capacity_or_required_reviews(
    workers, smtp, live_celery, test_redis
):
    editor, _reviewers, claims = _desk()
    first = workers.start("first")
    second = workers.start("second")

    # Four threads triage their share of the claims at once; each triage publishes the claim's
    # assignment task, and each thread publishes it again, as a redelivery would.
    shares = [claims[n::4] for n in range(4)]

    def triage(share: list[Claim]) -> None:
        for claim in share:
            services.claim_triage(actor=editor, claim=Claim.objects.get(pk=claim.pk))
            tasks.assign_claims.delay([claim.pk])
        tasks.assign_waiting_claims.delay()

    _run_together([lambda share=share: triage(share) for share in shares])

    workers.wait_until(
        lambda: (
            Assignment.objects.filter(state__in=OPEN_ASSIGNMENT_STATES).count() >= PLACES
            and test_redis.client.llen(live_celery.queue) == 0
            and not EmailLog.objects.exclude(status=EmailStatus.SENT).exists()
            and len(smtp.accepted) >= PLACES
        ),
        timeout=45,
        what=f"{PLACES} assignments made and emailed, and the queue drained",
    )

    _assert_rules_held(claims)
    assert smtp.accepted_by_key() == {
        f"assignment:{pk}": 1 for pk in Assignment.objects.values_list("pk", flat=True)
    }
    for worker in (first, second):
        log = worker.log()
        assert "deadlock" not in log.lower(), worker.tail()
        assert not re.search(r"assign_\w+\[\S+\] retry:", log), worker.tail()
        assert "Traceback" not in log, worker.tail()
    # Both workers took part.
    assert all("assign_claim" in w.log() for w in (first, second))


def test_eight_threads_assigning_every_claim_at_once_never_exceed_capacity(mailoutbox):
    editor, _reviewers, claims = _desk()
    # Triaged without their assignment tasks (which would run at once here, eagerly): the
    # threads below do all the assigning.
    with mock.patch.object(tasks.assign_claims, "apply_async"):
        for claim in claims:
            services.claim_triage(actor=editor, claim=claim)
    assert not Assignment.objects.exists()

    def assign_all(seed: int) -> None:
        order = [claim.pk for claim in claims]
        random.Random(seed).shuffle(order)
        for claim_id in order:
            claim_auto_assign(claim_id=claim_id)

    _run_together([lambda seed=seed: assign_all(seed) for seed in range(THREADS)])

    _assert_rules_held(claims)
    keys = Counter(message.extra_headers["X-Claimdesk-Key"] for message in mailoutbox)
    assert keys == {f"assignment:{pk}": 1 for pk in Assignment.objects.values_list("pk", flat=True)}
