"""Celery tasks: thin, idempotent wrappers that take ids and call a service.

Every task may run twice (a redelivery after a worker died, a retry, the sweep) and then
changes nothing more and sends nothing more: assignment fills only missing places, email
delivery claims its row with a conditional UPDATE, reminders compare-and-set their count.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import redis
from celery import Task, current_app, shared_task
from django.db import DatabaseError
from django.utils import timezone
from kombu.exceptions import KombuError, OperationalError

from verification import delivery, emails
from verification.services.auto_assign import (
    BATCH_SIZE,
    claim_auto_assign,
    claim_waits_for_reviewers,
    claims_auto_assign,
    claims_waiting_for_reviewers,
    triaged_claims_waiting,
)
from verification.services.reminders import assignments_remind

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Faults worth retrying: the database restarted or a connection dropped.
TRANSIENT = (DatabaseError, ConnectionError, TimeoutError)
# How a task that only reads and writes the database retries a transient fault: exponential
# backoff from 5 s with full jitter, capped at 5 minutes, 8 attempts.
RETRY_TRANSIENT = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


def safe_delay(task: Task, *args: Any, countdown: float | None = None) -> bool:
    """Publish a task, or log that the sweep will do the work when the broker is back.

    Called after commit, so the work's durable record (a queued claim, a pending email row)
    already exists whether or not the broker takes the message.
    """
    try:
        task.apply_async(args, countdown=countdown)
    except (KombuError, OperationalError, OSError) as exc:
        logger.warning("Broker unavailable, %s%r left to the sweep: %s", task.name, args, exc)
        return False
    return True


def after_commit(task: Task, *args: Any) -> None:
    """Enqueue ``task`` once the current transaction commits (at once outside one)."""
    from django.db import transaction

    transaction.on_commit(lambda: safe_delay(task, *args))


# A triage publishes ``assign_triaged_claims`` only when no such task is waiting to start: the
# mark below says one is. The task clears it when it starts, before it reads the claims, so a
# claim triaged while the mark stands is committed before that read and among what it reads.
# If the task is lost, the mark expires and the sweep offers what it would have taken.
TRIAGE_MARK_SECONDS = 60
# How far back of its own publishing a task reads triages: a triage saves its claim (which
# sets ``updated_at``) a little before it commits and finds the mark, and web processes'
# clocks differ a little.
TRIAGE_LOOKBACK = dt.timedelta(seconds=60)


@functools.cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def _triage_mark() -> tuple[redis.Redis, str] | None:
    """The Redis client and key of the triage mark: in the broker's Redis, named after the
    queue. None when tasks run eagerly or the broker is not Redis: then every triage publishes
    a task for its claim."""
    conf = current_app.conf
    url = conf.broker_url or ""
    if conf.task_always_eager or not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    return _redis(url), f"claimdesk:assign-triaged:{conf.task_default_queue}"


def offer_triaged_claim(claim_id: int) -> None:
    """After a triage commits: make sure a task will offer the claim to the reviewers.

    One ``assign_triaged_claims`` task serves every claim triaged until it starts (see
    ``TRIAGE_MARK_SECONDS``), so a burst of triages costs a task per batch, not per claim.
    Without the mark (eager tasks, no Redis), ``assign_claim`` is published for the claim."""
    mark = _triage_mark()
    if mark is None:
        safe_delay(assign_claim, claim_id)
        return
    client, key = mark
    try:
        first = client.set(key, claim_id, nx=True, ex=TRIAGE_MARK_SECONDS)
    except redis.RedisError as exc:
        logger.warning("Triage mark unavailable (%s): publishing for claim %s", exc, claim_id)
        first = True
    if not first:
        return  # a task that has not started yet will read this claim
    since = timezone.now() - TRIAGE_LOOKBACK
    if not safe_delay(assign_triaged_claims, since.isoformat()):
        # Left to the sweep; the next triage may publish again.
        with contextlib.suppress(redis.RedisError):
            client.delete(key)


@shared_task(
    bind=True,
    **RETRY_TRANSIENT,
)
def assign_triaged_claims(
    self: Task, since: str, after: tuple[str, int] | list[Any] | None = None
) -> list[int]:
    """Give the claims triaged since ``since`` the reviewers they still need, a batch at a
    time, and email the reviewers; published by :func:`offer_triaged_claim`, then by itself.

    1. The first task of a run (``after`` None) clears the triage mark, before it reads: a
       claim triaged from then on publishes a task of its own.
    2. Read the next batch (``BATCH_SIZE``) of those claims still waiting, in queue order,
       after ``after`` (the ``(created_at, id)`` of the previous batch's last claim).
    3. If more wait past it, publish the task for the next batch at once, so that another
       worker process assigns it while this one assigns its own (the two batches are
       disjoint).
    4. Assign the batch and deliver the emails as ``assign_claim`` does.
    5. A claim of the batch that another transaction held and that still waits: wait for it
       and assign what is missing, as ``assign_claim`` does for its claim.
    """
    if after is None:
        mark = _triage_mark()
        if mark is not None:
            client, key = mark
            with contextlib.suppress(redis.RedisError):
                client.delete(key)
    triaged_since = dt.datetime.fromisoformat(since)
    cursor = None if after is None else (dt.datetime.fromisoformat(after[0]), int(after[1]))
    page = triaged_claims_waiting(since=triaged_since, after=cursor, limit=BATCH_SIZE + 1)
    if not page:
        return []
    if len(page) > BATCH_SIZE:
        page = page[:BATCH_SIZE]
        last_id, last_created = page[-1]
        safe_delay(self, since, [last_created.isoformat(), last_id])
    ids = [claim_id for claim_id, _created in page]
    run = _assign_and_deliver(partial(claims_auto_assign, claim_ids=ids))
    made = run.assignments
    for claim_id in ids:
        if claim_id not in run.claim_ids and claim_waits_for_reviewers(claim_id):
            made = made + _assign_and_deliver(partial(claim_auto_assign, claim_id=claim_id))
    return [a.pk for a in made]


@shared_task(
    bind=True,
    **RETRY_TRANSIENT,
)
def assign_claim(self: Task, claim_id: int) -> list[int]:
    """Give a queued claim, and the claims queued after it, the reviewers they still need;
    then email the reviewers.

    1. If the claim no longer waits for reviewers (a batch took it), stop: one query.
    2. Assign in one batch this claim and the next claims waiting after it
       (``claims_auto_assign``, skipping claims other workers hold); the assignment emails are
       written to the outbox in the same transaction.
    3. Right after the commit, deliver those emails here, over one SMTP connection, rather than
       publish a ``send_email`` task for each: the same conditional claim of each row, so none
       goes twice. An email that met a transient fault goes to ``send_email`` with the row's
       backoff, and every email to it if delivering failed outright. If this worker dies
       before this step, the rows are still pending and the sweep delivers them.
    4. If another worker held this claim (its batch is assigning it), wait for that worker's
       lock and assign what is still missing (``claim_auto_assign``), delivering as in 3: the
       task never ends while its claim might still need reviewers someone has room for.
    """
    if not claim_waits_for_reviewers(claim_id):
        return []
    run = _assign_and_deliver(partial(claims_auto_assign, first_claim_id=claim_id))
    made = run.assignments
    if claim_id not in run.claim_ids:
        made = made + _assign_and_deliver(partial(claim_auto_assign, claim_id=claim_id))
    return [a.pk for a in made]


def _assign_and_deliver(assign: Callable[[], T]) -> T:
    """Run ``assign`` (which commits), then deliver the emails it committed (steps 2 and 3 of
    ``assign_claim``)."""
    with delivery.committed_emails() as email_ids:
        made = assign()
    _deliver_committed(email_ids)
    return made


def _deliver_committed(email_ids: list[int]) -> None:
    """Deliver emails this task has just committed; hand what could not go to ``send_email``."""
    if not email_ids:
        return
    try:
        results = delivery.emails_deliver(email_ids=email_ids)
    except TRANSIENT as exc:
        logger.warning("Delivery of emails %s left to send_email: %s", email_ids, exc)
        results = {}
    for email_id in email_ids:
        result = results.get(email_id)
        if result is None:
            safe_delay(send_email, email_id)
        elif result.outcome is delivery.Outcome.RETRY:
            logger.info(
                "Email %s deferred (%s): send_email retries it in %.2fs",
                email_id,
                result.error,
                result.retry_in,
            )
            safe_delay(send_email, email_id, countdown=result.retry_in)


@shared_task(
    bind=True,
    **RETRY_TRANSIENT,
)
def assign_waiting_claims(self: Task) -> int:
    """Offer the waiting claims (oldest first, up to 1,000) to whoever has room now (a
    reviewer freed up or came back), in batches; deliver the emails as ``assign_claim`` does.
    """
    waiting = list(claims_waiting_for_reviewers().values_list("pk", flat=True)[:1000])
    made = 0
    for start in range(0, len(waiting), BATCH_SIZE):
        batch = waiting[start : start + BATCH_SIZE]
        made += len(_assign_and_deliver(partial(claims_auto_assign, claim_ids=batch)).assignments)
    return made


@shared_task(bind=True, max_retries=None, acks_on_failure_or_timeout=True)
def send_email(self: Task, email_id: int) -> str:
    """Deliver one stored email; transient SMTP faults retry with backoff and jitter, permanent
    ones (5xx, or attempts used up) leave the row marked failed with the error."""
    result = delivery.email_deliver(email_id=email_id)
    if result.outcome is delivery.Outcome.RETRY:
        raise self.retry(countdown=result.retry_in, exc=None, max_retries=None)
    return result.outcome.value


@shared_task
def sweep_pending_work() -> dict[str, int]:
    """The durable safety net, run every minute by beat.

    1. Emails still pending after the grace period, or stuck sending by a dead worker, are
       handed to a worker again.
    2. Claims waiting for reviewers are offered again (the broker may have been down when they
       were triaged, or nobody had room then): one ``assign_waiting_claims`` task assigns them
       in batches.
    3. Ingest jobs queued for over a minute, or left running by a dead worker, are handed out
       again.
    """
    email_ids = delivery.emails_to_redeliver()
    for email_id in email_ids:
        safe_delay(send_email, email_id)
    waiting = claims_waiting_for_reviewers()[:1000].count()
    if waiting:
        safe_delay(assign_waiting_claims)
    # Imported here: claims.tasks imports this module.
    from claims.extraction.jobs import ingest_jobs_to_retry
    from claims.tasks import ingest_source

    jobs = ingest_jobs_to_retry()
    for job_id in jobs:
        safe_delay(ingest_source, job_id)
    return {"emails": len(email_ids), "claims": waiting, "ingest_jobs": len(jobs)}


@shared_task
def send_reminders() -> dict[str, int]:
    """Reminders and escalation for open assignments, as of now."""
    run = assignments_remind(now=timezone.now())
    return {
        "reminded": len(run.reminded),
        "overdue": len(run.overdue),
        "escalated": len(run.escalated),
    }


@shared_task
def send_daily_digest() -> int:
    """The editors' daily digest (once per editor per day, however often it runs)."""
    return len(emails.email_digest(day=timezone.localdate()))
