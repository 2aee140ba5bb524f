"""``manage.py ingest --async`` queues an ingest job for a worker and says how to follow it;
``--job ID`` shows a job's progress; ``--user`` names who acts, as in the other commands."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from claims.models import Claim, IngestJob, IngestKind, IngestStatus
from tests import factories

pytestmark = pytest.mark.django_db


def ingest(*args: str) -> str:
    out = StringIO()
    call_command("ingest", *args, stdout=out)
    return out.getvalue()


def test_async_queues_the_file_as_a_job_and_says_how_to_follow_it(
    editor, article_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        printed = ingest(str(article_path), "--async", "--user", "editor", "--title", "Seed")

    job = IngestJob.objects.get()
    assert (job.kind, job.format, job.status, job.title) == (
        IngestKind.FILE,
        "markdown",
        IngestStatus.QUEUED,
        "Seed",
    )
    assert job.input == article_path.read_text(encoding="utf-8")
    assert f"Queued ingest job #{job.pk}" in printed
    assert f"python manage.py ingest --job {job.pk}" in printed
    assert f"/api/v1/ingest/{job.pk}/" in printed
    assert len(callbacks) == 1 and not Claim.objects.exists()  # nothing ran inline


def test_the_queued_job_runs_on_commit_and_job_shows_its_outcome(
    editor, article_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ingest(str(article_path), "--async", "--user", "editor")
    job = IngestJob.objects.get()

    printed = ingest("--job", str(job.pk))

    assert "Status: Done" in printed
    assert f"Source #{job.source_id}" in printed
    assert f"{Claim.objects.count()} claim(s) created" in printed


def test_async_queues_a_url_for_the_worker_to_fetch(editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        ingest("https://news.example/harbour", "--async", "--user", "editor")
    job = IngestJob.objects.get()
    assert (job.kind, job.input) == (IngestKind.URL, "https://news.example/harbour")


def test_async_is_for_editors(reviewer, article_path):
    with pytest.raises(CommandError, match="Only an editor may ingest an article"):
        ingest(str(article_path), "--async", "--user", reviewer.username)
    assert not IngestJob.objects.exists()


def test_without_user_the_first_superuser_acts_and_without_one_the_command_refuses(
    article_path, django_capture_on_commit_callbacks
):
    with pytest.raises(CommandError, match="no superuser to act as"):
        ingest(str(article_path), "--async")
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=False):
        ingest(str(article_path), "--async")
    assert IngestJob.objects.get().created_by == admin


def test_an_unknown_user_job_or_missing_location_is_a_clear_error(editor, article_path):
    with pytest.raises(CommandError, match="No active user 'nobody'"):
        ingest(str(article_path), "--user", "nobody")
    with pytest.raises(CommandError, match="No ingest job #404"):
        ingest("--job", "404")
    with pytest.raises(CommandError, match="Give a file path or a URL"):
        ingest("--user", "editor")


def test_a_failed_job_shows_its_error(failed_ingest_job):
    printed = ingest("--job", str(failed_ingest_job.pk))
    assert "Status: Failed" in printed and "answered HTTP 404" in printed


def test_async_refuses_a_file_that_is_not_text(editor, tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.7\n%\xe2\xe3")
    with pytest.raises(CommandError, match=r"not 'scan\.pdf' \(application/pdf\)"):
        ingest(str(scan), "--async", "--user", "editor")
    assert not IngestJob.objects.exists()


def test_on_a_database_without_its_tables_the_command_says_to_migrate(article_path):
    # The users' table goes away inside the test's transaction (DDL is transactional on
    # PostgreSQL and SQLite), as on a fresh checkout where nobody ran migrate yet.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE auth_user RENAME TO auth_user_hidden")
    with pytest.raises(CommandError, match=r"not ready .*run `python manage.py migrate` first"):
        ingest(str(article_path))
