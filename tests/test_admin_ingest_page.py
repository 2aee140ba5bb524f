"""The admin's "Ingest an article" page and the ingest job list: an editor pastes or uploads an
article, is sent to the job's page, and the claims appear in state new in the claim list; nobody
else may use the page; the job list costs the same queries at any length.

The article is the seed article, read from ``../shared/seed/article.md`` at run time.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, ClaimState, IngestJob, IngestKind, IngestStatus
from tests import factories

pytestmark = pytest.mark.django_db

INGEST_URL = "admin:claims_ingestjob_ingest"


@pytest.fixture
def staff_outsider(db):
    """May log in to the admin, but is on neither desk."""
    return factories.UserFactory(username="staff_outsider", is_staff=True)


def test_an_editor_pastes_the_article_and_its_claims_wait_in_state_new_in_the_claim_list(
    client, editor, article, django_capture_on_commit_callbacks
):
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(INGEST_URL), {"text": article, "title": "", "url": ""})

    job = IngestJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:claims_ingestjob_change", args=[job.pk])
    assert (job.kind, job.status, job.created_by) == (IngestKind.TEXT, IngestStatus.DONE, editor)
    claims = Claim.objects.filter(appearances__source=job.source).distinct()
    assert claims.count() == job.created_count > 5
    page = client.get(reverse("admin:claims_claim_changelist"), {"state__exact": ClaimState.NEW})
    assert page.status_code == 200
    for claim in claims:
        assert claim.state == ClaimState.NEW
        assert reverse("admin:claims_claim_change", args=[claim.pk]) in page.content.decode()
    job_page = client.get(response.url)
    assert job_page.status_code == 200
    assert "Done" in job_page.content.decode()
    assert reverse("admin:claims_source_change", args=[job.source_id]) in job_page.content.decode()
    # Below the job, each of its claims, with its outcome, figures and speaker.
    rows = job_page.context["candidates"]
    assert {appearance.claim for appearance, _ in rows} == set(claims)
    outcomes = [outcome for _, outcome in rows]
    assert outcomes.count("created") == job.created_count
    assert outcomes.count("attached") == job.attached_count
    assert "3800000000 USD per year" in job_page.content.decode()


def test_an_editor_uploads_a_markdown_file_and_it_is_read_as_markdown(
    client, editor, article, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    upload = SimpleUploadedFile("story.md", article.encode(), content_type="text/markdown")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(INGEST_URL), {"upload": upload})

    job = IngestJob.objects.get()
    assert response.status_code == 302
    assert (job.kind, job.format, job.status) == (IngestKind.FILE, "markdown", IngestStatus.DONE)
    assert job.source.text == article


def test_the_publisher_author_and_date_given_on_the_page_are_the_sources(
    client, editor, article, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    data = {"text": article, "publisher": "The Desk Review", "author": "A. Writer"}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse(INGEST_URL), {**data, "published_on": "2023-11-05"})

    source = IngestJob.objects.get().source
    assert (source.publisher, source.author) == ("The Desk Review", "A. Writer")
    assert source.published_on.isoformat() == "2023-11-05"


def test_the_page_shows_a_labelled_paste_box_file_upload_and_url_field(client, editor):
    client.force_login(editor)

    page = client.get(reverse(INGEST_URL)).content.decode()

    assert 'enctype="multipart/form-data"' in page
    for name, label in (("text", "Article text"), ("upload", "Or a file"), ("url", "Or its URL")):
        assert f'<label for="id_{name}">{label}:</label>' in page
    assert '<textarea name="text"' in page
    assert '<input type="file" name="upload"' in page


def test_an_empty_form_shows_errors_on_its_fields_and_queues_nothing(client, editor):
    client.force_login(editor)

    response = client.post(reverse(INGEST_URL), {"text": "", "url": "", "title": ""})

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"text", "upload", "url"}
    assert "Please correct the errors below." in response.content.decode()
    assert not IngestJob.objects.exists()


def test_two_ways_at_once_is_an_error_above_the_form(client, editor):
    client.force_login(editor)

    response = client.post(
        reverse(INGEST_URL), {"text": "An article.", "url": "https://news.example/a"}
    )

    assert response.status_code == 200
    assert "one way only" in " ".join(response.context["form"].non_field_errors())
    assert not IngestJob.objects.exists()


@pytest.mark.parametrize("who", ["reviewer", "staff_outsider"])
def test_only_editors_may_open_or_post_the_ingest_page(client, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(reverse(INGEST_URL)).status_code == 403
    assert client.post(reverse(INGEST_URL), {"text": "An article."}).status_code == 403
    assert client.get(reverse("admin:claims_ingestjob_changelist")).status_code == 403
    assert not IngestJob.objects.exists()


def test_someone_not_allowed_into_the_admin_is_sent_to_log_in(client, outsider):
    client.force_login(outsider)

    response = client.post(reverse(INGEST_URL), {"text": "An article."})

    assert response.status_code == 302
    assert reverse("admin:login") in response.url
    assert not IngestJob.objects.exists()


def test_the_source_list_links_to_the_ingest_page_for_editors_only(client, editor, reviewer):
    link = reverse(INGEST_URL)
    client.force_login(editor)
    assert link in client.get(reverse("admin:claims_source_changelist")).content.decode()

    client.force_login(reviewer)
    assert link not in client.get(reverse("admin:claims_source_changelist")).content.decode()


def test_a_failed_job_shows_its_error_on_its_page(client, editor, failed_ingest_job):
    client.force_login(editor)

    listing = client.get(reverse("admin:claims_ingestjob_changelist")).content.decode()
    page = client.get(
        reverse("admin:claims_ingestjob_change", args=[failed_ingest_job.pk])
    ).content.decode()

    assert "answered HTTP 404" in listing
    assert "answered HTTP 404" in page
    assert 'http-equiv="refresh"' not in page


def test_a_running_job_page_reloads_itself_to_show_progress(client, editor):
    job = IngestJob.objects.create(
        created_by=editor,
        kind=IngestKind.TEXT,
        input="An article.",
        status=IngestStatus.RUNNING,
        done=20,
        total=80,
    )
    client.force_login(editor)

    page = client.get(reverse("admin:claims_ingestjob_change", args=[job.pk])).content.decode()

    assert 'http-equiv="refresh"' in page
    assert "20/80 sentences (25%)" in page


def make_jobs(count: int, editor) -> None:
    for n in range(count):
        source = factories.SourceFactory()
        IngestJob.objects.create(
            created_by=factories.EditorFactory(),
            kind=IngestKind.TEXT,
            input=f"Article number {n}.",
            status=IngestStatus.DONE,
            source=source,
            done=10,
            total=10,
            created_count=3,
        )


def changelist_queries(client, editor) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:claims_ingestjob_changelist"))
    assert response.status_code == 200
    return len(queries)


def test_the_job_list_costs_the_same_queries_at_5_and_50_rows(client, editor):
    client.force_login(editor)
    make_jobs(5, editor)
    at_five = changelist_queries(client, editor)

    make_jobs(45, editor)
    at_fifty = changelist_queries(client, editor)

    assert at_five == at_fifty
    page = client.get(reverse("admin:claims_ingestjob_changelist")).content.decode()
    assert page.count("10/10 sentences (100%)") == 50
