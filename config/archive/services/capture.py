"""Archiving a cited page: recorded with its citation, fetched by a Celery task, stored once.

The page's row is the durable record of the work; a worker claims it with a conditional UPDATE,
and the sweep (:func:`pages_due`) puts back a page a dead worker left "archiving".
"""

from __future__ import annotations

import datetime as dt
import enum
import random
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from claims.extraction.documents import ARTICLE_TYPES, DocumentError, document_from_fetched
from claims.models import Source
from config.archive.files import file_store, sha256, warc_of
from config.archive.models import ArchiveStatus, Citation, Page, Snapshot
from config.archive.screenshot import ScreenshotError, screenshot_of
from config.archive.services.attest import attest_wanted
from config.fetch import Fetched, FetchError, checked_url, fetch
from config.tasks import after_commit
from verification.models import Evidence


class Outcome(enum.Enum):
    ARCHIVED = "archived"
    PARTIAL = "partial"
    RETRY = "retry"
    FAILED = "failed"
    NOTHING_TO_DO = "nothing to do"  # not due, already archived, or another worker has it


def page_cite(*, url: str, evidence: Evidence | None = None, source: Source | None = None) -> Page:
    """Record in the caller's transaction that ``evidence`` or ``source`` cites ``url`` (one
    page per URL, one citation per item) and publish a page not yet archived after commit."""
    from config.archive.tasks import archive_page  # the task module imports this one

    url = url.strip()
    try:
        refusal, url = "", checked_url(url)
    except FetchError as error:  # kept as given, with the reason it will not be fetched
        refusal = str(error)
    page, created = Page.objects.get_or_create(
        url=url, defaults={"status": ArchiveStatus.FAILED, "last_error": refusal} if refusal else {}
    )
    owner = {"evidence": evidence} if evidence is not None else {"source": source}
    Citation.objects.update_or_create(**owner, defaults={"page": page})
    if created or page.status == ArchiveStatus.PENDING:
        after_commit(archive_page, page.pk)
    return page


def retry_delay(attempts: int) -> float:
    """Exponential backoff with full jitter, capped (``ARCHIVE_RETRY_BACKOFF_*``)."""
    ceiling = min(
        settings.ARCHIVE_RETRY_BACKOFF_MAX_SECONDS,
        settings.ARCHIVE_RETRY_BACKOFF_SECONDS * 2 ** max(0, attempts - 1),
    )
    return random.uniform(ceiling / 2, ceiling)


def _claim(page_id: int, now: dt.datetime) -> Page | None:
    claimed = Page.objects.filter(
        pk=page_id, status=ArchiveStatus.PENDING, next_attempt_at__lte=now
    ).update(status=ArchiveStatus.ARCHIVING, claimed_at=now, attempts=F("attempts") + 1)
    return Page.objects.get(pk=page_id) if claimed else None


def page_archive(*, page_id: int, now: dt.datetime | None = None) -> Outcome:
    """Archive one pending page that is due.

    1. Claim it (pending → archiving, one attempt more) with a conditional UPDATE.
    2. Fetch it; a failure goes back to pending with backoff, or to failed past the attempts.
    3. Store the files and record the snapshot: archived with a WARC and a text, else partial.
    4. When configured, publish the snapshot's time-stamp and public copy (``attest``).
    """
    now = now or timezone.now()
    page = _claim(page_id, now)
    if page is None:
        return Outcome.NOTHING_TO_DO
    try:
        fetched = page_fetch(page.url)
    except FetchError as error:
        return _failed(page, str(error))
    snapshot = snapshot_store(page=page, requested=page.url, fetched=fetched, now=now)
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(pk=page.pk)
        if locked.status != ArchiveStatus.ARCHIVING:
            return Outcome.NOTHING_TO_DO  # reclaimed as stale meanwhile; that run records it
        snapshot.save()
        complete = snapshot.is_complete
        locked.status = ArchiveStatus.ARCHIVED if complete else ArchiveStatus.PARTIAL
        locked.last_error, locked.claimed_at = snapshot.problem, None
        locked.archived = locked.compared = snapshot
        locked.check_every = settings.ARCHIVE_WATCH_MIN_SECONDS
        locked.next_check_at = now + dt.timedelta(seconds=locked.check_every)
        locked.save()
    if attest_wanted():
        from config.archive.tasks import attest_snapshot

        after_commit(attest_snapshot, snapshot.pk)
    return Outcome.ARCHIVED if complete else Outcome.PARTIAL


