"""The published fact-check page links the archived copy of an appearance's page once the
watch has found it gone or changed; anyone may read that copy (text only, under the strict
policy), and only copies of pages a published claim appeared in."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from claims.claimreview import claim_review_feed, published_claim_reviews
from claims.claimreview.jsonld import desk_url
from claims.models import Claim, Source
from config.archive.models import Page, Snapshot, WatchState
from tests import factories
from tests.archive.conftest import archived_as
from verification import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def source() -> Source:
    return factories.SourceFactory(url="https://news.example/aid", title="Aid story")


@pytest.fixture
def published(claim_in_review, other_editor, source) -> Claim:
    factories.AppearanceFactory(claim=claim_in_review, source=source)
    return services.claim_publish(actor=other_editor, claim=claim_in_review)


def page_of(source: Source) -> Page:
    return Page.objects.get(citations__source=source)


def factcheck(client, claim: Claim) -> str:
    response = client.get(reverse("factcheck-detail", args=[claim.pk]))
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("watch", [WatchState.GONE, WatchState.CHANGED])
def test_the_factcheck_page_links_the_copy_of_a_page_gone_or_changed(
    client, published, source, watch
):
    snapshot = archived_as(page_of(source), watch=watch)

    body = factcheck(client, published)

    link = reverse("factcheck-archived", args=[snapshot.pk])
    assert f'<a href="{link}" rel="nofollow">archived copy of ' in body
    assert snapshot.fetched_at.strftime("%Y") in body
    assert reverse("archive:text", args=[snapshot.pk]) not in body  # the desk's, not public


def test_the_factcheck_page_links_no_copy_of_a_page_that_is_fine(client, published, source):
    archived_as(page_of(source), watch=WatchState.STEADY)
    assert "archived copy" not in factcheck(client, published)


def test_the_factcheck_page_costs_one_query_for_its_archive_links(
    client, published, source, django_assert_num_queries
):
    archived_as(page_of(source), watch=WatchState.GONE)
    for _ in range(3):
        other = factories.AppearanceFactory(claim=published).source
        archived_as(page_of(other), watch=WatchState.GONE)
    # The claim, its appearances, its corrections, the JSON-LD's archivedAt, the list's links.
    with django_assert_num_queries(5):
        body = factcheck(client, published)
    assert body.count("archived copy of") == 4


def test_anyone_reads_the_public_copy_as_text_under_the_strict_policy(client, published, source):
    snapshot = archived_as(
        page_of(source), watch=WatchState.GONE, text="Aid was <script>alert(1)</script> cut."
    )

    response = client.get(reverse("factcheck-archived", args=[snapshot.pk]))

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy
    assert "script-src" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Robots-Tag"] == "noindex"
    body = response.text
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert snapshot.body_sha256 in body
    assert reverse("archive:warc", args=[snapshot.pk]) not in body  # editors' download


def test_the_public_copy_of_a_page_no_published_claim_cites_is_a_404(client, claim_in_review):
    appearance = factories.AppearanceFactory(claim=claim_in_review)  # not published yet
    unpublished = archived_as(page_of(appearance.source), watch=WatchState.GONE)
    assert client.get(reverse("factcheck-archived", args=[unpublished.pk])).status_code == 404
    assert client.get(reverse("archive:text", args=[unpublished.pk])).status_code == 302


def test_the_public_copy_of_a_published_claims_evidence_is_a_404(client, published):
    # Evidence is the desk's working material: the public page does not show it.
    evidence_page = Page.objects.get(citations__evidence__claim=published)
    snapshot = archived_as(evidence_page, watch=WatchState.GONE)
    assert client.get(reverse("factcheck-archived", args=[snapshot.pk])).status_code == 404


def test_a_reopened_claims_copy_stays_public(client, published, source, other_editor):
    snapshot = archived_as(page_of(source), watch=WatchState.GONE)
    url = reverse("factcheck-archived", args=[snapshot.pk])
    assert client.get(url).status_code == 200
    # Under review again, the public page (and the copies it links) stays up.
    services.claim_reopen(actor=other_editor, claim=published, reason="New figures.")
    assert client.get(url).status_code == 200


def test_a_withdrawn_claims_copy_is_no_longer_public(client, published, source, other_editor):
    snapshot = archived_as(page_of(source), watch=WatchState.GONE)
    url = reverse("factcheck-archived", args=[snapshot.pk])
    services.claim_retract(actor=other_editor, claim=published, note="Satire, not a claim.")
    assert client.get(url).status_code == 404
    assert Snapshot.objects.filter(pk=snapshot.pk).exists()


def appearances(document: dict) -> dict[str, dict]:
    return {work["url"]: work for work in document["itemReviewed"]["appearance"]}


def test_the_claimreview_names_the_public_copy_as_archived_at(published, source):
    snapshot = archived_as(page_of(source))  # a steady page: the markup names its copy too
    not_archived = factories.AppearanceFactory(claim=published).source

    document = APIClient().get(reverse("claimreview-detail", args=[published.pk])).json()

    works = appearances(document)
    public = desk_url(reverse("factcheck-archived", args=[snapshot.pk]))
    assert works[source.url]["archivedAt"] == public
    assert "archivedAt" not in works[not_archived.url]


def test_the_feed_reads_archived_at_in_one_query_for_the_page(published, source):
    archived_as(page_of(source))

    def feed_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            claim_review_feed(list(published_claim_reviews()), url="https://desk.example/feed")
        return len(queries)

    before = feed_queries()
    for _ in range(3):
        claim = factories.ClaimFactory()
        other = factories.AppearanceFactory(claim=claim).source
        archived_as(page_of(other))
        Claim.objects.filter(pk=claim.pk).update(
            state="published", consensus_rating="false", published_at=published.published_at
        )
    assert feed_queries() == before


def test_the_page_admin_shows_a_copys_outside_proof_or_why_it_is_missing(
    client, editor, published, source
):
    snapshot = archived_as(page_of(source))
    snapshot.public_copy_url = "https://web.archive.example/web/2026/https://news.example/aid"
    snapshot.attest_problem = "The time-stamping authority answered HTTP 503."
    snapshot.save()
    client.force_login(editor)

    page = client.get(reverse("admin:archive_page_change", args=[snapshot.page_id]))

    assert page.status_code == 200
    body = page.content.decode()
    assert "web.archive.example/web/2026" in body
    assert "answered HTTP 503" in body
