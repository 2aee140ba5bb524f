"""Ingest jobs: the service checks what it is given, the task runs a job once to done or to a
visible failure, progress is written as it goes, and the sweep picks up jobs left behind.

The article is the seed article, read from ``../shared/seed/article.md`` at run time.
"""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.utils import timezone

from claims.extraction import jobs
from claims.extraction.jobs import ingest_job_create, ingest_job_run, ingest_jobs_to_retry
from claims.models import (
    Appearance,
    Claim,
    ClaimState,
    IngestJob,
    IngestKind,
    IngestStatus,
    Quantity,
    Source,
)
from claims.tasks import ingest_source
from verification.models import WorkflowAction, WorkflowEvent

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_queued(capture, **kwargs) -> IngestJob:
    """Create a job and let its transaction commit, so the eager task runs it."""
    with capture(execute=True):
        job = ingest_job_create(**kwargs)
    job.refresh_from_db()
    return job


# --- What the service accepts -----------------------------------------------------------------


def test_nothing_given_is_refused_on_each_of_the_three_fields(editor):
    with pytest.raises(ValidationError) as raised:
        ingest_job_create(actor=editor, text="   \n", url="")

    assert set(raised.value.error_dict) == {"text", "upload", "url"}
    assert not IngestJob.objects.exists()


def test_text_and_a_url_together_are_refused(editor):
    with pytest.raises(ValidationError, match="one way only"):
        ingest_job_create(actor=editor, text="Some article.", url="https://news.example/a")

    assert not IngestJob.objects.exists()


def test_text_over_the_size_limit_is_refused(editor, settings):
    settings.INGEST_MAX_BYTES = 1024

    with pytest.raises(ValidationError) as raised:
        ingest_job_create(actor=editor, text="é" * 600)  # 1,200 bytes in UTF-8

    assert "1,024-byte limit" in raised.value.error_dict["text"][0].message


def test_an_upload_over_the_size_limit_is_refused(editor, settings):
    settings.INGEST_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.txt", b"x" * 2000, content_type="text/plain")

    with pytest.raises(ValidationError) as raised:
        ingest_job_create(actor=editor, upload=upload)

    assert "upload" in raised.value.error_dict


def test_an_upload_that_is_not_text_markdown_or_html_is_refused(editor):
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.7", content_type="application/pdf")

    with pytest.raises(ValidationError) as raised:
        ingest_job_create(actor=editor, upload=upload)

    assert "scan.pdf" in raised.value.error_dict["upload"][0].message


def test_a_url_that_is_not_http_or_https_is_refused(editor):
    with pytest.raises(ValidationError) as raised:
        ingest_job_create(actor=editor, url="file:///etc/passwd")

    assert "url" in raised.value.error_dict


@pytest.mark.parametrize("who", ["reviewer", "outsider"])
def test_only_an_editor_may_queue_an_article(who, request):
    with pytest.raises(PermissionDenied):
        ingest_job_create(actor=request.getfixturevalue(who), text="An article.")

    assert not IngestJob.objects.exists()


def test_an_uploaded_markdown_file_is_stored_as_text_to_read_as_markdown(editor, article):
    upload = SimpleUploadedFile("story.md", article.encode(), content_type="text/markdown")

    job = ingest_job_create(actor=editor, upload=upload)

    assert (job.kind, job.format, job.input) == (IngestKind.FILE, "markdown", article)


# --- Running a job ----------------------------------------------------------------------------


