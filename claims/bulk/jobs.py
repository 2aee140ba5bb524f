"""Import jobs: a CSV or JSON Lines file of claims, stored, then imported by a worker.

``import_job_create`` (the API, the admin's "Import claims" page, ``manage.py import_claims``)
stores the file with a queued :class:`ImportJob` and, after commit, publishes the task
``claims.tasks.import_claims``, which calls ``import_job_run``. A run imports the rows after
``rows_done``, ``BULK_IMPORT_CHUNK_ROWS`` at a time, each chunk one transaction with its report
lines and the new ``rows_done``: a killed worker leaves nothing of a chunk, and the next run
(redelivery, or the sweep ``import_jobs_to_retry``) resumes after the last committed row. Two
runs of one job take turns: each chunk begins by locking the job's row.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import islice

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from claims.bulk.mapping import MAPPINGS, ColumnMapping, RowError, read_row
from claims.bulk.rows import FileFormat, Row, RowReader
from claims.extraction.jobs import describe_error
from claims.models import ImportJob, ImportJobStatus, ImportRow, ImportStatus
from claims.roles import require_editor
from claims.services.record_import import REFUSALS, record_import_try, records_import
from claims.services.records import ImportedClaim, excerpt

# Faults worth another run (the database restarted, a connection dropped); anything else (an
# unreadable file, a refusal, a bug) fails the job with the error shown.
from config.tasks import TRANSIENT

logger = logging.getLogger(__name__)

# Rows read at creation to tell a file the mapping cannot read from one it can.
PREVIEW_ROWS = 50


def chunk_rows() -> int:
    """Rows a chunk imports in one transaction."""
    return max(1, int(settings.BULK_IMPORT_CHUNK_ROWS))


def max_attempts() -> int:
    """Runs a job may start without committing a chunk before it is failed."""
    return max(1, int(getattr(settings, "IMPORT_MAX_ATTEMPTS", 5)))


def _seconds(name: str, default: int) -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, name, default)))


def mapping_named(name: str) -> ColumnMapping:
    if name not in MAPPINGS:
        raise ValidationError({"mapping": f"{name!r} is not one of {', '.join(MAPPINGS)}."})
    return MAPPINGS[name]


def row_read(mapping: ColumnMapping, row: Row) -> ImportedClaim | str:
    """The row's record, or the reason it cannot be read."""
    if row.error:
        return row.error
    try:
        return read_row(mapping, row.values or {})
    except RowError as error:
        return str(error)


# --- Creating a job -------------------------------------------------------------------------


def import_job_create(
    *,
    actor: AbstractBaseUser,
    upload: File,
    file_format: str,
    mapping: str = "default",
    publish: bool = True,
) -> ImportJob:
    """Store a file of claims as a queued import job; publish its task once it is committed.

    1. Editors only; a mapping of ``MAPPINGS``, the format csv or jsonl.
    2. Store the file, then check it (a refused file is removed): at most
       ``BULK_IMPORT_MAX_BYTES`` (code ``too_large``, the API's 413), the mapping's required
       columns, and one of the first ``PREVIEW_ROWS`` rows readable (else each row's reason).
    3. Save the job; after commit publish ``import_claims`` unless ``publish=False`` (the
       caller runs it); if the broker is down, the sweep publishes it later.
    """
    require_editor(actor, "import claims")
    columns = mapping_named(mapping)
    if file_format not in FileFormat.values:
        raise ValidationError({"format": f"{file_format!r} is not one of {FileFormat.values}."})
    job = ImportJob(created_by=actor, name=(upload.name or "")[-200:], file_format=file_format)
    job.mapping = columns.name
    job.file.save(upload.name or f"import.{file_format}", upload, save=False)
    try:
        _file_check(job, columns)
    except ValidationError:
        job.file.delete(save=False)
        raise
    with transaction.atomic():
        job.save()
        if publish:
            _publish_after_commit(job.pk)
    return job


def _file_check(job: ImportJob, mapping: ColumnMapping) -> None:
    limit = settings.BULK_IMPORT_MAX_BYTES
    if job.file.size > limit:
        message = f"The file is {job.file.size:,} bytes, over the {limit:,}-byte limit."
        raise ValidationError({"file": ValidationError(message, code="too_large")})
    reasons = []
    with _reading(job, mapping) as rows:
        for row in islice(rows, PREVIEW_ROWS):
            read = row_read(mapping, row)
            if isinstance(read, ImportedClaim):
                return
            reasons.append(f"Row {row.number} (line {row.line}): {read}")
    if len(reasons) == PREVIEW_ROWS:
        reasons.append(f"… none of the first {PREVIEW_ROWS} rows could be read.")
    raise ValidationError({"rows": reasons or ["The file has no rows."]})


@contextmanager
def _reading(job: ImportJob, mapping: ColumnMapping) -> Iterator[Iterator[Row]]:
    """The stored file's rows, read as a stream (``RowReader``: the header is checked first)."""
    with job.file.open("rb") as stream:
        yield iter(
            RowReader(
                stream,
                file_format=job.file_format,
                delimiter=mapping.delimiter,
                quoting=mapping.quoting,
                header=mapping.header,
                required=mapping.required,
            )
        )


def _publish_after_commit(job_id: int) -> None:
    # Imported here: claims.tasks imports this module.
    from claims.tasks import import_claims
    from config.tasks import safe_delay

    transaction.on_commit(lambda: safe_delay(import_claims, job_id))


# --- Running a job --------------------------------------------------------------------------


