"""What the desk sees of an archive: the copy's text under a strict policy, its WARC for
editors, the API's "archived <time>, SHA-256 …", the panel, and a claim's verifiable bundle."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from config.archive.files import file_read
from config.archive.models import Page, WatchState
from config.archive.services.integrity import claim_bundle
from tests import factories
from tests.archive.conftest import ARTICLE
from tests.security.network import page

pytestmark = pytest.mark.django_db

HOSTILE = ARTICLE.replace(
    "<p>Of that amount",
    "<p>Click <script>alert(1)</script><img src=x onerror=alert(2)> here. Of that amount",
)


@pytest.fixture
def archived(cite, local_site) -> Page:
    local_site.routes["/budget"] = page(HOSTILE)
    return cite(local_site.url("/budget"))


def test_the_archived_text_is_shown_escaped_under_a_policy_that_runs_nothing(
    client, reviewer, archived
):
    client.force_login(reviewer)
    response = client.get(reverse("archive:text", args=[archived.archived.pk]))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy
    assert "script-src" not in policy
    body = response.content.decode()
    assert "<script>" not in body and "<img src=x" not in body
    assert archived.archived.body_sha256 in body


def test_only_editors_download_the_warc(client, reviewer, editor, archived):
    url = reverse("archive:warc", args=[archived.archived.pk])
    client.force_login(reviewer)
    assert client.get(url).status_code == 403
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == archived.archived.warc_sha256


def test_an_outsider_sees_no_archive(client, outsider, archived):
    client.force_login(outsider)
    assert client.get(reverse("archive:text", args=[archived.archived.pk])).status_code in (
        302,
        403,
    )


def test_the_api_shows_when_and_what_was_archived_for_an_evidence_item(reviewer, archived):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {factories.api_key(reviewer)}")
    evidence_id = archived.citations.get().evidence_id
    response = api.get("/api/v1/archives/", {"evidence": evidence_id})
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["evidence"] == [evidence_id]
    assert row["archived"]["body_sha256"] == archived.archived.body_sha256
    assert row["archived"]["text_url"] == reverse("archive:text", args=[archived.archived.pk])


def test_the_panel_lists_a_vanished_page_behind_a_published_verdict(
    client, editor, published_claim, local_site, django_capture_on_commit_callbacks
):
    evidence = published_claim.evidence.get()
    Page.objects.all().delete()
    local_site.routes["/budget"] = page(ARTICLE)
    from config.archive.services.capture import page_cite

    with django_capture_on_commit_callbacks(execute=True):
        cited = page_cite(url=local_site.url("/budget"), evidence=evidence)
    Page.objects.filter(pk=cited.pk).update(watch=WatchState.GONE, last_checked_at=timezone.now())
    Page.objects.create(url="http://127.0.0.1:9/broken", status="failed", last_error="refused")
    client.force_login(editor)
    body = client.get(reverse("archive:watch")).content.decode()
    assert local_site.url("/budget") in body
    assert "http://127.0.0.1:9/broken" in body and "refused" in body


def test_a_claims_bundle_can_be_checked_without_the_desk(archived, claim_in_research):
    bundle = zipfile.ZipFile(io.BytesIO(claim_bundle(claim=claim_in_research)))
    sums = dict(
        reversed(line.split("  ", 1)) for line in bundle.read("SHA256SUMS").decode().splitlines()
    )
    assert "manifest.json" in sums and f"archives/{archived.archived.warc_key}" in sums
    for name, digest in sums.items():
        assert hashlib.sha256(bundle.read(name)).hexdigest() == digest
    assert archived.archived.body_sha256 in bundle.read("manifest.json").decode()


def test_the_signoff_screen_shows_each_evidence_items_archive(
    client, other_editor, claim_in_review, local_site, django_capture_on_commit_callbacks
):
    from config.archive.services.capture import page_cite

    local_site.routes["/budget"] = page(ARTICLE)
    evidence = claim_in_review.evidence.get()
    with django_capture_on_commit_callbacks(execute=True):
        cited = page_cite(url=local_site.url("/budget"), evidence=evidence)
    cited.refresh_from_db()
    client.force_login(other_editor)
    body = client.get(reverse("admin:claims_claim_signoff", args=[claim_in_review.pk])).text
    assert f"SHA-256 <code>{cited.archived.body_sha256[:12]}…</code>" in body
    assert reverse("archive:text", args=[cited.archived.pk]) in body


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's Chromium")
def test_a_screenshot_is_rendered_from_the_stored_body_when_on(cite, local_site, settings):
    settings.ARCHIVE_SCREENSHOTS = True
    settings.ARCHIVE_CHROMIUM = "/usr/bin/chromium"
    local_site.routes["/budget"] = page(ARTICLE)
    archived = cite(local_site.url("/budget"))
    snapshot = archived.archived
    assert snapshot.screenshot_key, snapshot.problem
    png = file_read(snapshot.screenshot_key)
    assert (
        png.startswith(b"\x89PNG") and hashlib.sha256(png).hexdigest() == snapshot.screenshot_sha256
    )
    assert local_site.paths == ["/budget"]  # Chromium fetched nothing itself


def test_a_screenshot_that_fails_leaves_the_copy_archived_and_says_why(cite, local_site, settings):
    settings.ARCHIVE_SCREENSHOTS = True
    settings.ARCHIVE_CHROMIUM = "/nonexistent/chromium"
    local_site.routes["/budget"] = page(ARTICLE)
    archived = cite(local_site.url("/budget"))
    assert archived.status == "archived"
    assert "Chromium is not installed" in archived.archived.problem