def test_the_task_is_enqueued_only_when_the_job_is_committed(
    editor, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = ingest_job_create(actor=editor, text=article)

    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == IngestStatus.QUEUED
    assert not Claim.objects.exists()


def test_a_queued_job_runs_to_done_with_its_counts(
    editor, article, django_capture_on_commit_callbacks
):
    job = run_queued(django_capture_on_commit_callbacks, actor=editor, text=article)

    assert job.status == IngestStatus.DONE, job.error
    assert job.error == ""
    assert job.source == Source.objects.get()
    assert job.source.text == article
    assert job.total > 0 and job.done == job.total
    claims = Claim.objects.filter(appearances__source=job.source).distinct()
    assert job.created_count == claims.count() > 5
    assert set(claims.values_list("state", flat=True)) == {ClaimState.NEW}
    assert job.attached_count == Appearance.objects.count() - job.created_count
    assert job.suggested_count <= job.created_count
    assert job.skipped_count == 0
    assert job.started_at <= job.finished_at
    assert job.attempts == 1


def test_the_same_article_again_makes_nothing_new_and_counts_every_sentence_skipped(
    editor, article, django_capture_on_commit_callbacks
):
    first = run_queued(django_capture_on_commit_callbacks, actor=editor, text=article)
    claims_before = Claim.objects.count()

    second = run_queued(django_capture_on_commit_callbacks, actor=editor, text=article)

    assert second.status == IngestStatus.DONE
    assert second.source_id == first.source_id
    assert (second.created_count, second.attached_count) == (0, 0)
    assert second.skipped_count == first.created_count + first.attached_count
    assert Claim.objects.count() == claims_before


def test_progress_is_written_every_few_sentences_and_at_the_last(
    editor, article, settings, monkeypatch
):
    settings.INGEST_PROGRESS_EVERY = 5
    job = ingest_job_create(actor=editor, text=article)
    real = jobs.source_ingest
    seen: list[tuple[int, int, int]] = []

    def watched(**kwargs):
        report = kwargs.pop("progress")

        def spy(done: int, total: int) -> None:
            report(done, total)
            row = IngestJob.objects.get(pk=job.pk)
            seen.append((done, row.done, row.total))

        return real(progress=spy, **kwargs)

    monkeypatch.setattr(jobs, "source_ingest", watched)
    ingest_job_run(job_id=job.pk)

    total = seen[-1][0]
    assert total > 10
    written = {done for done, stored, _ in seen if stored == done}
    assert written == {1, total} | set(range(5, total + 1, 5))
    # Between writes the row keeps the last written count, never a count not yet reached.
    assert all(stored <= done for done, stored, _ in seen)
    assert all(stored_total == total for _, _, stored_total in seen)


def test_a_failure_is_recorded_with_the_error_and_leaves_no_half_made_claim(
    editor, article, monkeypatch, django_capture_on_commit_callbacks
):
    # The third claim with figures fails once the claim row itself is written, as its
    # figures are.
    real_bulk_create = Quantity.objects.bulk_create
    calls: list[int] = []

    def failing_bulk_create(quantities, *args, **kwargs):
        if quantities:
            calls.append(quantities[0].claim.pk)
            if len(calls) == 3:
                raise RuntimeError("the disk is full")
        return real_bulk_create(quantities, *args, **kwargs)

    monkeypatch.setattr(Quantity.objects, "bulk_create", failing_bulk_create)

    job = run_queued(django_capture_on_commit_callbacks, actor=editor, text=article)

    assert job.status == IngestStatus.FAILED
    assert job.error == "the disk is full"
    assert job.finished_at is not None
    assert job.source is None
    # The claim being made when it failed was rolled back whole, figures and all; the claims
    # made before it are complete, with their appearance and their "created" event.
    half_made = calls[-1]
    assert not Claim.objects.filter(pk=half_made).exists()
    assert not Quantity.objects.filter(claim_id=half_made).exists()
    assert Claim.objects.exists()
    for claim in Claim.objects.all():
        assert claim.appearances.exists()
        assert WorkflowEvent.objects.filter(claim=claim, action=WorkflowAction.CREATE).exists()


def test_a_failed_job_can_be_run_again_and_finishes_the_rest(
    editor, article, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(jobs, "source_ingest", lambda **kw: (_ for _ in ()).throw(KeyError("x")))
    failed = run_queued(django_capture_on_commit_callbacks, actor=editor, text=article)
    assert failed.status == IngestStatus.FAILED
    monkeypatch.undo()

    # A failed job stays failed; the desk queues the article again and nothing is doubled.
    assert ingest_job_run(job_id=failed.pk) is None
    again = run_queued(django_capture_on_commit_callbacks, actor=editor, text=article)

    assert again.status == IngestStatus.DONE
    assert again.created_count == Claim.objects.count() > 0


def test_an_unreachable_url_fails_the_job_and_stores_nothing(
    editor, settings, django_capture_on_commit_callbacks
):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True  # so the closed port is tried, not refused
    url = f"http://127.0.0.1:{closed_port()}/story"

    job = run_queued(django_capture_on_commit_callbacks, actor=editor, url=url)

    assert job.status == IngestStatus.FAILED
    assert url in job.error and "Connection refused" in job.error
    assert not Source.objects.exists()
    assert not Claim.objects.exists()


def test_the_task_run_twice_does_nothing_the_second_time(
    editor, article, django_capture_on_commit_callbacks
):
    job = run_queued(django_capture_on_commit_callbacks, actor=editor, text=article)
    claims, appearances = Claim.objects.count(), Appearance.objects.count()

    outcome = ingest_source.delay(job.pk).get()

    assert outcome == "not queued"
    again = IngestJob.objects.get(pk=job.pk)
    assert (again.status, again.attempts, again.updated_at) == (
        IngestStatus.DONE,
        1,
        job.updated_at,
    )
    assert (Claim.objects.count(), Appearance.objects.count()) == (claims, appearances)


def test_a_transient_database_fault_puts_the_job_back_in_the_queue(editor, article, monkeypatch):
    job = ingest_job_create(actor=editor, text=article)

    def database_gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(jobs, "source_ingest", database_gone)
    with pytest.raises(OperationalError):
        ingest_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == IngestStatus.QUEUED
    assert "server closed" in job.error
    monkeypatch.undo()
    assert ingest_job_run(job_id=job.pk).status == IngestStatus.DONE


def test_a_transient_fault_on_the_last_attempt_fails_the_job(
    editor, article, monkeypatch, settings
):
    settings.INGEST_MAX_ATTEMPTS = 1
    job = ingest_job_create(actor=editor, text=article)
    monkeypatch.setattr(
        jobs, "source_ingest", lambda **kw: (_ for _ in ()).throw(OperationalError("gone"))
    )

    with pytest.raises(OperationalError):
        ingest_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.error) == (IngestStatus.FAILED, "gone")


# --- The sweep --------------------------------------------------------------------------------


def test_the_sweep_hands_out_jobs_queued_for_over_a_minute_only(editor):
    now = timezone.now()
    old = ingest_job_create(actor=editor, text="An old article.")
    fresh = ingest_job_create(actor=editor, text="A new article.")
    IngestJob.objects.filter(pk=old.pk).update(updated_at=now - dt.timedelta(seconds=90))
    IngestJob.objects.filter(pk=fresh.pk).update(updated_at=now - dt.timedelta(seconds=10))

    assert ingest_jobs_to_retry(now=now) == [old.pk]


def test_the_sweep_requeues_a_job_whose_worker_died_and_fails_it_after_the_last_attempt(
    editor, settings
):
    settings.INGEST_MAX_ATTEMPTS = 2
    now = timezone.now()
    long_ago = now - jobs.stale_after() - dt.timedelta(seconds=1)
    dead = ingest_job_create(actor=editor, text="An article.")
    spent = ingest_job_create(actor=editor, text="Another article.")
    alive = ingest_job_create(actor=editor, text="A third article.")
    IngestJob.objects.filter(pk=dead.pk).update(
        status=IngestStatus.RUNNING, attempts=1, updated_at=long_ago
    )
    IngestJob.objects.filter(pk=spent.pk).update(
        status=IngestStatus.RUNNING, attempts=2, updated_at=long_ago
    )
    IngestJob.objects.filter(pk=alive.pk).update(
        status=IngestStatus.RUNNING, attempts=1, updated_at=now - dt.timedelta(minutes=1)
    )

    assert ingest_jobs_to_retry(now=now) == [dead.pk]

    statuses = dict(IngestJob.objects.values_list("pk", "status"))
    assert statuses == {
        dead.pk: IngestStatus.QUEUED,
        spent.pk: IngestStatus.FAILED,
        alive.pk: IngestStatus.RUNNING,
    }