def import_job_run(*, job_id: int, chunk_size: int | None = None) -> ImportJob | None:
    """Run a queued job, or resume a running one; ``None`` if it is finished (or gone).

    1. Mark it running and count the run; after ``IMPORT_MAX_ATTEMPTS`` runs that committed
       nothing it is failed instead (its file stops every worker).
    2. Count the file's rows once (``rows_total``), then import the rows after ``rows_done`` a
       chunk at a time (:func:`_chunk_import`).
    3. Mark it done, or failed with the error. A transient fault (or the soft time limit)
       leaves it running and is re-raised, for the retry or the sweep to resume it.
    """
    now = timezone.now()
    started = Coalesce(F("started_at"), Value(now, output_field=DateTimeField()))
    running = ImportJob.objects.filter(
        pk=job_id, status__in=[ImportJobStatus.QUEUED, ImportJobStatus.RUNNING]
    ).update(
        status=ImportJobStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=started,
        updated_at=now,
    )
    if not running:
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.attempts > max_attempts():
        _finish(
            job_id, ImportJobStatus.FAILED, "The import stopped at the same chunk on every run."
        )
    else:
        try:
            _job_import(job, chunk_size or chunk_rows())
        except (*TRANSIENT, SoftTimeLimitExceeded):
            raise
        except Exception as error:  # any other fault fails the job, with the error shown
            logger.warning("Import job %s failed: %s", job_id, error, exc_info=True)
            _finish(job_id, ImportJobStatus.FAILED, describe_error(error))
        else:
            _finish(job_id, ImportJobStatus.DONE)
    job.refresh_from_db()
    return job


def _job_import(job: ImportJob, size: int) -> None:
    mapping = mapping_named(job.mapping)
    if job.rows_total is None:
        with _reading(job, mapping) as rows:
            total = sum(1 for _ in rows)
        ImportJob.objects.filter(pk=job.pk).update(rows_total=total, updated_at=timezone.now())
    with _reading(job, mapping) as rows:
        while _chunk_import(job, mapping, rows, size):
            pass


def _chunk_import(job: ImportJob, mapping: ColumnMapping, rows: Iterator[Row], size: int) -> bool:
    """Import the next chunk in one transaction, with its report lines, ``rows_done`` and
    counts; False once the file (or the job) ends. The job's row is locked first and the rows
    another run committed meanwhile are skipped."""
    with transaction.atomic():
        done = (
            ImportJob.objects.select_for_update()
            .filter(pk=job.pk, status=ImportJobStatus.RUNNING)
            .values_list("rows_done", flat=True)
            .first()
        )
        if done is None:
            return False  # another run finished or failed it
        chunk = list(islice((row for row in rows if row.number > done), size))
        if not chunk:
            return False
        lines = rows_import(actor=job.created_by, mapping=mapping, rows=chunk)
        for line in lines:
            line.job_id = job.pk
        ImportRow.objects.bulk_create(lines)
        counts = Counter(line.status for line in lines)
        ImportJob.objects.filter(pk=job.pk).update(
            rows_done=chunk[-1].number,
            attempts=0,
            created_count=F("created_count") + counts[ImportStatus.CREATED],
            matched_count=F("matched_count") + counts[ImportStatus.MATCHED],
            rejected_count=F("rejected_count") + counts[ImportStatus.REJECTED],
            updated_at=timezone.now(),
        )
    return True


def rows_import(
    *, actor: AbstractBaseUser | None, mapping: ColumnMapping, rows: Sequence[Row]
) -> list[ImportRow]:
    """A chunk of a file's rows → claims, in the caller's transaction; an unsaved report line
    each. The readable rows are imported together (``records_import``); if the database refuses
    any of it, each alone (``record_import_try``), so the bad one is rejected with the reason.
    """
    lines: list[ImportRow] = []
    records: list[tuple[ImportRow, ImportedClaim]] = []
    for row in rows:
        read = row_read(mapping, row)
        line = ImportRow(row=row.number, line=row.line)
        if isinstance(read, str):
            line.status, line.reason = ImportStatus.REJECTED, read
        else:
            line.statement = excerpt(read.statement, 120)
            records.append((line, read))
        lines.append(line)
    data = [record for _, record in records]
    try:
        with transaction.atomic():
            outcomes = records_import(actor=actor, records=data)
    except REFUSALS:
        outcomes = [record_import_try(actor=actor, data=record) for record in data]
    for (line, _), outcome in zip(records, outcomes, strict=True):
        line.status, line.claim_id = outcome.status, outcome.claim_id
        line.reason, line.notes = outcome.reason, outcome.notes
    return lines


def _finish(job_id: int, status: str, error: str = "") -> None:
    now = timezone.now()
    ImportJob.objects.filter(pk=job_id, status=ImportJobStatus.RUNNING).update(
        status=status, error=error, finished_at=now, updated_at=now
    )


# --- The sweep --------------------------------------------------------------------------------


def import_jobs_to_retry(*, now: dt.datetime | None = None) -> list[int]:
    """Jobs to hand to a worker again (``sweep_import_jobs``, every minute): queued longer than
    ``IMPORT_SWEEP_AFTER_SECONDS`` (the message was lost), or running with no chunk committed
    for ``IMPORT_STALE_SECONDS`` (the worker died). A run that is alive after all only takes
    turns with the new one."""
    now = now or timezone.now()
    queued = now - _seconds("IMPORT_SWEEP_AFTER_SECONDS", 60)
    stale = now - _seconds("IMPORT_STALE_SECONDS", 600)
    waiting = Q(status=ImportJobStatus.QUEUED, updated_at__lt=queued) | Q(
        status=ImportJobStatus.RUNNING, updated_at__lt=stale
    )
    jobs = ImportJob.objects.filter(waiting).order_by("pk")
    return list(jobs.values_list("pk", flat=True)[:100])
