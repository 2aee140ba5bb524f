"""The archive's Celery tasks: thin and idempotent. Each claims its page with a conditional
UPDATE (``archive.services``), so a redelivery, a retry or the sweep does nothing twice."""

from __future__ import annotations

from celery import shared_task

from config.archive.models import Page
from config.archive.services.attest import snapshot_attest
from config.archive.services.capture import Outcome, page_archive, pages_due
from config.archive.services.watch import page_check, pages_to_check
from config.tasks import RETRY_TRANSIENT, publish_when_due, safe_delay


@shared_task(**RETRY_TRANSIENT)
def archive_page(page_id: int) -> str:
    """Archive one cited page (:func:`~archive.services.capture.page_archive`); a failed
    fetch is published again for when its backoff ends."""
    outcome = page_archive(page_id=page_id)
    if outcome is Outcome.RETRY:
        publish_when_due(archive_page, Page, page_id)
    return outcome.value


@shared_task(**RETRY_TRANSIENT)
def attest_snapshot(snapshot_id: int) -> list[str]:
    """Get the configured time-stamp and public copy of a new archived copy
    (:func:`~archive.services.attest.snapshot_attest`); a rerun asks only for what is missing."""
    return snapshot_attest(snapshot_id=snapshot_id)


@shared_task(**RETRY_TRANSIENT)
def check_page(page_id: int) -> str:
    """Re-fetch one watched page and report a change once
    (:func:`~archive.services.watch.page_check`)."""
    return page_check(page_id=page_id).value


@shared_task
def archive_sweep() -> dict[str, int]:
    """Run by beat: publish the archiving that is due (pending pages whose backoff is over,
    pages a dead worker held) and the watch's checks that are due."""
    due, checks = pages_due(), pages_to_check()
    for page_id in due:
        safe_delay(archive_page, page_id)
    for page_id in checks:
        safe_delay(check_page, page_id)
    return {"archive": len(due), "check": len(checks)}
