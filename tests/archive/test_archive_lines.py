"""The archive's line on the desk's source and claim pages: "archived <time>, SHA-256 …" with
the copy and (editors) the WARC, or the page's state and why; one query for all of a claim's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Source
from config.archive.models import ArchiveStatus, Page, WatchState
from tests import factories
from tests.archive.conftest import archived_as

pytestmark = pytest.mark.django_db


def page_of(source: Source) -> Page:
    return Page.objects.get(citations__source=source)


def source_page(client, user, source: Source) -> str:
    client.force_login(user)
    response = client.get(reverse("admin:claims_source_change", args=[source.pk]))
    assert response.status_code == 200
    return response.text


def test_the_source_page_shows_when_it_was_archived_and_its_hash(client, editor):
    source = factories.SourceFactory(url="https://news.example/aid")
    snapshot = archived_as(page_of(source))

    body = source_page(client, editor, source)

    assert f"SHA-256 <code>{snapshot.body_sha256[:12]}…</code>" in body
    assert snapshot.body_sha256[:13] not in body  # twelve hex shown, the copy shows all
    assert snapshot.fetched_at.strftime("archived %Y-%m-%d %H:%M UTC") in body
    assert reverse("archive:text", args=[snapshot.pk]) in body
    assert reverse("archive:warc", args=[snapshot.pk]) in body


def test_only_editors_get_the_warc_link(client, reviewer):
    source = factories.SourceFactory(url="https://news.example/aid")
    snapshot = archived_as(page_of(source))

    body = source_page(client, reviewer, source)

    assert reverse("archive:text", args=[snapshot.pk]) in body
    assert reverse("archive:warc", args=[snapshot.pk]) not in body


def test_a_source_not_archived_yet_says_so(client, editor):
    source = factories.SourceFactory(url="https://news.example/aid")
    body = source_page(client, editor, source)
    assert "Waiting to be archived" in body
    assert "SHA-256" not in body


def test_a_source_that_could_not_be_archived_says_why(client, editor):
    source = factories.SourceFactory(url="https://news.example/aid")
    Page.objects.filter(pk=page_of(source).pk).update(
        status=ArchiveStatus.FAILED, last_error="https://news.example/aid answered HTTP 503."
    )
    body = source_page(client, editor, source)
    assert "Could not be archived: https://news.example/aid answered HTTP 503." in body


def test_a_partly_archived_source_shows_its_copy_and_what_is_missing(client, editor):
    source = factories.SourceFactory(url="https://news.example/aid")
    snapshot = archived_as(
        page_of(source), status=ArchiveStatus.PARTIAL, text="", problem="No text: empty page."
    )
    body = source_page(client, editor, source)
    assert f"SHA-256 <code>{snapshot.body_sha256[:12]}…</code>" in body
    assert "partly archived: No text: empty page." in body


def test_a_source_without_a_url_has_no_archive_section(client, editor):
    source = factories.SourceFactory(url=None)
    assert 'id="archived-copy"' not in source_page(client, editor, source)


def test_the_claim_page_shows_the_archive_of_each_cited_page(client, editor, claim_in_review):
    evidence = claim_in_review.evidence.get()
    appearance = factories.AppearanceFactory(claim=claim_in_review)
    gone = archived_as(page_of(appearance.source), watch=WatchState.GONE)
    Page.objects.filter(citations__evidence=evidence).update(
        status=ArchiveStatus.FAILED, last_error="records.example cannot be resolved."
    )
    client.force_login(editor)

    body = client.get(reverse("admin:claims_claim_change", args=[claim_in_review.pk])).text

    assert 'id="cited-pages"' in body
    assert "Could not be archived: records.example cannot be resolved." in body
    assert f"SHA-256 <code>{gone.body_sha256[:12]}…</code>" in body
    assert "— gone" in body
    assert reverse("archive:warc", args=[gone.pk]) in body


def test_a_claims_archive_lines_cost_one_query_however_many(claim_in_review, rf, editor):
    for _ in range(5):
        appearance = factories.AppearanceFactory(claim=claim_in_review)
        archived_as(page_of(appearance.source))
        factories.EvidenceFactory(claim=claim_in_review, url=f"https://x.example/{_}")
    from verification.admin.claim_page import claim_cited_pages

    cited_evidence, cited_sources = claim_cited_pages(claim_in_review)
    assert len(cited_evidence) == 6 and len(cited_sources) == 5
    request = rf.get("/")
    request.user = editor
    context = {
        "original": claim_in_review,
        "cited_evidence": cited_evidence,
        "cited_sources": cited_sources,
        "request": request,
    }
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("admin/claims/claim/_archives.html", context)
    # One for the claim's citations; the role check reads the editor's groups once.
    assert len(queries) <= 2, [q["sql"] for q in queries]
    assert html.count("SHA-256 <code>") == 5
    assert html.count("Waiting to be archived") == 6
