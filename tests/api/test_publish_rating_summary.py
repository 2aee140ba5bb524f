"""POST /api/v1/claims/{id}/publish/ with the final rating and a summary: the editor may
overrule the consensus (saying why), the summary becomes the ClaimReview's reviewBody, and what
the service refuses is a 400 naming the field. The sign-off screen's preview is the same
document the API then serves."""

from __future__ import annotations

import json

import jsonschema
import pytest
from django.test import override_settings

from claims.api.claimreview_serializers import CLAIM_REVIEW_SCHEMA
from claims.claimreview import claim_review_jsonld, claim_review_preview
from claims.models import Claim, ClaimState, Rating
from verification.models import WorkflowAction

pytestmark = pytest.mark.django_db

DESK = {"DESK_NAME": "Harbour Fact Desk", "DESK_URL": "https://facts.harbour.example"}


def publish_url(claim: Claim) -> str:
    return f"/api/v1/claims/{claim.pk}/publish/"


def test_publish_with_a_summary_serves_it_as_the_reviewbody(api, other_editor, claim_in_review):
    response = api(other_editor).post(
        publish_url(claim_in_review),
        {"summary": "The 2023 budget table shows the figure.", "note": "Checked."},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["state"], body["published_rating"], body["published_summary"]) == (
        ClaimState.PUBLISHED,
        Rating.TRUE,
        "The 2023 budget table shows the figure.",
    )
    review = api(None).get(f"/api/v1/claimreview/{claim_in_review.pk}/").json()
    assert review["reviewBody"] == "The 2023 budget table shows the figure."
    assert review["reviewRating"]["alternateName"] == "True"
    jsonschema.validate(review, CLAIM_REVIEW_SCHEMA, format_checker=jsonschema.FormatChecker())


def test_publish_with_another_rating_and_a_note_publishes_that_rating(
    api, other_editor, claim_in_review
):
    response = api(other_editor).post(
        publish_url(claim_in_review),
        {
            "rating": "mostly_true",
            "summary": "Right figure, wrong year.",
            "note": "The table is for fiscal 2022.",
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["published_rating"] == "mostly_true"
    review = api(None).get(f"/api/v1/claimreview/{claim_in_review.pk}/").json()
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Mostly true",
    }
    event = claim_in_review.events.get(action=WorkflowAction.PUBLISH)
    assert "overruling the consensus True" in event.note


def test_another_rating_without_a_note_is_a_400_on_the_note(api, other_editor, claim_in_review):
    response = api(other_editor).post(
        publish_url(claim_in_review), {"rating": "false"}, format="json"
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert list(error["fields"]) == ["note"]
    assert "not the reviewers' consensus 'True'; say why in the note" in error["message"]
    assert Claim.objects.get(pk=claim_in_review.pk).state == ClaimState.IN_REVIEW


def test_a_rating_off_the_scale_is_a_400_on_the_rating(api, other_editor, claim_in_review):
    response = api(other_editor).post(
        publish_url(claim_in_review), {"rating": "pants_on_fire"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["rating"]
    assert Claim.objects.get(pk=claim_in_review.pk).state == ClaimState.IN_REVIEW


def test_a_firm_rating_on_a_claim_without_evidence_is_a_400(api, other_editor, unverifiable_claim):
    claim = unverifiable_claim

    response = api(other_editor).post(
        publish_url(claim), {"rating": "false", "note": "I am sure."}, format="json"
    )

    assert response.status_code == 400
    assert "A firm rating needs evidence" in response.json()["error"]["message"]
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.IN_REVIEW


def test_reopening_keeps_the_published_rating_public_in_the_api(
    api, editor, other_editor, claim_in_review
):
    api(other_editor).post(publish_url(claim_in_review), {"summary": "Shown."}, format="json")

    reopened = api(editor).post(
        f"/api/v1/claims/{claim_in_review.pk}/reopen/", {"reason": "New data."}, format="json"
    )

    assert reopened.status_code == 200
    # Under review again, the verdict the public was given stays until the new sign-off.
    assert (reopened.json()["published_rating"], reopened.json()["published_summary"]) == (
        "true",
        "Shown.",
    )


@override_settings(**DESK)
def test_the_preview_is_the_document_that_is_then_published(api, other_editor, claim_in_review):
    claim = Claim.objects.get(pk=claim_in_review.pk)
    preview = claim_review_preview(claim, rating="mostly_true", summary="Wrong year.")

    api(other_editor).post(
        publish_url(claim),
        {"rating": "mostly_true", "summary": "Wrong year.", "note": "Fiscal 2022."},
        format="json",
    )

    published = claim_review_jsonld(Claim.objects.get(pk=claim.pk))
    assert json.dumps(preview, sort_keys=True) == json.dumps(published, sort_keys=True)


def test_the_schema_documents_the_rating_and_summary_of_publish(api):
    schema = api(None).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/claims/{id}/publish/"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(body["properties"]) == {"rating", "summary", "note", "correction_note"}
    claim = schema["components"]["schemas"]["Claim"]["properties"]
    assert {"published_rating", "published_summary"} <= set(claim)
