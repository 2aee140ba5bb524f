"""POST /api/v1/ingest/ queues an article (JSON text or URL, or a multipart upload) and
answers 202 with the job and its address; GET /api/v1/ingest/{id}/ shows its status, progress
and result. Bad input is a 400, too much a 413, the wrong kind of body or file a 415, each in
the API's one error shape; only editors ingest.

The seed article is read from ``../shared/seed/article.md`` at run time.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import Claim, IngestJob, IngestKind, IngestStatus, MatchOutcome, Source
from tests.serving import serving

pytestmark = pytest.mark.django_db

INGEST = "/api/v1/ingest/"

ARTICLE = """Harbour Budget Doubles

The city will spend $45 million a year on the harbour, the mayor's office said. \
"We are creating nearly 300 jobs," said Ana Ruiz, the mayor.
"""

# The same figures re-reported by a second paper, one sentence nearly word for word.
SECOND = """Harbour Plans

The city will spend $45 million a year on the harbour, officials said on Monday.
"""


@pytest.fixture
def as_editor(api, editor):
    return api(editor)


@pytest.fixture
def ingest(as_editor, django_capture_on_commit_callbacks):
    """POST to the endpoint and let the job's transaction commit, so the (eager) task runs."""

    def post(data, format: str = "json", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return as_editor.post(INGEST, data, format=format, **extra)

    return post


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def candidate(result: dict, words: str) -> dict:
    (found,) = [c for c in result["candidates"] if words in c["statement"]]
    return found


# --- Queueing and following a job --------------------------------------------------------------


def test_pasted_text_is_queued_and_answered_202_with_the_jobs_address(
    as_editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = as_editor.post(INGEST, {"text": ARTICLE, "title": "Harbour"}, format="json")

    assert response.status_code == 202
    body = response.json()
    job = IngestJob.objects.get()
    assert body["id"] == job.pk and body["status"] == IngestStatus.QUEUED
    assert (body["kind"], body["title"], body["url"], body["result"]) == (
        "text",
        "Harbour",
        None,
        None,
    )
    assert response["Location"] == f"http://testserver{INGEST}{job.pk}/"
    assert len(callbacks) == 1  # the task is published once the job is committed


def test_the_job_shows_its_result_per_candidate(ingest, as_editor):
    job_id = ingest({"text": ARTICLE, "publisher": "Harbour Times", "author": "Mira Tan"}).json()[
        "id"
    ]

    response = as_editor.get(f"{INGEST}{job_id}/")

    assert response.status_code == 200
    job = response.json()
    assert job["status"] == IngestStatus.DONE
    assert job["done"] == job["total"] > 0
    source = Source.objects.get()
    assert (source.publisher, source.author) == ("Harbour Times", "Mira Tan")
    assert job["source"] == job["result"]["source"] == source.pk
    assert job["created_count"] == len(job["result"]["candidates"]) == Claim.objects.count()
    money = candidate(job["result"], "$45 million a year")
    assert money["outcome"] == "created" and money["claim_state"] == "new"
    assert Claim.objects.filter(pk=money["claim"]).exists()
    assert 0 <= money["score"] <= 1
    (quantity,) = money["quantities"]
    assert (Decimal(quantity["value"]), quantity["unit"], quantity["period"]) == (
        Decimal(45_000_000),
        "USD",
        "year",
    )
    jobs = candidate(job["result"], "300 jobs")
    assert jobs["speaker"]["name"] == "Ana Ruiz" and jobs["attribution"] == "said"
    assert source.text[jobs["start"] : jobs["end"]] == jobs["quote"]


def test_the_seed_article_through_the_api_yields_its_figures(ingest, as_editor, article):
    job_id = ingest({"text": article}).json()["id"]
    result = as_editor.get(f"{INGEST}{job_id}/").json()["result"]
    aid = candidate(result, "3.8 billion")
    assert {(q["unit"], q["period"], Decimal(q["value"])) for q in aid["quantities"]} >= {
        ("USD", "year", Decimal(3_800_000_000))
    }
    assert len(result["candidates"]) >= 10


def test_a_second_article_shows_its_attachments_and_matches(ingest, as_editor):
    ingest({"text": ARTICLE})
    job_id = ingest({"text": SECOND}).json()["id"]

    result = as_editor.get(f"{INGEST}{job_id}/").json()["result"]

    attached = candidate(result, "$45 million a year")
    assert attached["outcome"] == "attached"
    (match,) = attached["matches"]
    assert match["outcome"] == MatchOutcome.ATTACHED
    assert match["existing"] == attached["claim"]
    assert match["score"] >= 0.85


def test_the_same_article_twice_makes_nothing_new(ingest, as_editor):
    ingest({"text": ARTICLE})
    claims = Claim.objects.count()

    again = ingest({"text": ARTICLE}).json()

    job = as_editor.get(f"{INGEST}{again['id']}/").json()
    assert (job["created_count"], job["attached_count"]) == (0, 0)
    assert {c["outcome"] for c in job["result"]["candidates"]} == {"already"}
    assert Claim.objects.count() == claims


def test_a_markdown_upload_is_read_as_markdown(ingest, as_editor, article):
    upload = SimpleUploadedFile("seed.md", article.encode(), content_type="text/markdown")

    response = ingest({"file": upload, "title": "Seed"}, format="multipart")

    assert response.status_code == 202, response.json()
    job = IngestJob.objects.get(pk=response.json()["id"])
    assert (job.kind, job.format, job.status) == (IngestKind.FILE, "markdown", IngestStatus.DONE)
    assert job.source.title == "Seed"


def test_an_upload_without_a_name_is_read_by_its_declared_type(ingest):
    upload = SimpleUploadedFile("article", ARTICLE.encode(), content_type="text/plain")
    response = ingest({"file": upload}, format="multipart")
    assert response.status_code == 202
    assert IngestJob.objects.get().format == "text"


class ArticleHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = ARTICLE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def article_server(settings) -> Iterator[str]:
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True  # the page is served from 127.0.0.1
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), ArticleHandler)) as port:
        yield f"http://127.0.0.1:{port}/harbour"


