"""Ingest jobs: an article handed over at a door (admin, API, command) and extracted by a worker.

``ingest_job_create`` queues it, ``claims.tasks.ingest_source`` calls ``ingest_job_run`` after
commit, and ``ingest_jobs_to_retry`` hands out again jobs whose message was lost or whose worker
died. A rerun is safe: ``source_ingest`` skips sentences already extracted."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims.extraction.documents import (
    EXTENSIONS,
    UNTYPED,
    UPLOAD_TYPES,
    DocumentError,
    Format,
    check_transcript,
    max_bytes,
)
from claims.extraction.ingest import Action, IngestResult, source_ingest
from claims.models import IngestJob, IngestKind, IngestStatus
from claims.roles import require_editor
from config.fetch import FetchError, checked_url

# TRANSIENT: faults worth another attempt (the database restarted, a connection dropped).
# Anything else (an unreadable document, a refusal, a bug) fails the job with the error shown.
from config.tasks import TRANSIENT

logger = logging.getLogger(__name__)

UPLOAD_FORMATS = ", ".join(sorted(EXTENSIONS))


def progress_every() -> int:
    """Write progress to the job row at most once per this many sentences."""
    return max(1, int(getattr(settings, "INGEST_PROGRESS_EVERY", 10)))


def max_attempts() -> int:
    return max(1, int(getattr(settings, "INGEST_MAX_ATTEMPTS", 5)))


def sweep_after() -> dt.timedelta:
    """How long a job may sit queued before the sweep hands it out again."""
    return dt.timedelta(seconds=int(getattr(settings, "INGEST_SWEEP_AFTER_SECONDS", 60)))


def stale_after() -> dt.timedelta:
    """Past the task's hard time limit without progress, no live worker can still hold a job."""
    from claims.tasks import INGEST_TIME_LIMIT

    return dt.timedelta(seconds=INGEST_TIME_LIMIT + 60)


# --- Creating a job -------------------------------------------------------------------------


def ingest_job_create(
    *,
    actor: AbstractBaseUser,
    text: str | None = None,
    url: str | None = None,
    title: str = "",
    upload: UploadedFile | None = None,
    publisher: str = "",
    author: str = "",
    published_on: dt.date | None = None,
    format: str = Format.AUTO,
) -> IngestJob:
    """Queue an article for extraction and enqueue its task once the job is committed.

    1. Check the actor is an editor (an article becomes many claims awaiting triage at once).
    2. Check exactly one of text, a URL or an upload is given, within ``INGEST_MAX_BYTES``; a URL
       must be one ``config.fetch`` may fetch; a transcript must have a speaker or cue to read.
    3. Store the job as queued, with the input as given (an upload decoded), how to read it and
       the article's details the caller knows better than the document.
    4. After commit, publish ``ingest_source``; if the broker is down, the sweep runs it later.

    ``ValidationError`` codes ``too_large`` and ``unsupported_type`` are the API's 413 and 415.
    """
    require_editor(actor, "ingest an article")
    text = text if text and text.strip() else None
    url = url.strip() if url and url.strip() else None
    given = [name for name, value in (("text", text), ("url", url), ("upload", upload)) if value]
    if not given:
        message = "Paste the article, upload it as a file, or give its URL."
        raise ValidationError({"text": message, "upload": message, "url": message})
    if len(given) > 1:
        raise ValidationError(
            f"Give the article one way only, not {' and '.join(given)}.", code="ambiguous"
        )
    if format not in (Format.AUTO, *UPLOAD_TYPES.values()):
        raise ValidationError(
            {"format": f"{format!r} is not text, markdown, html, transcript or auto."}
        )
    limit = max_bytes()
    if text is not None:
        size = len(text.encode("utf-8"))
        if size > limit:
            raise _field_error("text", _too_large("The text", size, limit), "too_large")
        if "\x00" in text:
            raise ValidationError({"text": "The text contains NUL characters; paste text."})
        kind, value = IngestKind.TEXT, text
    elif url is not None:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError({"url": "Give an http:// or https:// address."}) from None
        try:
            checked_url(url)  # a forbidden address written in the URL is refused at once
        except FetchError as error:
            raise ValidationError({"url": str(error)}) from None
        kind, value = IngestKind.URL, url
    else:
        assert upload is not None
        read_as, value = _read_upload(upload, limit)
        format = read_as if format == Format.AUTO else format
        kind = IngestKind.FILE
    if kind != IngestKind.URL:
        try:
            check_transcript(value, format)
        except DocumentError as error:
            raise _field_error(
                "text" if kind == IngestKind.TEXT else "upload", str(error), "invalid"
            ) from None
    job = IngestJob(
        created_by=actor,
        kind=kind,
        input=value,
        title=title.strip()[:500],
        publisher=publisher.strip(),
        author=author.strip(),
        published_on=published_on,
        format=format,
    )
    job.full_clean(exclude=["created_by", "source", "input"])
    with transaction.atomic():
        job.save()
        _enqueue_after_commit(job.pk)
    return job


