"""Triaged claims share their assignment tasks: ``offer_triaged_claim`` and
``assign_triaged_claims``.

With a Redis broker, a triage publishes ``assign_triaged_claims`` only when no such task is
waiting to start (a mark in Redis says one is); the task clears the mark when it starts, reads
the claims triaged since shortly before it was published, a batch at a time in queue order, and
publishes the task for the next batch before it assigns its own. Without Redis (eager tasks,
the filesystem broker) every triage publishes ``assign_claim`` for its claim, as before.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import uuid
from collections.abc import Iterator
from unittest import mock

import pytest
import redis
from django.db import connections, transaction
from django.utils import timezone

from claims.models import Claim, ClaimState, Priority
from config.celery import app as celery_app
from tests import factories
from verification import services, tasks
from verification.models import Assignment

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


class Published(list):
    """What ``safe_delay`` was asked to publish: (task name, args)."""

    def names(self) -> list[str]:
        return [name.rsplit(".", 1)[-1] for name, _args in self]


@pytest.fixture
def published() -> Iterator[Published]:
    calls = Published()

    def record(task, *args, countdown=None) -> bool:
        calls.append((task.name, args))
        return True

    with mock.patch.object(tasks, "safe_delay", record):
        yield calls


@pytest.fixture
def redis_broker() -> Iterator[redis.Redis]:
    """The app configured as with a Redis broker (tasks not eager), on a queue of its own."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis does not answer at {REDIS_URL}: {error}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}: {error}")
    conf = celery_app.conf
    saved = {name: conf[name] for name in ("broker_url", "task_always_eager", "task_default_queue")}
    queue = f"claimdesk-test-triage-{uuid.uuid4().hex}"
    conf.update(broker_url=REDIS_URL, task_always_eager=False, task_default_queue=queue)
    try:
        yield client
    finally:
        conf.update(saved)
        client.delete(f"claimdesk:assign-triaged:{queue}")
        client.close()


def reviewers(count: int, *, capacity: int = 50) -> None:
    for n in range(count):
        factories.ReviewerFactory(username=f"checker{n}", profile__capacity=capacity)


def new_claims(editor, count: int) -> list[Claim]:
    return [
        factories.ClaimFactory(
            statement=f"Claim {n}.", submitted_by=editor, priority=Priority.NORMAL
        )
        for n in range(count)
    ]


def triage(editor, claims: list[Claim], capture) -> None:
    """Triage each claim in a transaction of its own, running what it does after commit."""
    for claim in claims:
        with capture(execute=True):
            services.claim_triage(actor=editor, claim=claim)


def triage_unpublished(editor, claims: list[Claim]) -> None:
    """Triage with the after-commit publishing left out (as if its message were lost)."""
    with mock.patch("verification.enqueue.assign_claim_after_commit"):
        for claim in claims:
            services.claim_triage(actor=editor, claim=claim)


def is_assigned(claim: Claim) -> bool:
    return Assignment.objects.filter(claim=claim).exists()


# --- Publishing ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_claims_triaged_while_a_task_waits_to_start_publish_no_task_of_their_own(
    editor, redis_broker, published, django_capture_on_commit_callbacks
):
    claims = new_claims(editor, 4)

    triage(editor, claims, django_capture_on_commit_callbacks)

    assert published.names() == ["assign_triaged_claims"]
    [(_name, (since,))] = published
    triaged_at = min(Claim.objects.get(pk=c.pk).updated_at for c in claims)
    assert dt.datetime.fromisoformat(since) <= triaged_at - tasks.TRIAGE_LOOKBACK / 2


@pytest.mark.django_db
def test_a_claim_triaged_after_the_task_started_publishes_the_next_task(
    editor, redis_broker, published, django_capture_on_commit_callbacks
):
    first, later = new_claims(editor, 2)
    triage(editor, [first], django_capture_on_commit_callbacks)
    [(_name, (since,))] = published

    tasks.assign_triaged_claims(since)  # starts: the mark is cleared
    triage(editor, [later], django_capture_on_commit_callbacks)

    assert published.names() == ["assign_triaged_claims", "assign_triaged_claims"]