def test_a_url_is_fetched_by_the_worker(ingest, as_editor, article_server):
    response = ingest({"url": article_server})

    assert response.status_code == 202
    job = as_editor.get(f"{INGEST}{response.json()['id']}/").json()
    assert (job["kind"], job["url"], job["status"]) == ("url", article_server, "done")
    assert Source.objects.get().url == article_server
    assert job["created_count"] >= 1


def test_the_list_shows_jobs_newest_first_without_their_result(ingest, as_editor):
    first = ingest({"text": ARTICLE}).json()["id"]
    second = ingest({"text": SECOND}).json()["id"]

    response = as_editor.get(INGEST, {"status": "done"})

    assert [job["id"] for job in response.json()["results"]] == [second, first]
    assert "result" not in response.json()["results"][0]


def test_following_a_job_costs_the_same_queries_however_long_the_article(
    ingest, as_editor, article, django_assert_max_num_queries
):
    short = ingest({"text": ARTICLE}).json()["id"]
    long = ingest({"text": article}).json()["id"]
    with django_assert_max_num_queries(12) as short_queries:
        as_editor.get(f"{INGEST}{short}/")
    with django_assert_max_num_queries(len(short_queries)):
        as_editor.get(f"{INGEST}{long}/")


# --- Refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"text", "file", "url"}),
        ({"text": "   "}, {"text", "file", "url"}),
        ({"url": "ftp://news.example/a"}, {"url"}),
        ({"url": "not a url"}, {"url"}),
        ({"text": ARTICLE, "colour": "red"}, {"colour"}),
        ({"text": 42}, {"text"}),
        ({"text": ARTICLE, "published_on": "yesterday"}, {"published_on"}),
        ({"text": ARTICLE, "publisher": "x" * 201}, {"publisher"}),
    ],
)
def test_bad_input_is_a_400_naming_the_field(as_editor, data, fields):
    response = as_editor.post(INGEST, data, format="json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid" and set(error["fields"]) == fields
    assert not IngestJob.objects.exists()


def test_text_and_a_url_together_are_a_400(as_editor):
    response = as_editor.post(
        INGEST, {"text": ARTICLE, "url": "https://news.example/a"}, format="json"
    )
    assert response.status_code == 400
    assert "one way only" in error_of(response)["message"]


def test_text_over_the_limit_is_a_413(as_editor, settings):
    settings.INGEST_MAX_BYTES = 1024
    response = as_editor.post(INGEST, {"text": "word " * 300}, format="json")
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "payload_too_large" and "1,024-byte limit" in error["message"]
    assert not IngestJob.objects.exists()


def test_an_upload_over_the_limit_is_a_413(as_editor, settings):
    settings.INGEST_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.txt", b"word " * 300, content_type="text/plain")
    response = as_editor.post(INGEST, {"file": upload}, format="multipart")
    assert response.status_code == 413
    assert not IngestJob.objects.exists()


def test_a_body_declared_far_over_the_limit_is_a_413_before_it_is_read(as_editor, settings):
    settings.INGEST_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.txt", b"word " * 20_000, content_type="text/plain")
    response = as_editor.post(INGEST, {"file": upload}, format="multipart")
    assert response.status_code == 413
    assert "1,024 bytes" in error_of(response)["message"]


def test_an_upload_that_is_not_text_is_a_415(as_editor):
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.7", content_type="application/pdf")
    response = as_editor.post(INGEST, {"file": upload}, format="multipart")
    assert response.status_code == 415
    assert "scan.pdf" in error_of(response)["message"]
    assert not IngestJob.objects.exists()


def test_an_untyped_part_is_judged_by_its_content_not_its_name(as_editor, ingest):
    image = SimpleUploadedFile("file.png", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="")
    response = as_editor.post(INGEST, {"file": image}, format="multipart")
    assert response.status_code == 400
    assert "not UTF-8 text" in error_of(response)["fields"]["file"][0]

    text = SimpleUploadedFile("file.png", ARTICLE.encode(), content_type="")
    assert ingest({"file": text}, format="multipart").status_code == 202


def test_a_body_that_is_neither_json_nor_multipart_is_a_415(as_editor):
    response = as_editor.post(INGEST, ARTICLE, content_type="text/plain")
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_an_upload_that_is_not_utf8_is_a_400_on_the_file(as_editor):
    upload = SimpleUploadedFile("story.txt", "café".encode("latin-1"), content_type="text/plain")
    response = as_editor.post(INGEST, {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"file"}


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 401), ("outsider", 403), ("reviewer", 403)]
)
def test_only_editors_ingest_and_follow_jobs(api, role_user, editor, role, expected):
    client = api(role_user(role))
    assert client.post(INGEST, {"text": ARTICLE}, format="json").status_code == expected
    job = IngestJob.objects.create(created_by=editor, kind=IngestKind.TEXT, input=ARTICLE)
    assert client.get(f"{INGEST}{job.pk}/").status_code == expected
    assert client.get(INGEST).status_code == expected
    assert IngestJob.objects.count() == 1


def test_an_unknown_job_is_a_404_and_a_job_cannot_be_changed(as_editor, editor):
    assert as_editor.get(f"{INGEST}999999/").status_code == 404
    job = IngestJob.objects.create(created_by=editor, kind=IngestKind.TEXT, input=ARTICLE)
    assert as_editor.delete(f"{INGEST}{job.pk}/").status_code == 405
    assert as_editor.patch(f"{INGEST}{job.pk}/", {}, format="json").status_code == 405
