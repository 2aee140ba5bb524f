"""Automatic assignment in batches: ``claims_auto_assign`` and the ``assign_claims`` task.

A task assigns its claim and the claims queued after it in one transaction. Within a batch the
rules hold as they do one claim at a time (capacity, load balancing, independent reviewers);
two batches at once never exceed capacity nor give a claim twice to one reviewer; a task whose
claim another worker's batch holds still ends with its claim assigned; ids that name no
queued claim change nothing.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from unittest import mock

import pytest
from django.core import mail
from django.db import connections, transaction
from django.db.models import Count, F, Q

from claims.models import Claim, ClaimState, Priority
from tests import factories
from verification import services, tasks
from verification.models import OPEN_ASSIGNMENT_STATES, Assignment, EmailLog, EmailStatus
from verification.services.auto_assign import (
    ACTIVE_STATES,
    claims_auto_assign,
    claims_still_waiting,
)


def reviewers(count: int, *, capacity: int) -> list:
    return [
        factories.ReviewerFactory(username=f"checker{n}", profile__capacity=capacity)
        for n in range(count)
    ]


def queued_claims(editor, count: int, *, priority: str = Priority.NORMAL) -> list[Claim]:
    """Triaged claims whose assignment tasks have not run (as while they wait on the queue)."""
    claims = []
    for n in range(count):
        claim = factories.ClaimFactory(
            statement=f"Queued claim {n}.", submitted_by=editor, priority=priority
        )
        with mock.patch.object(tasks.assign_claims, "apply_async"):
            services.claim_triage(actor=editor, claim=claim)
        claims.append(claim)
    return claims


def open_counts() -> dict[str, int]:
    return dict(
        Assignment.objects.filter(state__in=OPEN_ASSIGNMENT_STATES)
        .values_list("reviewer__username")
        .annotate(n=Count("pk"))
    )


def assigned_to(claim: Claim) -> list[str]:
    return sorted(
        Assignment.objects.filter(claim=claim, state__in=ACTIVE_STATES).values_list(
            "reviewer__username", flat=True
        )
    )


@pytest.mark.django_db
def test_capacity_is_never_exceeded_within_a_batch_and_the_oldest_claims_go_first(editor):
    reviewers(3, capacity=2)
    claims = queued_claims(editor, 10)

    run = claims_auto_assign(claim_ids=[c.pk for c in claims])

    assert len(run.assignments) == 6
    assert open_counts() == {"checker0": 2, "checker1": 2, "checker2": 2}
    assert [bool(assigned_to(c)) for c in claims] == [True] * 6 + [False] * 4
    assert [Claim.objects.get(pk=c.pk).state for c in claims[6:]] == [ClaimState.TRIAGED] * 4


@pytest.mark.django_db
def test_a_batch_spreads_its_claims_over_the_least_loaded_reviewers_in_turn(editor):
    reviewers(3, capacity=10)
    claims = queued_claims(editor, 6)

    claims_auto_assign(claim_ids=[c.pk for c in claims])

    # Equal load, then the longest idle: the one just given a claim goes to the back.
    assert [assigned_to(c) for c in claims] == [["checker0"], ["checker1"], ["checker2"]] * 2


@pytest.mark.django_db
def test_a_high_priority_claim_in_a_batch_gets_independent_reviewers(editor):
    reviewers(3, capacity=1)
    high, second_high = queued_claims(editor, 2, priority=Priority.HIGH)

    claims_auto_assign(claim_ids=[high.pk, second_high.pk])

    assert assigned_to(high) == ["checker0", "checker1"]
    # One place left for a claim that needs two: half assigned, and still waiting.
    assert assigned_to(second_high) == ["checker2"]
    assert claims_still_waiting([high.pk, second_high.pk]) == [second_high.pk]


@pytest.mark.django_db
def test_a_task_takes_its_claim_and_the_claims_queued_after_it_not_before(editor):
    reviewers(2, capacity=10)
    claims = queued_claims(editor, 5)

    run = claims_auto_assign(claim_ids=[claims[1].pk], limit=3)

    assert run.claim_ids == {c.pk for c in claims[1:4]}
    assert [bool(assigned_to(c)) for c in claims] == [False, True, True, True, False]


@pytest.mark.django_db
def test_a_claim_a_batch_took_is_answered_by_one_query_and_not_assigned_again(
    editor, django_assert_num_queries
):
    reviewers(2, capacity=10)
    first, second = queued_claims(editor, 2)
    claims_auto_assign(claim_ids=[first.pk])

    with django_assert_num_queries(1):
        assert tasks.assign_claims([second.pk]) == []
    assert Assignment.objects.count() == 2


@pytest.mark.django_db
def test_ids_that_name_no_queued_claim_change_nothing(editor, submitter):
    reviewers(2, capacity=10)
    new = factories.ClaimFactory(submitted_by=editor)  # not triaged: not queued
    missing = 987_654_321

    for run in (
        claims_auto_assign(claim_ids=[]),
        claims_auto_assign(claim_ids=[missing, new.pk]),
        claims_auto_assign(claim_ids=[missing]),
        claims_auto_assign(claim_ids=[new.pk]),
    ):
        assert (run.assignments, run.claim_ids) == ([], set())
    assert services.claim_auto_assign(claim_id=missing) == []
    assert tasks.assign_claims([missing]) == []
    assert tasks.assign_claims([new.pk]) == []
    assert not Assignment.objects.exists()
    assert not EmailLog.objects.exists()
    assert Claim.objects.get(pk=new.pk).state == ClaimState.NEW


# --- Two workers at once (threads with their own connections, on PostgreSQL) ---------------


def run_together(*jobs) -> list[object]:
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=20)
            results[index] = jobs[index]()
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert not errors, errors
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_batches_at_once_never_exceed_capacity_nor_give_a_claim_twice(editor):
    reviewers(4, capacity=3)  # 12 places
    high = queued_claims(editor, 6, priority=Priority.HIGH)  # 12 reviews wanted
    normal = queued_claims(editor, 6)  # and 6 more
    everything = [c.pk for c in high + normal]

    # Each worker takes every claim, from the front and from the middle of the queue.
    run_together(
        lambda: claims_auto_assign(claim_ids=everything),
        lambda: claims_auto_assign(claim_ids=[normal[0].pk]),
        lambda: claims_auto_assign(claim_ids=[high[3].pk]),
    )

    assert max(open_counts().values()) == 3
    assert sum(open_counts().values()) == 12  # every place taken
    pairs = Counter(Assignment.objects.values_list("claim_id", "reviewer_id"))
    assert max(pairs.values()) == 1
    over = (
        Claim.objects.annotate(
            n=Count("assignments", filter=Q(assignments__state__in=ACTIVE_STATES))
        )
        .filter(n__gt=F("required_reviews"))
        .count()
    )
    assert over == 0
    assert EmailLog.objects.count() == 12


PAUSE = 0.5  # seconds another worker holds the task's claim


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_task_whose_claim_another_worker_holds_still_ends_with_its_claim_assigned(editor):
    reviewers(2, capacity=10)
    held, after = queued_claims(editor, 2)
    locked, release = threading.Event(), threading.Event()

    def hold_the_claim() -> None:
        # Another worker's batch has the claim locked and has not committed yet.
        try:
            with transaction.atomic():
                Claim.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_claim)
    holder.start()
    assert locked.wait(timeout=10)
    threading.Timer(PAUSE, release.set).start()
    began = time.monotonic()

    made = tasks.assign_claims([held.pk])

    holder.join(timeout=10)
    # The task assigned the claim after it, then waited for its own and assigned it too.
    assert time.monotonic() - began >= PAUSE * 0.9
    assert assigned_to(after) and assigned_to(held)
    assert len(made) == 2
    keys = sorted(m.extra_headers["X-Claimdesk-Key"] for m in mail.outbox)
    assert keys == sorted(f"assignment:{pk}" for pk in made)
    assert set(EmailLog.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
