"""Celery tasks: thin, idempotent wrappers that take ids and call a service. A rerun changes
and sends nothing more: assignment fills only missing places, delivery claims its row with a
conditional UPDATE, reminders compare-and-set their count."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from celery import Task, shared_task
from django.utils import timezone

from config.tasks import RETRY_TRANSIENT, TRANSIENT, safe_delay
from verification import delivery, emails
from verification.services.auto_assign import (
    BATCH_SIZE,
    claim_auto_assign,
    claims_auto_assign,
    claims_still_waiting,
    claims_waiting_for_reviewers,
)
from verification.services.reminders import assignments_remind

logger = logging.getLogger(__name__)
T = TypeVar("T")


@shared_task(**RETRY_TRANSIENT)
def assign_claims(claim_ids: list[int]) -> list[int]:
    """Give these claims (and those queued after the first, ``BATCH_SIZE`` in all) the
    reviewers they still need, and email the reviewers.

    1. Keep the claims that still wait (one query: a burst's first batch took most).
    2. Assign them in one batch (``claims_auto_assign``, skipping claims others hold).
    3. After the commit, deliver the batch's emails here over one connection; what meets a
       transient fault goes to ``send_email``; if this worker dies, the sweep delivers them.
    4. A claim another worker held: wait for its lock (``claim_auto_assign``), deliver as in 3.
    """
    waiting = claims_still_waiting(claim_ids)
    if not waiting:
        return []
    run = _assign_and_deliver(partial(claims_auto_assign, claim_ids=waiting))
    made = run.assignments
    for claim_id in waiting:
        if claim_id not in run.claim_ids:
            made = made + _assign_and_deliver(partial(claim_auto_assign, claim_id=claim_id))
    return [a.pk for a in made]


def _assign_and_deliver(assign: Callable[[], T]) -> T:
    """Run ``assign`` (which commits), then deliver the emails it committed."""
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


@shared_task(**RETRY_TRANSIENT)
def assign_waiting_claims() -> int:
    """Offer the waiting claims (oldest first, up to 1,000) to whoever has room now, in
    batches of ``BATCH_SIZE``, delivering as ``assign_claims`` does."""
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


# How long a claim waits before the sweep offers it: its own task, published when it was
# queued, has had time to run (a claim's ``updated_at`` is its triage or later).
SWEEP_GRACE = dt.timedelta(seconds=60)


@shared_task
def sweep_pending_work() -> dict[str, int]:
    """The durable safety net, run every minute by beat: emails pending past the grace period
    or stuck sending, claims waiting longer than ``SWEEP_GRACE`` (one ``assign_waiting_claims``)
    and stale ingest jobs are handed to a worker again."""
    email_ids = delivery.emails_to_redeliver()
    for email_id in email_ids:
        safe_delay(send_email, email_id)
    since = timezone.now() - SWEEP_GRACE
    waiting = claims_waiting_for_reviewers().filter(updated_at__lt=since)[:1000].count()
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
    return {name: len(ids) for name, ids in vars(run).items()}


@shared_task
def send_daily_digest() -> int:
    """The editors' daily digest (once per editor per day, however often it runs)."""
    return len(emails.email_digest(day=timezone.localdate()))