def upload_format(upload: UploadedFile) -> str:
    """How to read an upload: by its extension where the desk knows it, else by its declared
    type, else by its content; ``ValidationError`` (``unsupported_type``) for a declared type
    the desk does not read (the type is judged, since a name says little: ``notes.txt.png``)."""
    name = upload.name or ""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    if declared in UNTYPED:
        return EXTENSIONS.get(suffix, Format.AUTO)
    if declared in UPLOAD_TYPES:
        # A Markdown file is often sent as text/plain; its extension says more.
        return EXTENSIONS.get(suffix, UPLOAD_TYPES[declared])
    message = (
        f"Upload a text, Markdown, HTML or transcript file ({UPLOAD_FORMATS}), "
        f"not {name!r} ({declared})."
    )
    raise _field_error("upload", message, "unsupported_type")


def _read_upload(upload: UploadedFile, limit: int) -> tuple[str, str]:
    name = upload.name or "The file"
    format = upload_format(upload)
    if upload.size is not None and upload.size > limit:
        raise _field_error("upload", _too_large(name, upload.size, limit), "too_large")
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise _field_error("upload", _too_large(name, len(raw), limit), "too_large")
    try:
        value = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"upload": f"{name} is not UTF-8 text."}) from None
    if "\x00" in value:
        raise ValidationError({"upload": f"{name} contains NUL characters; it is not text."})
    if not value.strip():
        raise ValidationError({"upload": f"{name} is empty."})
    return format, value


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _too_large(what: str, size: int, limit: int) -> str:
    return f"{what} is {size:,} bytes, over the {limit:,}-byte limit."


def is_too_large(error: ValidationError) -> bool:
    """Whether the service refused the input for its size (the API's 413)."""
    return _has_code(error, "too_large")


def is_unsupported_type(error: ValidationError) -> bool:
    """Whether the service refused an upload for what it is (the API's 415)."""
    return _has_code(error, "unsupported_type")


def _has_code(error: ValidationError, code: str) -> bool:
    errors = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    return any(item.code == code for items in errors for item in items)


def _enqueue_after_commit(job_id: int) -> None:
    # Imported here: claims.tasks imports this module.
    from claims.tasks import ingest_source
    from config.tasks import safe_delay

    transaction.on_commit(lambda: safe_delay(ingest_source, job_id))


# --- Running a job --------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    created: int
    attached: int
    suggested: int
    skipped: int

    @classmethod
    def of(cls, result: IngestResult) -> Counts:
        created = result.with_action(Action.CREATED)
        return cls(
            created=len(created),
            attached=len(result.with_action(Action.ATTACHED)),
            suggested=sum(1 for o in created if o.match is not None),
            skipped=len(result.with_action(Action.ALREADY)),
        )

    def summary(self) -> str:
        """The counts as ``manage.py ingest`` prints them, for an article and for a job."""
        return (
            f"{self.created} claim(s) created ({self.suggested} with a likely duplicate), "
            f"{self.attached} attached to existing claims, {self.skipped} already extracted."
        )


