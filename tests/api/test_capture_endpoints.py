"""Writes of sources, speakers, topics, claims, evidence and reviewer profiles go through the
services: the same text is one source, a claim is stored whole or not at all, a published
claim takes no new evidence."""

from __future__ import annotations

import pytest

from claims.models import Appearance, Claim, Quantity, Source, Speaker
from tests import factories
from verification.models import Evidence, ReviewerProfile

pytestmark = pytest.mark.django_db

TEXT = "Officials said the aid was worth $3.8 billion a year. Critics said it was less."


def test_a_source_is_stored_once_for_the_same_text(api, reviewer):
    client = api(reviewer)
    first = client.post("/api/v1/sources/", {"title": "Story", "text": TEXT})
    assert first.status_code == 201
    assert first.json()["text"] == TEXT and first.json()["created_by"] == reviewer.username
    rewrapped = TEXT.replace(". ", ".\n  ")
    again = client.post("/api/v1/sources/", {"title": "Story (copy)", "text": rewrapped})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Source.objects.count() == 1
    assert "text" not in client.get("/api/v1/sources/").json()["results"][0]


def test_a_speaker_is_stored_once_per_name_and_role(api, editor):
    client = api(editor)
    body = {"name": "John  Kirby", "role": "NSC spokesman"}
    first = client.post("/api/v1/speakers/", body).json()
    second = client.post("/api/v1/speakers/", body).json()
    assert first["id"] == second["id"] and first["name"] == "John Kirby"
    assert Speaker.objects.count() == 1


def test_a_topic_gets_a_slug_from_its_name(api, editor):
    response = api(editor).post("/api/v1/topics/", {"name": "Casualty figures"})
    assert response.json()["slug"] == "casualty-figures"
    assert api(editor).post("/api/v1/topics/", {"name": "!!!"}).status_code == 400


def test_a_claim_is_created_with_its_figures_and_appearances(api, reviewer):
    source = factories.SourceFactory(text=TEXT)
    speaker = factories.SpeakerFactory(name="An official")
    topic = factories.TopicFactory(name="Military aid")
    response = api(reviewer).post(
        "/api/v1/claims/",
        {
            "statement": "The aid is worth $3.8 billion a year.",
            "priority": "high",
            "topics": [topic.slug],
            "checkworthiness": 0.9,
            "quantities": [
                {"value": 3.8e9, "unit": "USD", "kind": "money", "period": "year", "text": "3.8"}
            ],
            "appearances": [
                {
                    "source": source.pk,
                    "quote": "worth $3.8 billion a year",
                    "speaker": speaker.pk,
                    "attribution": "said",
                    "note": "Officials, unnamed.",
                }
            ],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["submitted_by"] == reviewer.username
    assert body["topics"] == [topic.slug]
    assert body["quantities"][0]["period"] == "year"
    appearance = body["appearances"][0]
    assert appearance["speaker"]["name"] == "An official"
    assert TEXT[appearance["start"] : appearance["end"]] == "worth $3.8 billion a year"
    assert response["ETag"]


def test_a_quote_found_twice_needs_its_start(api, editor):
    source = factories.SourceFactory(text="It rose. It rose again.")
    body = {"statement": "It rose.", "appearances": [{"source": source.pk, "quote": "It rose"}]}
    response = api(editor).post("/api/v1/claims/", body, format="json")
    assert response.status_code == 400
    assert "occurs 2 times" in response.json()["error"]["fields"]["appearances.0.start"][0]
    body["appearances"][0]["start"] = 9
    assert api(editor).post("/api/v1/claims/", body, format="json").status_code == 201


def test_a_refused_part_leaves_no_half_claim(api, editor):
    source = factories.SourceFactory(text=TEXT)
    response = api(editor).post(
        "/api/v1/claims/",
        {
            "statement": "The aid figure.",
            "quantities": [{"value": "3.8", "unit": "USD"}],
            "appearances": [
                {"source": source.pk, "quote": "Officials said", "start": 0},
                # Said, but by no one: the service refuses it, after the first part is valid.
                {"source": source.pk, "quote": "Critics said", "attribution": "said"},
            ],
        },
    )
    assert response.status_code == 400
    assert "speaker" in response.json()["error"]["fields"]
    assert (Claim.objects.count(), Quantity.objects.count(), Appearance.objects.count()) == (
        0,
        0,
        0,
    )


def test_an_outsider_cannot_submit_a_claim(api, outsider):
    response = api(outsider).post("/api/v1/claims/", {"statement": "x"})
    assert response.status_code == 403
    assert not Claim.objects.exists()


def test_put_replaces_the_wording_priority_and_topics(api, editor, new_claim):
    topic = factories.TopicFactory()
    client = api(editor)
    url = f"/api/v1/claims/{new_claim.pk}/"
    etag = client.get(url)["ETag"]
    incomplete = client.put(url, {"statement": "Reworded."}, HTTP_IF_MATCH=etag)
    assert incomplete.status_code == 400
    assert set(incomplete.json()["error"]["fields"]) == {"priority", "topics"}
    body = {"statement": "Reworded.", "priority": "low", "topics": [topic.slug]}
    response = client.put(url, body, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert {k: response.json()[k] for k in body} == body


def test_evidence_is_added_by_a_reviewer(api, reviewer, claim_in_research):
    response = api(reviewer).post(
        "/api/v1/evidence/",
        {
            "claim": claim_in_research.pk,
            "title": "Archive copy",
            "document_ref": "Box 4, folder 2",
            "stance": "context",
            "source_reliability": "C",
            "credibility": 3,
        },
    )
    assert response.status_code == 201
    assert (response.json()["grade"], response.json()["added_by"]) == ("C3", reviewer.username)


def test_evidence_needs_a_url_or_a_document(api, reviewer, claim_in_research):
    response = api(reviewer).post(
        "/api/v1/evidence/",
        {
            "claim": claim_in_research.pk,
            "title": "Hearsay",
            "stance": "supports",
            "source_reliability": "E",
            "credibility": 5,
        },
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["url"]


def test_a_published_claim_takes_no_evidence(api, reviewer, published_claim):
    before = Evidence.objects.count()
    response = api(reviewer).post(
        "/api/v1/evidence/",
        {
            "claim": published_claim.pk,
            "title": "Late find",
            "url": "https://records.example/late",
            "stance": "refutes",
            "source_reliability": "B",
            "credibility": 2,
        },
    )
    assert response.status_code == 409
    assert Evidence.objects.count() == before


def test_a_reviewer_changes_their_own_profile(api, reviewer):
    topic = factories.TopicFactory()
    profile = reviewer.reviewer_profile
    client = api(reviewer)
    url = f"/api/v1/reviewer-profiles/{profile.pk}/"
    response = client.patch(
        url,
        {"availability": "away", "expertise": [topic.slug]},
        format="json",
        HTTP_IF_MATCH=client.get(url)["ETag"],
    )
    assert response.status_code == 200
    profile.refresh_from_db()
    assert profile.availability == "away"
    assert list(profile.expertise.values_list("slug", flat=True)) == [topic.slug]


def test_an_editor_creates_a_profile_once_per_user(api, editor):
    user = factories.UserFactory()
    client = api(editor)
    created = client.post("/api/v1/reviewer-profiles/", {"user": user.pk, "capacity": 2})
    assert created.status_code == 201
    assert (created.json()["username"], created.json()["open_assignments"]) == (user.username, 0)
    again = client.post("/api/v1/reviewer-profiles/", {"user": user.pk})
    assert again.status_code == 400
    assert ReviewerProfile.objects.filter(user=user).count() == 1
