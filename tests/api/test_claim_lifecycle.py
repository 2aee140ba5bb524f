"""A claim from submission to publication through the API alone, as a newsroom script would."""

from __future__ import annotations

import pytest

from claims.models import ClaimState
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_claim_goes_from_submission_to_publication_through_the_api(
    api, editor, other_editor, reviewer
):
    source = factories.SourceFactory(text="The aid is worth $3.8 billion a year, officials said.")
    topic = factories.TopicFactory(name="Military aid")
    as_editor, as_reviewer, as_signoff = api(editor), api(reviewer), api(other_editor)

    created = as_editor.post(
        "/api/v1/claims/",
        {
            "statement": "The United States gives Israel $3.8 billion a year.",
            "topics": [topic.slug],
            "quantities": [
                {"value": "3800000000", "unit": "USD", "kind": "money", "period": "year"}
            ],
            "appearances": [{"source": source.pk, "quote": "$3.8 billion a year"}],
        },
    )
    assert created.status_code == 201, created.json()
    claim = created.json()
    assert claim["state"] == ClaimState.NEW
    assert claim["appearances"][0]["start"] == source.text.index("$3.8 billion a year")
    assert claim["quantities"][0]["value"] == "3800000000.000000"
    assert set(claim["transitions"]) == {"triage", "dismiss"}
    url = f"/api/v1/claims/{claim['id']}/"

    assert as_editor.post(url + "triage/").status_code == 200
    assigned = as_editor.post(url + "assign/", {"reviewer": reviewer.pk})
    assert assigned.status_code == 201, assigned.json()
    assignment = assigned.json()
    assert assignment["transitions"] == ["withdraw"]

    mine = as_reviewer.get(f"/api/v1/assignments/{assignment['id']}/").json()
    assert set(mine["transitions"]) == {"accept", "decline", "review"}
    assert as_reviewer.post(f"/api/v1/assignments/{assignment['id']}/accept/").status_code == 200
    evidence = as_reviewer.post(
        "/api/v1/evidence/",
        {
            "claim": claim["id"],
            "title": "Memorandum of understanding",
            "url": "https://records.example/mou",
            "stance": "supports",
            "source_reliability": "A",
            "credibility": 1,
        },
    )
    assert evidence.status_code == 201, evidence.json()
    review = as_reviewer.post(
        f"/api/v1/assignments/{assignment['id']}/review/",
        {
            "rating": "true",
            "confidence": "high",
            "rationale": "The memorandum sets the figure.",
            "evidence": [evidence.json()["id"]],
        },
    )
    assert review.status_code == 201, review.json()

    in_review = as_signoff.get(url).json()
    assert in_review["state"] == ClaimState.IN_REVIEW
    assert in_review["consensus_rating"] == "true"
    assert "publish" in in_review["transitions"]
    published = as_signoff.post(url + "publish/", {"note": "Checked."})
    assert published.status_code == 200, published.json()
    assert published.json()["state"] == ClaimState.PUBLISHED
    assert published.json()["published_by"] == other_editor.username
    assert published["ETag"]
