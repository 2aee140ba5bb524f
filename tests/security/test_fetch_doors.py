"""Each door that fetches a URL (an ingest job, the ingest API and command, ClaimReview import by
URL from the API and the command) refuses a forbidden one with its reason: a failed job, a 400,
a command error, never a 500, and nothing fetched or stored."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from claims.extraction.jobs import ingest_job_create, ingest_job_run
from claims.models import Claim, ExternalReview, IngestJob, IngestKind, IngestStatus, Source
from tests.claimreview import claim_review, rating_named
from tests.security.network import PUBLIC, page, redirect

pytestmark = pytest.mark.django_db

ARTICLE = (
    "<html><head><title>Harbour Budget Doubles</title></head><body><article><p>The harbour "
    "authority will spend $45 million a year on new piers, twice what it spent in 2019, "
    "according to its annual plan.</p></article></body></html>"
)
CLAIM_REVIEW = json.dumps(
    {
        "@context": "https://schema.org",
        **claim_review(
            "The lighthouse is 300 years old.",
            url="https://checkers.example/lighthouse",
            rating=rating_named("False"),
        ),
    }
)


def run_job(capture, **kwargs) -> IngestJob:
    with capture(execute=True):  # the eager task runs when the job commits
        job = ingest_job_create(**kwargs)
    job.refresh_from_db()
    return job


def nothing_stored() -> bool:
    return not (Source.objects.exists() or Claim.objects.exists())


# --- Ingest jobs ------------------------------------------------------------------------------


def test_a_job_for_a_name_that_resolves_to_loopback_fails_and_fetches_nothing(
    editor, site, resolver, internet, django_capture_on_commit_callbacks
):
    resolver.answers["intranet.example"] = [["127.0.0.1"]]
    site.routes["/story"] = page(ARTICLE)

    job = run_job(
        django_capture_on_commit_callbacks, actor=editor, url=site.url("/story", "intranet.example")
    )

    assert job.status == IngestStatus.FAILED
    assert "intranet.example resolves to 127.0.0.1, a loopback address" in job.error
    assert site.requests == [] and internet.attempts == []
    assert nothing_stored()


def test_a_job_for_a_public_host_that_redirects_to_loopback_fails_and_reads_nothing_there(
    editor, public_site, internet, django_capture_on_commit_callbacks
):
    public_site.routes["/story"] = redirect(public_site.url("/admin"))
    public_site.routes["/admin"] = page(ARTICLE)

    job = run_job(
        django_capture_on_commit_callbacks,
        actor=editor,
        url=public_site.url("/story", "news.example"),
    )

    assert job.status == IngestStatus.FAILED
    assert "127.0.0.1 is a loopback address" in job.error
    assert "news.example" in job.error and "redirected there" in job.error
    assert public_site.paths == ["/story"]
    assert internet.attempts == [(PUBLIC, public_site.port)]
    assert nothing_stored()


def test_a_job_for_a_public_host_is_fetched_and_ingested(
    editor, public_site, django_capture_on_commit_callbacks
):
    public_site.routes["/story"] = page(ARTICLE)

    job = run_job(
        django_capture_on_commit_callbacks,
        actor=editor,
        url=public_site.url("/story", "news.example"),
    )

    assert job.status == IngestStatus.DONE, job.error
    assert Source.objects.get().title == "Harbour Budget Doubles"
    assert job.created_count >= 1


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:6379/", "127.0.0.1 is a loopback address"),
        ("http://[::ffff:127.0.0.1]/", "loopback address (127.0.0.1) inside IPv6"),
        ("http://169.254.169.254/latest/meta-data/", "the cloud metadata address"),
        ("http://10.0.0.1/intranet", "a private address"),
        ("http://[fd00:ec2::254]/", "the cloud metadata address"),
        ("http://user:secret@news.example/", "user name or password"),
        # Django's URL check turns these spellings away first, with its own words.
        ("http://2130706433/", "Give an http:// or https:// address"),
        ("http://0x7f.1/", "Give an http:// or https:// address"),
        ("ftp://news.example/a", "Give an http:// or https:// address"),
    ],
)
def test_a_forbidden_url_is_refused_when_the_job_is_asked_for(editor, internet, url, reason):
    with pytest.raises(ValidationError) as refused:
        ingest_job_create(actor=editor, url=url)

    assert reason in refused.value.message_dict["url"][0]
    assert not IngestJob.objects.exists() and internet.attempts == []


@pytest.mark.parametrize(
    "url", ["http://2130706433/", "http://0177.0.0.1/", "http://127.1/", "http://0x7f.1/"]
)
def test_a_job_queued_with_a_forbidden_url_fails_when_it_runs(editor, internet, url):
    # A job stored by an older version, or by hand, still meets the fetcher's rules.
    job = IngestJob.objects.create(created_by=editor, kind=IngestKind.URL, input=url)

    ran = ingest_job_run(job_id=job.pk)

    assert ran.status == IngestStatus.FAILED
    assert "(127.0.0.1) is a loopback address" in ran.error
    assert internet.attempts == [] and nothing_stored()


def test_the_ingest_command_refuses_a_forbidden_url(editor, internet):
    with pytest.raises(CommandError, match="the cloud metadata address"):
        call_command("ingest", "http://169.254.169.254/latest/", "--user", editor.username)
    assert internet.attempts == [] and nothing_stored()


# --- The API ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:8000/admin/", "127.0.0.1 is a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "the cloud metadata address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://192.168.0.1/", "a private address"),
    ],
)
def test_the_ingest_api_answers_400_with_the_reason(as_editor, internet, url, reason):
    response = as_editor.post("/api/v1/ingest/", {"url": url}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and reason in error["fields"]["url"][0]
    assert not IngestJob.objects.exists() and internet.attempts == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:6379/", "127.0.0.1 is a loopback address"),
        ("http://2130706433/", "(127.0.0.1) is a loopback address"),
        ("http://[::ffff:169.254.169.254]/", "the cloud metadata address"),
        ("http://intranet.example/feed", "resolves to 10.0.0.8, a private address"),
        ("file:///etc/passwd", "Only http and https"),
    ],
)
def test_claimreview_import_by_url_answers_400_with_the_reason(
    as_editor, resolver, internet, url, reason
):
    resolver.answers["intranet.example"] = [["10.0.0.8"]]

    response = as_editor.post("/api/v1/claimreview/import", QUERY_STRING=f"url={url}")

    assert response.status_code == 400
    assert reason in response.json()["error"]["fields"]["url"][0]
    assert internet.attempts == [] and not ExternalReview.objects.exists()


def test_claimreview_import_by_url_reads_an_allowed_page(as_editor, public_site):
    public_site.routes["/feed"] = page(CLAIM_REVIEW, "application/ld+json")

    response = as_editor.post(
        "/api/v1/claimreview/import", QUERY_STRING=f"url={public_site.url('/feed', 'news.example')}"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["counts"]["created"] == 1
    assert ExternalReview.objects.get().publisher == "Coast Checkers"


def test_claimreview_import_by_url_takes_no_body_as_well(as_editor, public_site):
    response = as_editor.post(
        f"/api/v1/claimreview/import?url={public_site.url('/feed', 'news.example')}",
        CLAIM_REVIEW,
        content_type="application/ld+json",
    )
    assert response.status_code == 400
    assert "not both" in response.json()["error"]["message"]
    assert public_site.requests == []


def test_the_claimreview_command_fetches_a_url_through_the_same_rules(editor, public_site):
    public_site.routes["/feed"] = page(CLAIM_REVIEW, "application/json")
    out = StringIO()

    for url in (public_site.url("/feed", "news.example"), "http://[::1]:8000/feed"):
        call_command("import_claimreview", url, "--user", editor.username, stdout=out)

    printed = out.getvalue()
    assert "1 created, 0 matched, 0 rejected." in printed
    assert "::1 is a loopback address" in printed
    assert ExternalReview.objects.count() == 1
