"""GET /api/v1/claimreview/{id}/: a published claim as ClaimReview JSON-LD, open to anyone.

Every property search engines require or recommend is checked, for every rating the desk can
publish, and for a claim made in several places by an organisation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import jsonschema
import pytest
from django.test import override_settings
from django.utils import timezone

from claims import services as capture
from claims.api.claimreview_serializers import CLAIM_REVIEW_SCHEMA
from claims.claimreview import claim_review_jsonld
from claims.models import RATING_ORDINAL, Claim, ClaimState, Rating, SpeakerKind
from claims.services import AppearanceData
from tests.conftest import add_evidence, submit_review
from verification import services

pytestmark = pytest.mark.django_db

DESK = {"DESK_NAME": "Harbour Fact Desk", "DESK_URL": "https://facts.harbour.example"}


def publish_claim(
    *,
    editor,
    signer,
    reviewer,
    statement: str,
    rating: str,
    places: Sequence[dict] = (),
) -> Claim:
    """A claim taken through the workflow to "published" with ``rating`` as its verdict.

    ``places`` are ``{"url", "title", "text", "quote", "published_on", "publisher",
    "speaker": (name, role, kind) | None}``: one appearance each.
    """
    appearances = []
    for place in places:
        source = capture.source_get_or_create(
            actor=editor,
            title=place["title"],
            text=place["text"],
            url=place.get("url"),
            publisher=place.get("publisher", ""),
            published_on=place.get("published_on"),
        ).source
        speaker = None
        if place.get("speaker"):
            name, role, kind = place["speaker"]
            speaker = capture.speaker_get_or_create(name=name, role=role, kind=kind)
        appearances.append(
            AppearanceData(
                source=source,
                quote=place["quote"],
                start=place["text"].index(place["quote"]),
                speaker=speaker,
                attribution="said" if speaker else "reported",
            )
        )
    claim = capture.claim_create(actor=editor, statement=statement, appearances=appearances)
    services.claim_triage(actor=editor, claim=claim)
    assignment = services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)
    evidence = []
    if rating != Rating.UNVERIFIABLE:
        evidence.append(
            add_evidence(
                reviewer,
                claim,
                "Official figures",
                f"https://records.example/{claim.pk}",
                stance="context",
                source_reliability="B",
                credibility=2,
            )
        )
    submit_review(
        reviewer, assignment, rating, "moderate", "Checked against the official figures.", evidence
    )
    return services.claim_publish(actor=signer, claim=claim)


def article(n: int, *, quote: str, day: dt.date, speaker=None) -> dict:
    return {
        "url": f"https://news.example/story-{n}",
        "title": f"Story {n}",
        "text": f"Opening paragraph {n}. {quote} Closing paragraph.",
        "quote": quote,
        "published_on": day,
        "publisher": f"Example News {n}",
        "speaker": speaker,
    }


def _get(api, claim_id: int):
    return api(None).get(f"/api/v1/claimreview/{claim_id}/")


@override_settings(**DESK)
@pytest.mark.parametrize("rating", Rating.values)
def test_every_rating_is_published_with_every_required_property(
    rating, api, editor, other_editor, reviewer
):
    claim = publish_claim(
        editor=editor,
        signer=other_editor,
        reviewer=reviewer,
        statement=f"The harbour handled a record tonnage ({rating}).",
        rating=rating,
        places=[
            article(
                1,
                quote="We moved a record tonnage this year.",
                day=dt.date(2024, 3, 4),
                speaker=("Ada Quill", "harbour master", SpeakerKind.PERSON),
            )
        ],
    )
    response = _get(api, claim.pk)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    review = response.json()
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == claim.statement
    assert review["url"] == f"https://facts.harbour.example/fact-checks/{claim.pk}/"
    assert review["author"] == {
        "@type": "Organization",
        "name": "Harbour Fact Desk",
        "url": "https://facts.harbour.example",
    }
    assert review["datePublished"] == timezone.localdate(claim.published_at).isoformat()
    rating_node = review["reviewRating"]
    assert rating_node["@type"] == "Rating"
    assert rating_node["alternateName"] == Rating(rating).label
    if rating == Rating.UNVERIFIABLE:
        # Not a point on the 1–5 scale: words only, no number that would read as "mixed".
        assert not {"ratingValue", "bestRating", "worstRating"} & set(rating_node)
    else:
        assert rating_node["ratingValue"] == RATING_ORDINAL[rating]
        assert rating_node["bestRating"] == 5
        assert rating_node["worstRating"] == 1
        assert rating_node["worstRating"] <= rating_node["ratingValue"] <= rating_node["bestRating"]
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Ada Quill", "jobTitle": "harbour master"}
    # What the OpenAPI schema promises is what is sent.
    jsonschema.validate(review, CLAIM_REVIEW_SCHEMA, format_checker=jsonschema.FormatChecker())
    assert item["datePublished"] == "2024-03-04"
    assert [work["url"] for work in item["appearance"]] == ["https://news.example/story-1"]
    assert item["appearance"][0]["@type"] == "CreativeWork"
    assert item["appearance"][0]["headline"] == "Story 1"


@override_settings(**DESK)
def test_a_claim_made_in_several_places_by_an_organisation_lists_each_place_earliest_first(
    api, editor, other_editor, reviewer
):
    council = ("Harbour Council", "the port authority", SpeakerKind.ORGANISATION)
    quote = "Cargo volumes doubled since 2019."
    claim = publish_claim(
        editor=editor,
        signer=other_editor,
        reviewer=reviewer,
        statement="Cargo volumes at the harbour doubled since 2019.",
        rating=Rating.MOSTLY_FALSE,
        places=[
            article(2, quote=quote, day=dt.date(2024, 5, 20), speaker=council),
            article(3, quote=quote, day=dt.date(2024, 5, 2), speaker=council),
            article(4, quote=quote, day=dt.date(2024, 6, 1)),
        ],
    )
    review = _get(api, claim.pk).json()
    item = review["itemReviewed"]
    assert item["author"] == {
        "@type": "Organization",
        "name": "Harbour Council",
        "description": "the port authority",
    }
    assert item["datePublished"] == "2024-05-02"
    assert [work["url"] for work in item["appearance"]] == [
        "https://news.example/story-3",
        "https://news.example/story-2",
        "https://news.example/story-4",
    ]
    assert item["appearance"][0] == {
        "@type": "CreativeWork",
        "url": "https://news.example/story-3",
        "headline": "Story 3",
        "datePublished": "2024-05-02",
        "publisher": {"@type": "Organization", "name": "Example News 3"},
    }
    assert item["firstAppearance"] == item["appearance"][0]
    assert review["reviewRating"]["ratingValue"] == 2
    assert review["reviewRating"]["alternateName"] == "Mostly false"


def test_a_claim_without_appearances_dates_the_claim_from_when_it_was_recorded(
    api, published_claim
):
    item = _get(api, published_claim.pk).json()["itemReviewed"]
    assert item["datePublished"] == timezone.localdate(published_claim.created_at).isoformat()
    assert "appearance" not in item
    assert "author" not in item


@pytest.mark.parametrize(
    "state_fixture", ["new_claim", "triaged_claim", "claim_in_research", "claim_in_review"]
)
def test_a_claim_that_is_not_published_is_not_found(request, api, editor, state_fixture):
    claim = request.getfixturevalue(state_fixture)
    assert _get(api, claim.pk).status_code == 404
    # Not even for an editor: an unpublished verdict has no ClaimReview.
    assert api(editor).get(f"/api/v1/claimreview/{claim.pk}/").status_code == 404
    with pytest.raises(ValueError):
        claim_review_jsonld(claim)


def test_a_reopened_claim_keeps_its_published_claimreview_until_the_new_signoff(
    api, published_claim, other_editor
):
    before = _get(api, published_claim.pk).json()
    services.claim_reopen(actor=other_editor, claim=published_claim, reason="New figures out.")
    assert Claim.objects.get(pk=published_claim.pk).state == ClaimState.IN_RESEARCH
    # Under review again: the public keeps reading the verdict it was given.
    assert _get(api, published_claim.pk).json() == before


def test_the_output_can_be_asked_for_as_plain_json(api, published_claim):
    response = api(None).get(
        f"/api/v1/claimreview/{published_claim.pk}/", HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["@type"] == "ClaimReview"
