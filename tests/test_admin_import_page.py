"""The admin's "Import claims" page, the import job list and a job's report: an editor uploads
a file, is sent to the job's page (progress, counts), and follows a link to the lines of the
rejected rows; nobody else may use the page or see the jobs; the lists cost the same queries
at any length."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, ClaimState, ImportJob, ImportJobStatus
from tests.imports import import_file

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:claims_importjob_import"
CSV = (
    "statement,priority\n"
    "The lock gates are new.,high\n"
    "The port never closes.,whenever\n"
    "Dredging costs £2m a year.,normal\n"
).encode()


def upload(body: bytes = CSV) -> SimpleUploadedFile:
    return SimpleUploadedFile("claims.csv", body, content_type="text/csv")


def test_an_editor_uploads_a_file_and_follows_the_job_to_its_rejected_rows(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(IMPORT_URL), {"upload": upload(), "file_format": "csv", "mapping": "default"}
        )

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:claims_importjob_change", args=[job.pk])
    assert (job.status, job.created_by, job.name) == (ImportJobStatus.DONE, editor, "claims.csv")
    assert set(Claim.objects.values_list("state", flat=True)) == {ClaimState.NEW}
    page = client.get(response.url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "3/3 rows (100%)" in text
    assert page.context["refresh_seconds"] is None  # finished: no more reloading
    rejected = client.get(
        reverse("admin:claims_importrow_changelist"),
        {"job__id__exact": job.pk, "status__exact": "rejected"},
    )
    assert rejected.status_code == 200
    lines = list(rejected.context["cl"].result_list)
    assert [(line.row, line.status) for line in lines] == [(2, "rejected")]
    assert "priority" in lines[0].reason
    assert "The port never closes." in rejected.content.decode()


def test_a_file_the_job_cannot_read_is_shown_on_the_form_and_nothing_is_queued(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse(IMPORT_URL),
        {"upload": upload(b"claim\nx\n"), "file_format": "csv", "mapping": "default"},
    )
    assert response.status_code == 200
    assert "no statement column" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.fixture
def staff_reviewer(db, reviewer):
    reviewer.is_staff = True
    reviewer.save()
    return reviewer


def test_only_editors_import_or_see_the_jobs(client, staff_reviewer, editor):
    job = import_file(editor, CSV)
    client.force_login(staff_reviewer)
    assert client.get(reverse(IMPORT_URL)).status_code == 403
    for name, args in (
        ("admin:claims_importjob_changelist", []),
        ("admin:claims_importjob_change", [job.pk]),
        ("admin:claims_importrow_changelist", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403


def test_the_job_list_and_the_report_cost_the_same_queries_at_any_length(client, editor):
    client.force_login(editor)
    counts = []
    for n in (2, 12):
        ImportJob.objects.all().delete()
        for i in range(n):
            import_file(editor, f"statement\nClaim {i} of {n}.\nAnother {i} of {n}.\n".encode())
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("admin:claims_importjob_changelist"))
            client.get(reverse("admin:claims_importrow_changelist"))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_import_page_offers_the_formats_and_mappings(client, editor):
    client.force_login(editor)
    page = client.get(reverse(IMPORT_URL)).content.decode()
    for value in ("csv", "jsonl", "default", "liar"):
        assert f'value="{value}"' in page
