"""POST /api/v1/claimreview/import: editors send markup, and get a line per review found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from claims.models import Claim
from tests.claimreview import claim_review, rating_named

pytestmark = pytest.mark.django_db

URL = "/api/v1/claimreview/import"
DATA = Path(settings.BASE_DIR).parent / "shared" / "data" / "claimreview"

REVIEW = {
    "@context": "https://schema.org",
    **claim_review(
        "The old mill burned down twice.",
        url="https://checkers.example/mill",
        rating=rating_named("Mostly True"),
    ),
}


def test_an_editor_imports_json_ld_and_gets_a_report(api, editor):
    response = api(editor).post(URL, REVIEW, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["counts"] == {"created": 1, "matched": 0, "rejected": 0}
    (item,) = body["items"]
    assert item["status"] == "created"
    assert item["claim"] == Claim.objects.get().pk
    assert item["review_url"] == "https://checkers.example/mill"


def test_the_application_ld_json_type_is_accepted(api, editor):
    response = api(editor).post(
        URL, json.dumps([REVIEW]), content_type="application/ld+json; charset=utf-8"
    )
    assert response.status_code == 200
    assert response.json()["counts"]["created"] == 1


def test_an_html_page_is_read_for_its_markup(api, editor):
    wrapper = json.loads((DATA / "afp_raw.json").read_text(encoding="utf-8"))
    response = api(editor).post(
        f"{URL}?source_url={wrapper['url']}", wrapper["page"], content_type="text/html"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["counts"] == {"created": 1, "matched": 0, "rejected": 0}
    assert body["items"][0]["review_url"] == wrapper["url"]


def test_a_rejected_item_is_reported_beside_the_good_ones(api, editor):
    broken = {**REVIEW, "claimReviewed": ""}
    response = api(editor).post(URL, [REVIEW, broken], format="json")
    assert response.status_code == 200
    statuses = [(i["status"], bool(i["reason"])) for i in response.json()["items"]]
    assert statuses == [("created", False), ("rejected", True)]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"nothing": "here"}', "application/json"),
        ("<html><body>No markup</body></html>", "text/html"),
        ("", "text/html"),
    ],
)
def test_a_body_without_any_review_is_a_400_in_the_error_shape(api, editor, body, content_type):
    response = api(editor).post(URL, body, content_type=content_type)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "body" in error["fields"]
    assert Claim.objects.count() == 0


def test_malformed_json_is_a_400(api, editor):
    response = api(editor).post(URL, '{"@type": "ClaimReview",', content_type="application/json")
    assert response.status_code == 400
    assert "error" in response.json()


def test_another_content_type_is_a_415(api, editor):
    response = api(editor).post(URL, "claimReviewed: x", content_type="text/plain")
    assert response.status_code == 415


def test_a_source_url_that_is_not_a_url_is_a_400(api, editor):
    response = api(editor).post(f"{URL}?source_url=nowhere", REVIEW, format="json")
    assert response.status_code == 400
    assert "source_url" in response.json()["error"]["fields"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_an_oversized_page_is_a_413(api, editor):
    page = "<html><body>" + "x" * 4096 + "</body></html>"
    response = api(editor).post(URL, page, content_type="text/html")
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("outsider", 403), ("reviewer", 403), ("editor", 200), ("admin", 200)],
)
def test_only_editors_may_import(api, role_user, role, status):
    response = api(role_user(role)).post(URL, REVIEW, format="json")
    assert response.status_code == status
    assert Claim.objects.count() == (1 if status == 200 else 0)
