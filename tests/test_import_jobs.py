"""Import jobs: a file checked and stored, imported a chunk per transaction, resumed after a
run that died, failed with the error on a fault, handed out again by the sweep."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from claims.bulk import jobs
from claims.bulk.jobs import import_job_create, import_job_run, import_jobs_to_retry
from claims.extraction.jobs import is_too_large
from claims.models import Claim, ImportJob, ImportJobStatus, ImportRow, Source
from claims.tasks import sweep_import_jobs
from tests.imports import import_file, jsonl, report
from verification.models import WorkflowEvent

pytestmark = pytest.mark.django_db

ROWS = [{"statement": f"Berth {n} is {100 + n} m long.", "topics": "Berths"} for n in range(10)]


class WorkerKilled(BaseException):
    """What a killed worker looks like from inside: the run stops, nothing catches it."""


def queued(actor, body: bytes = jsonl(ROWS), **options) -> ImportJob:
    return import_job_create(
        actor=actor,
        upload=ContentFile(body, name="rows.jsonl"),
        file_format=options.pop("file_format", "jsonl"),
        publish=False,
        **options,
    )


def stored_files() -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_a_job_imports_every_row_with_a_report_line_each(editor):
    job = import_file(editor, jsonl([*ROWS, ROWS[0], {"statement": ""}]), file_format="jsonl")

    assert job.status == ImportJobStatus.DONE
    assert (job.rows_total, job.rows_done) == (12, 12)
    assert (job.created_count, job.matched_count, job.rejected_count) == (10, 1, 1)
    assert job.started_at <= job.finished_at
    lines = report(job)
    assert [line[0] for line in lines] == list(range(1, 13))
    assert [line[2] for line in lines[-2:]] == ["matched", "rejected"]
    assert lines[-1][4] == "The row has no statement."
    assert Claim.objects.count() == WorkflowEvent.objects.count() == Claim.history.count() == 10
    first = job.rows.get(row=1)
    assert first.claim.statement == ROWS[0]["statement"]
    assert job.rows.get(row=11).claim_id == first.claim_id


def test_each_chunk_commits_its_claims_report_and_progress_together(editor, monkeypatch):
    job = queued(editor)
    seen = []
    real = jobs.rows_import

    def watched(**kwargs):
        # What the chunk before committed, as this chunk starts.
        row = ImportJob.objects.get(pk=job.pk)
        seen.append((row.rows_done, ImportRow.objects.count(), Claim.objects.count()))
        return real(**kwargs)

    monkeypatch.setattr(jobs, "rows_import", watched)
    import_job_run(job_id=job.pk, chunk_size=4)

    assert seen == [(0, 0, 0), (4, 4, 4), (8, 8, 8)]


def test_a_run_killed_mid_chunk_is_resumed_after_the_last_committed_chunk(editor, monkeypatch):
    job = queued(editor)
    real = jobs.records_import
    chunks = []

    def dies_in_the_second_chunk(**kwargs):
        outcomes = real(**kwargs)  # the chunk's claims are written ...
        chunks.append(len(outcomes))
        if len(chunks) == 2:
            raise WorkerKilled  # ... and the worker dies before the chunk commits
        return outcomes

    monkeypatch.setattr(jobs, "records_import", dies_in_the_second_chunk)
    with pytest.raises(WorkerKilled):
        import_job_run(job_id=job.pk, chunk_size=4)

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.attempts) == (ImportJobStatus.RUNNING, 4, 0)
    assert Claim.objects.count() == job.rows.count() == 4  # the second chunk left nothing

    monkeypatch.setattr(jobs, "records_import", real)
    resumed = import_job_run(job_id=job.pk, chunk_size=4)

    assert resumed.status == ImportJobStatus.DONE
    assert (resumed.rows_done, resumed.created_count, resumed.attempts) == (10, 10, 0)
    assert sorted(Claim.objects.values_list("statement", flat=True)) == sorted(
        row["statement"] for row in ROWS
    )
    assert list(resumed.rows.values_list("row", flat=True)) == list(range(1, 11))
    assert {line[2] for line in report(resumed)} == {"created"}


def test_a_job_whose_runs_all_die_at_the_same_chunk_is_failed(editor, monkeypatch):
    job = queued(editor)
    monkeypatch.setattr(
        jobs, "records_import", lambda **kwargs: (_ for _ in ()).throw(WorkerKilled)
    )
    for _ in range(jobs.max_attempts()):
        with pytest.raises(WorkerKilled):
            import_job_run(job_id=job.pk)

    failed = import_job_run(job_id=job.pk)

    assert failed.status == ImportJobStatus.FAILED
    assert "same chunk" in failed.error
    assert import_job_run(job_id=job.pk) is None  # finished: a redelivery does nothing


def test_a_fault_that_is_not_transient_fails_the_job_and_keeps_the_chunks_before(
    editor, monkeypatch
):
    job = queued(editor)
    real = jobs.records_import
    calls = []

    def breaks_on_the_third_chunk(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyError("a bug")
        return real(**kwargs)

    monkeypatch.setattr(jobs, "records_import", breaks_on_the_third_chunk)
    failed = import_job_run(job_id=job.pk, chunk_size=3)

    assert (failed.status, failed.rows_done, failed.error) == (ImportJobStatus.FAILED, 6, "'a bug'")
    assert Claim.objects.count() == 6


def test_a_transient_fault_leaves_the_job_running_for_the_retry(editor, monkeypatch):
    job = queued(editor)
    monkeypatch.setattr(
        jobs, "records_import", lambda **kwargs: (_ for _ in ()).throw(OperationalError("gone"))
    )
    with pytest.raises(OperationalError):
        import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.rows_done) == (ImportJobStatus.RUNNING, 0)

    monkeypatch.undo()
    assert import_job_run(job_id=job.pk).status == ImportJobStatus.DONE


def test_a_job_creators_lost_role_fails_the_job_with_the_reason(editor, monkeypatch):
    job = queued(editor)
    editor.groups.clear()
    failed = import_job_run(job_id=job.pk)
    assert failed.status == ImportJobStatus.FAILED
    assert failed.error == "Only an editor may import claims."
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("body", "options", "field", "message"),
    [
        (jsonl(ROWS), {"mapping": "politifact"}, "mapping", "'politifact' is not one of"),
        (jsonl(ROWS), {"file_format": "xml"}, "format", "'xml' is not one of"),
        (b"claim,speaker\nThe tide is out.,Sam\n", {"file_format": "csv"}, "file", "statement"),
        (b"0\n[]\n", {}, "rows", "Row 1 (line 1): The line is JSON but not an object."),
        (b"\n\n", {}, "rows", "The file has no rows."),
    ],
)
def test_a_file_the_job_could_not_read_is_refused_and_not_kept(
    editor, body, options, field, message
):
    with pytest.raises(ValidationError) as refused:
        queued(editor, body, **options)
    assert message in " ".join(refused.value.message_dict[field])
    assert not ImportJob.objects.exists()
    assert stored_files() == []


@override_settings(BULK_IMPORT_MAX_BYTES=1024)
def test_a_file_over_the_limit_is_refused_as_too_large(editor):
    with pytest.raises(ValidationError) as refused:
        queued(editor, jsonl(ROWS * 20))
    assert is_too_large(refused.value)
    assert stored_files() == []


def test_only_editors_queue_imports(reviewer):
    with pytest.raises(PermissionDenied):
        queued(reviewer)
    assert not ImportJob.objects.exists()


def test_the_task_runs_once_the_job_is_committed(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as published:
        job = import_job_create(
            actor=editor, upload=ContentFile(jsonl(ROWS), name="r.jsonl"), file_format="jsonl"
        )
    assert len(published) == 1
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportJobStatus.DONE, 10)
    assert Path(job.file.path).read_bytes() == jsonl(ROWS)


def test_the_sweep_hands_out_jobs_left_queued_or_stalled(editor, monkeypatch):
    waiting, stalled, fresh, done = (queued(editor) for _ in range(4))
    ImportJob.objects.filter(pk=stalled.pk).update(status=ImportJobStatus.RUNNING)
    ImportJob.objects.filter(pk=done.pk).update(status=ImportJobStatus.DONE)
    later = timezone.now() + dt.timedelta(minutes=11)
    ImportJob.objects.filter(pk=fresh.pk).update(updated_at=later)

    assert import_jobs_to_retry(now=later) == [waiting.pk, stalled.pk]
    assert import_jobs_to_retry() == []  # a minute has not passed

    published = []
    monkeypatch.setattr("claims.tasks.safe_delay", lambda task, job_id: published.append(job_id))
    monkeypatch.setattr("claims.tasks.import_jobs_to_retry", lambda: [waiting.pk])
    assert sweep_import_jobs() == 1
    assert published == [waiting.pk]


def test_a_source_of_a_rejected_row_is_not_written(editor):
    rows = [{"statement": "The quay is old.", "source_url": "https://news.example/quay",
             "rating": "False", "rating_publisher": "Checkers", "rating_url": "nope"}]  # fmt: skip
    job = import_file(editor, jsonl(rows), file_format="jsonl")
    assert report(job)[0][2:5] == ("rejected", "The quay is old.", "url: Enter a valid URL.")
    assert not Source.objects.exists()
