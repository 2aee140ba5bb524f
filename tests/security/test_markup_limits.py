"""Hostile documents at every door that reads one: a billion-laughs XML, a 50 MB page, a
10,000-deep JSON and a malformed JSON-LD block, fed to ingestion (by URL and by upload),
ClaimReview import (by file and by URL, and as an API body) and bulk import. Each gets a clear
error (a failed job, a 400, 413 or 415, a printed problem), never a 500, and nothing is written.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from claims.extraction.jobs import ingest_job_create
from claims.models import Claim, ExternalReview, IngestJob, IngestStatus, Source
from config.untrusted import JSON_MAX_DEPTH, JSONTooDeep, html_tree, json_depth_check, load_json
from tests.security.network import page, streamed

pytestmark = pytest.mark.django_db

ENTITIES = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">\n' for n in range(1, 10)).replace(
    "&lol0;", "lol"
)
LAUGHS_XML = f'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n{ENTITIES}]>\n<lolz>&lol9;</lolz>\n'
LAUGHS_HTML = f"<!DOCTYPE html [\n{ENTITIES}]>\n<html><body><p>&lol9;</p></body></html>\n"
DEEP_JSON = "[" * 10_000 + "]" * 10_000
FIFTY_MB = 50 * 1024 * 1024
ARTICLE_TEXT = (
    "<p>The harbour authority will spend $45 million a year on new piers, twice what it spent "
    "in 2019, according to its annual plan.</p>"
)
MALFORMED_JSONLD = (
    "<html><head><title>Harbour Budget Doubles</title>"
    '<script type="application/ld+json">{"@type": "ClaimReview", "claimReviewed": ,}</script>'
    f"</head><body><article>{ARTICLE_TEXT}</article></body></html>"
)
DEEP_JSONLD = MALFORMED_JSONLD.replace('{"@type": "ClaimReview", "claimReviewed": ,}', DEEP_JSON)


def nothing_written() -> bool:
    return not (
        Claim.objects.exists() or Source.objects.exists() or ExternalReview.objects.exists()
    )


# --- The guards themselves --------------------------------------------------------------------


def test_json_up_to_the_depth_limit_is_read_and_one_more_level_is_refused():
    at_limit = "[" * JSON_MAX_DEPTH + "]" * JSON_MAX_DEPTH
    assert load_json(at_limit) is not None
    with pytest.raises(JSONTooDeep, match=rf"nested too deeply \(over {JSON_MAX_DEPTH} levels\)"):
        load_json("[" + at_limit + "]")


def test_brackets_inside_strings_do_not_count_as_nesting():
    text = json.dumps({"statement": "[" * 500 + '"{' * 300, "list": [[["ok"]]]})
    json_depth_check(text)
    assert load_json(text.encode())["list"] == [[["ok"]]]


def test_a_10000_deep_json_is_refused_without_recursing():
    with pytest.raises(JSONTooDeep) as refused:
        load_json(DEEP_JSON)
    assert refused.value.pos == JSON_MAX_DEPTH  # where the 65th bracket opens
    assert isinstance(refused.value, json.JSONDecodeError)


def test_entity_declarations_are_refused_and_deep_html_stays_within_libxml2s_limit():
    with pytest.raises(ValueError, match="declares XML entities"):
        html_tree(LAUGHS_HTML)
    tree = html_tree("<div>" * 100_000 + "deep" + "</div>" * 100_000)
    depth, node = 0, tree
    while len(node):
        node, depth = node[0], depth + 1
    assert depth < 300  # libxml2 stops nesting (huge_tree is off); nothing recursed past it


# --- Ingestion by URL -------------------------------------------------------------------------


def run_url_job(capture, editor, url) -> IngestJob:
    with capture(execute=True):
        job = ingest_job_create(actor=editor, url=url)
    job.refresh_from_db()
    return job


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (page(LAUGHS_XML, "text/xml"), "declares XML entities"),
        (page(LAUGHS_HTML, "text/html"), "declares XML entities"),
        (streamed(FIFTY_MB), "over the 5,242,880-byte limit; stopped reading"),
        (page("x" * (6 * 1024 * 1024), "text/html"), "over the 5,242,880-byte limit"),
        (page(DEEP_JSON, "application/json"), "is application/json, not text/*"),
    ],
    ids=["laughs-xml", "laughs-html", "50mb", "declared-6mb", "deep-json"],
)
def test_ingestion_by_url_fails_the_job_with_the_reason(
    editor, local_site, django_capture_on_commit_callbacks, route, reason
):
    local_site.routes["/doc"] = route

    job = run_url_job(django_capture_on_commit_callbacks, editor, local_site.url("/doc"))

    assert job.status == IngestStatus.FAILED
    assert reason in job.error
    assert nothing_written()


@pytest.mark.parametrize("markup", [MALFORMED_JSONLD, DEEP_JSONLD], ids=["malformed", "deep"])
def test_ingestion_reads_an_article_whose_json_ld_is_broken_and_ignores_the_block(
    editor, local_site, django_capture_on_commit_callbacks, markup
):
    # Ingestion reads the article's text; a JSON-LD block only offers metadata, so a broken one
    # is passed over (the title comes from <title>) rather than failing the article.
    local_site.routes["/story"] = page(markup)

    job = run_url_job(django_capture_on_commit_callbacks, editor, local_site.url("/story"))

    assert job.status == IngestStatus.DONE, job.error
    assert Source.objects.get().title == "Harbour Budget Doubles"
    assert "$45 million a year" in Source.objects.get().text


# --- Ingestion by upload and by API body ----------------------------------------------------


def test_an_uploaded_billion_laughs_fails_its_job_with_the_reason(
    as_editor, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("laughs.html", LAUGHS_HTML.encode(), content_type="text/html")

    with django_capture_on_commit_callbacks(execute=True):
        response = as_editor.post("/api/v1/ingest/", {"file": upload}, format="multipart")

    assert response.status_code == 202
    job = IngestJob.objects.get()
    assert job.status == IngestStatus.FAILED and "declares XML entities" in job.error
    assert nothing_written()


def test_a_50_mb_upload_is_a_413_and_queues_nothing(as_editor):
    upload = SimpleUploadedFile("big.html", b"<p>x</p>" * (FIFTY_MB // 8), content_type="text/html")

    response = as_editor.post("/api/v1/ingest/", {"file": upload}, format="multipart")

    assert response.status_code == 413
    assert not IngestJob.objects.exists() and nothing_written()


def test_a_deep_json_upload_is_a_415(as_editor):
    upload = SimpleUploadedFile("deep.json", DEEP_JSON.encode(), content_type="application/json")

    response = as_editor.post("/api/v1/ingest/", {"file": upload}, format="multipart")

    assert response.status_code == 415
    assert not IngestJob.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/ingest/", "/api/v1/claims/", "/api/v1/sources/"])
def test_a_10000_deep_json_body_is_a_400_at_any_endpoint(as_editor, path):
    response = as_editor.post(path, DEEP_JSON, content_type="application/json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parse_error"
    assert f"nested too deeply (over {JSON_MAX_DEPTH} levels)" in error["message"]
    assert not IngestJob.objects.exists() and nothing_written()


def test_a_json_body_over_the_upload_limit_is_a_413(as_editor, settings):
    body = json.dumps({"text": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    response = as_editor.post("/api/v1/ingest/", body, content_type="application/json")

    assert response.status_code == 413
    assert not IngestJob.objects.exists()


# --- ClaimReview import by file ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (LAUGHS_XML, "declares XML entities"),
        (LAUGHS_HTML, "declares XML entities"),
        (DEEP_JSON, "The document's JSON is nested too deeply"),
        (MALFORMED_JSONLD, "JSON-LD block 1 of the page is not JSON"),
        (
            DEEP_JSONLD,
            f"JSON-LD block 1 of the page is not JSON (nested too deeply (over {JSON_MAX_DEPTH}",
        ),
    ],
    ids=["laughs-xml", "laughs-html", "deep-json", "malformed-jsonld", "deep-jsonld"],
)
def test_claimreview_import_of_a_file_prints_the_problem_and_creates_nothing(
    editor, tmp_path, content, reason
):
    path = tmp_path / "reviews.html"
    path.write_text(content, encoding="utf-8")
    out = StringIO()

    call_command("import_claimreview", str(path), "--user", editor.username, stdout=out)

    assert reason in out.getvalue()
    assert "0 created, 0 matched, 0 rejected." in out.getvalue()
    assert nothing_written()


def test_claimreview_import_of_a_50_mb_file_is_refused(editor, tmp_path):
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * FIFTY_MB)

    with pytest.raises(CommandError, match="over the 10,485,760-byte limit; nothing was imported"):
        call_command("import_claimreview", str(path), "--user", editor.username)
    assert nothing_written()


# --- ClaimReview import by URL and as an API body -----------------------------------------


IMPORT = "/api/v1/claimreview/import"


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (page(LAUGHS_HTML, "text/html"), "declares XML entities"),
        (streamed(FIFTY_MB), "over the 10,485,760-byte limit; stopped reading"),
        (page(DEEP_JSON, "application/json"), "The document's JSON is nested too deeply"),
        (page(MALFORMED_JSONLD, "text/html"), "JSON-LD block 1 of the page is not JSON"),
        (page(LAUGHS_XML, "application/xml"), "is application/xml, not application/ld+json"),
    ],
    ids=["laughs", "50mb", "deep-json", "malformed-jsonld", "xml"],
)
def test_claimreview_import_by_url_answers_400_with_the_problem(
    as_editor, local_site, route, reason
):
    local_site.routes["/reviews"] = route

    response = as_editor.post(IMPORT, QUERY_STRING=f"url={local_site.url('/reviews')}")

    assert response.status_code == 400
    assert any(reason in problem for problem in response.json()["error"]["fields"]["url"])
    assert nothing_written()


@pytest.mark.parametrize(
    ("body", "content_type", "status", "reason"),
    [
        (LAUGHS_HTML, "text/html", 400, "declares XML entities"),
        (LAUGHS_XML, "text/html", 400, "declares XML entities"),
        (MALFORMED_JSONLD, "text/html", 400, "JSON-LD block 1 of the page is not JSON"),
        (DEEP_JSONLD, "text/html", 400, "nested too deeply"),
        (DEEP_JSON, "application/json", 400, "nested too deeply"),
        (DEEP_JSON, "application/ld+json", 400, "nested too deeply"),
        (" " * FIFTY_MB, "application/ld+json", 413, "over the limit"),
        ("<p>x</p>" * (FIFTY_MB // 8), "text/html", 413, "over the limit"),
    ],
    ids=[
        "laughs-html", "laughs-xml", "malformed-jsonld", "deep-jsonld", "deep-json",
        "deep-json-ld", "50mb-json", "50mb-html",
    ],
)  # fmt: skip
def test_claimreview_import_of_a_body_answers_with_a_clear_error(
    as_editor, body, content_type, status, reason
):
    response = as_editor.post(IMPORT, body, content_type=content_type)

    assert response.status_code == status
    error = response.json()["error"]
    assert reason in error["message"] or any(
        reason in message for messages in error["fields"].values() for message in messages
    )
    assert nothing_written()


# --- Bulk import ------------------------------------------------------------------------------


BULK = "/api/v1/claims/import"


@pytest.mark.parametrize(
    ("body", "query", "reason"),
    [
        (LAUGHS_XML, "format=csv", "The header row has no statement column"),
        (LAUGHS_XML, "format=jsonl", "The line is not JSON"),
        (DEEP_JSON + "\n", "format=jsonl", f"nested too deeply (over {JSON_MAX_DEPTH} levels)"),
        (
            f'statement,appearances\n"The pier is new.","{DEEP_JSON}"\n',
            "format=csv",
            "The appearances cell is not JSON: nested too deeply",
        ),
        (
            '{"@type": "ClaimReview", "statement": "The bay froze.",}\n',
            "format=jsonl",
            "The line is not JSON",
        ),
    ],
    ids=["laughs-csv", "laughs-jsonl", "deep-jsonl", "deep-csv-cell", "malformed-json-ld"],
)
def test_bulk_import_of_a_hostile_file_answers_400_with_each_rows_reason(
    as_editor, body, query, reason
):
    response = as_editor.post(f"{BULK}?{query}", body, content_type="text/csv")

    assert response.status_code == 400
    error = response.json()["error"]
    assert reason in error["message"] or any(
        reason in message for messages in error["fields"].values() for message in messages
    )
    assert nothing_written()


def test_bulk_import_of_a_file_over_its_limit_is_a_413(as_editor, settings):
    body = b"statement\n" + b"x" * settings.BULK_IMPORT_MAX_BYTES

    response = as_editor.post(f"{BULK}?format=csv", body, content_type="text/csv")

    assert response.status_code == 413
    assert nothing_written()