def page_fetch(url: str, *, errors: bool = False) -> Fetched:
    """Fetch a cited page as the archive does (to capture or to check it): an article's types,
    within the archive's limits; ``errors`` returns a 4xx or 5xx answer instead of raising."""
    return fetch(
        url,
        accept=ARTICLE_TYPES,
        max_bytes=settings.ARCHIVE_MAX_BYTES,
        timeout=settings.ARCHIVE_TIMEOUT,
        errors=errors,
    )


def snapshot_store(*, page: Page, requested: str, fetched: Fetched, now: dt.datetime) -> Snapshot:
    """Store what one fetch brought back and return its snapshot, not yet saved: a crash in
    between leaves a file no row names, never a row naming a missing file."""
    snapshot = Snapshot(
        page=page,
        fetched_at=now,
        final_url=fetched.url,
        status_code=fetched.status,
        content_type=fetched.content_type,
        body_sha256=sha256(fetched.body),
        body_size=len(fetched.body),
    )
    problems = []

    def store(kind: str, name: str, make: Callable[[], bytes], fault: type[Exception]) -> None:
        try:
            data = make()
        except fault as error:
            problems.append(f"No {kind}: {error}")
            return
        key, digest = file_store(page_id=page.pk, name=name, data=data)
        setattr(snapshot, f"{kind}_key", key)
        setattr(snapshot, f"{kind}_sha256", digest)

    warc = warc_of(requested=requested, page=fetched)
    snapshot.warc_key, snapshot.warc_sha256 = file_store(
        page_id=page.pk, name=".warc.gz", data=warc
    )
    if fetched.status < 400:
        store("text", ".txt", lambda: document_from_fetched(fetched).text.encode(), DocumentError)
        if settings.ARCHIVE_SCREENSHOTS:
            store("screenshot", ".png", lambda: screenshot_of(fetched), ScreenshotError)
    snapshot.problem = " ".join(problems)
    return snapshot


def _failed(page: Page, reason: str) -> Outcome:
    final = page.attempts >= settings.ARCHIVE_MAX_ATTEMPTS
    Page.objects.filter(pk=page.pk, status=ArchiveStatus.ARCHIVING).update(
        status=ArchiveStatus.FAILED if final else ArchiveStatus.PENDING,
        last_error=reason,
        claimed_at=None,
        next_attempt_at=timezone.now() + dt.timedelta(seconds=retry_delay(page.attempts)),
    )
    return Outcome.FAILED if final else Outcome.RETRY


def page_retry(*, page_ids: Iterable[int]) -> int:
    """Queue failed or partly archived pages again, attempts reset (the admin's action); how
    many."""
    from config.archive.tasks import archive_page

    ids = list(
        Page.objects.filter(
            pk__in=list(page_ids), status__in=[ArchiveStatus.FAILED, ArchiveStatus.PARTIAL]
        ).values_list("pk", flat=True)
    )
    Page.objects.filter(pk__in=ids).update(
        status=ArchiveStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    for page_id in ids:
        after_commit(archive_page, page_id)
    return len(ids)


def stale_before(now: dt.datetime) -> dt.datetime:
    """A claim older than this belongs to a worker that died (the fetch's deadline and a margin)."""
    return now - dt.timedelta(
        seconds=settings.ARCHIVE_TIMEOUT + settings.ARCHIVE_STALE_MARGIN_SECONDS
    )


def pages_due(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Pages to (re)archive now: pending and due, or claimed by a worker that died (put back
    to pending here)."""
    now = now or timezone.now()
    Page.objects.filter(status=ArchiveStatus.ARCHIVING, claimed_at__lt=stale_before(now)).update(
        status=ArchiveStatus.PENDING, claimed_at=None, next_attempt_at=now
    )
    due = Page.objects.filter(Q(status=ArchiveStatus.PENDING) & Q(next_attempt_at__lte=now))
    return list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