@pytest.mark.django_db
def test_when_the_mark_cannot_be_set_the_triage_publishes_anyway(
    editor, redis_broker, published, django_capture_on_commit_callbacks
):
    claims = new_claims(editor, 2)
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there

    triage(editor, claims, django_capture_on_commit_callbacks)

    assert published.names() == ["assign_triaged_claims", "assign_triaged_claims"]


@pytest.mark.django_db
def test_without_a_redis_broker_each_triage_publishes_assign_claim_for_its_claim(
    editor, published, django_capture_on_commit_callbacks
):
    claims = new_claims(editor, 3)

    triage(editor, claims, django_capture_on_commit_callbacks)

    assert published == [("verification.tasks.assign_claim", (c.pk,)) for c in claims]


# --- The task --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_task_assigns_the_claims_triaged_since_an_older_one_too_but_not_earlier_triages(
    editor, published
):
    reviewers(2)
    before, created_first, *recent = new_claims(editor, 4)
    triage_unpublished(editor, [before])
    since = timezone.now()
    # Created before the others, triaged after them: served in queue order all the same.
    triage_unpublished(editor, [*recent, created_first])

    made = tasks.assign_triaged_claims(since.isoformat())

    assert len(made) == 3
    assert [is_assigned(c) for c in (created_first, *recent)] == [True] * 3
    assert not is_assigned(before)
    assert Claim.objects.get(pk=before.pk).state == ClaimState.TRIAGED
    assert published == []  # one batch held them all


@pytest.mark.django_db
def test_past_a_batch_the_task_publishes_the_next_batch_before_assigning_its_own(editor, published):
    reviewers(3)
    claims = new_claims(editor, 7)
    since = timezone.now()
    triage_unpublished(editor, claims)

    with mock.patch.object(tasks, "BATCH_SIZE", 3):
        made = tasks.assign_triaged_claims(since.isoformat())
        assert [is_assigned(c) for c in claims] == [True] * 3 + [False] * 4
        third = Claim.objects.get(pk=claims[2].pk)
        assert published == [
            (
                "verification.tasks.assign_triaged_claims",
                (since.isoformat(), [third.created_at.isoformat(), third.pk]),
            )
        ]
        # Each next task takes the next batch; the last one publishes nothing.
        made += tasks.assign_triaged_claims(*published[0][1])
        assert len(published) == 2
        made += tasks.assign_triaged_claims(*published[1][1])

    assert len(published) == 2
    assert all(is_assigned(c) for c in claims)
    assert len(made) == len(set(made)) == 7


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_claim_of_the_batch_another_transaction_holds_is_waited_for_and_assigned(
    editor, published
):
    reviewers(2)
    held, other = new_claims(editor, 2)
    since = timezone.now()
    triage_unpublished(editor, [held, other])
    locked, release = threading.Event(), threading.Event()

    def hold_the_claim() -> None:
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
    threading.Timer(0.5, release.set).start()
    began = time.monotonic()

    made = tasks.assign_triaged_claims(since.isoformat())

    holder.join(timeout=10)
    assert time.monotonic() - began >= 0.45
    assert is_assigned(held) and is_assigned(other)
    assert len(made) == 2


@pytest.mark.django_db
def test_a_claim_sent_back_or_reopened_publishes_assign_claim_for_itself(
    claim_in_review, other_editor, redis_broker, published, django_capture_on_commit_callbacks
):
    # Back in research, not triaged: the triaged claims' task would not read it.
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_send_back(actor=other_editor, claim=claim_in_review, note="Needs a source.")

    assert ("verification.tasks.assign_claim", (claim_in_review.pk,)) in published
    assert "assign_triaged_claims" not in published.names()