def ingest_job_run(*, job_id: int) -> IngestJob | None:
    """Run one queued job; ``None`` if it is not queued (another worker has or had it).

    1. Claim the job: a conditional UPDATE queued → running, so only one worker runs it.
    2. Run ``source_ingest`` as its creator, writing progress every ``INGEST_PROGRESS_EVERY``.
    3. Record the source and the counts (done), or the error (failed).
    4. On a transient fault, requeue and re-raise so the task retries (failed after
       ``INGEST_MAX_ATTEMPTS``).
    """
    now = timezone.now()
    claimed = IngestJob.objects.filter(pk=job_id, status=IngestStatus.QUEUED).update(
        status=IngestStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        updated_at=now,
        error="",
    )
    if not claimed:
        return None
    job = IngestJob.objects.select_related("created_by").get(pk=job_id)
    try:
        result = source_ingest(
            actor=job.created_by,
            text=job.input if job.kind != IngestKind.URL else None,
            url=job.input if job.kind == IngestKind.URL else None,
            title=job.title,
            publisher=job.publisher,
            author=job.author,
            published_on=job.published_on,
            format=job.format,
            progress=_progress_writer(job_id),
        )
    except TRANSIENT as error:
        if job.attempts >= max_attempts():
            _finish(job_id, status=IngestStatus.FAILED, error=describe_error(error))
        else:
            _requeue(job_id, error)
        raise
    except Exception as error:  # any other fault fails the job, with the error shown
        logger.warning("Ingest job %s failed: %s", job_id, error, exc_info=True)
        _finish(job_id, status=IngestStatus.FAILED, error=describe_error(error))
    else:
        counts = Counts.of(result)
        _finish(
            job_id,
            status=IngestStatus.DONE,
            source=result.source,
            created_count=counts.created,
            attached_count=counts.attached,
            suggested_count=counts.suggested,
            skipped_count=counts.skipped,
        )
    job.refresh_from_db()
    return job


def _progress_writer(job_id: int) -> Callable[[int, int], None]:
    every = progress_every()

    def report(done: int, total: int) -> None:
        # The first write shows the total at once; then every few sentences, and the last.
        if done in (1, total) or done % every == 0:
            IngestJob.objects.filter(pk=job_id, status=IngestStatus.RUNNING).update(
                done=done, total=total, updated_at=timezone.now()
            )

    return report


def _finish(job_id: int, *, status: str, **fields: object) -> None:
    now = timezone.now()
    IngestJob.objects.filter(pk=job_id, status=IngestStatus.RUNNING).update(
        status=status, finished_at=now, updated_at=now, **fields
    )


def _requeue(job_id: int, error: BaseException) -> None:
    try:
        IngestJob.objects.filter(pk=job_id, status=IngestStatus.RUNNING).update(
            status=IngestStatus.QUEUED, error=describe_error(error), updated_at=timezone.now()
        )
    except TRANSIENT:
        # The database is still away; the sweep finds the job stale and queues it again.
        logger.warning("Ingest job %s left running after %s", job_id, error)


def describe_error(error: BaseException) -> str:
    """A job's error, in a line (the ingest and import jobs show it)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or type(error).__name__


# --- The sweep --------------------------------------------------------------------------------


def ingest_jobs_to_retry(*, now: dt.datetime | None = None) -> list[int]:
    """Jobs to hand to a worker again; called every minute by ``sweep_pending_work``.

    1. A running job untouched past the task's hard time limit lost its worker: requeue it
       (compare-and-set on its last touch), or fail it after ``INGEST_MAX_ATTEMPTS``.
    2. Return those and the jobs queued longer than ``INGEST_SWEEP_AFTER_SECONDS`` (a second
       message is harmless: only one worker can claim a job).
    """
    now = now or timezone.now()
    stale = IngestJob.objects.filter(
        status=IngestStatus.RUNNING, updated_at__lt=now - stale_after()
    )
    stale.filter(attempts__gte=max_attempts()).update(
        status=IngestStatus.FAILED,
        finished_at=now,
        updated_at=now,
        error="The worker stopped on every attempt; giving up.",
    )
    revived = []
    for job_id, touched in stale.values_list("pk", "updated_at")[:100]:
        if IngestJob.objects.filter(
            pk=job_id, status=IngestStatus.RUNNING, updated_at=touched
        ).update(status=IngestStatus.QUEUED, updated_at=now, error="The worker stopped."):
            revived.append(job_id)
    waiting = IngestJob.objects.filter(
        status=IngestStatus.QUEUED, updated_at__lt=now - sweep_after()
    ).order_by("pk")
    return sorted({*revived, *waiting.values_list("pk", flat=True)[:100]})
