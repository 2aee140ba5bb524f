"""Blind review holds in every representation: a reviewer sees another reviewer's verdict on a
claim — in reviews, in the claim's consensus, in its history — only once their own review of
the claim's current round is in; editors see everything."""

from __future__ import annotations

import pytest

from claims.models import Claim
from tests.conftest import submit_review
from verification import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_reviewer_claim(editor, reviewer, second_reviewer, triaged_claim):
    """A claim needing two reviews: ``reviewer`` has reviewed, ``second_reviewer`` has not."""
    Claim.objects.filter(pk=triaged_claim.pk).update(required_reviews=2)
    first = services.assignment_create(actor=editor, claim=triaged_claim, reviewer=reviewer)
    second = services.assignment_create(actor=editor, claim=triaged_claim, reviewer=second_reviewer)
    submit_review(reviewer, first, "unverifiable", "low", "No record either way.")
    return Claim.objects.get(pk=triaged_claim.pk), second


def test_a_reviewer_does_not_see_other_reviews_before_their_own(
    api, second_reviewer, two_reviewer_claim
):
    claim, _ = two_reviewer_claim
    client = api(second_reviewer)
    assert client.get(f"/api/v1/reviews/?claim={claim.pk}").json()["results"] == []
    review = claim.reviews.get()
    assert client.get(f"/api/v1/reviews/{review.pk}/").status_code == 404


def test_a_reviewer_does_not_see_the_consensus_before_their_own_review(
    api, second_reviewer, two_reviewer_claim
):
    claim, _ = two_reviewer_claim
    assert claim.consensus_rating == "unverifiable"
    for body in (
        api(second_reviewer).get(f"/api/v1/claims/{claim.pk}/").json(),
        api(second_reviewer).get("/api/v1/claims/").json()["results"][0],
    ):
        assert body["verdict_visible"] is False
        assert body["consensus_rating"] is None
        assert body["consensus_confidence"] is None
        assert body["agreement"] is None


def test_the_history_hides_the_verdict_fields_too(api, editor, second_reviewer, claim_in_review):
    # The move to sign-off saved the consensus into the claim's history.
    claim = claim_in_review
    hidden = api(second_reviewer).get(f"/api/v1/claims/{claim.pk}/history/").json()
    assert hidden and all(row["consensus_rating"] is None for row in hidden)
    assert all("consensus_rating" not in row["changed"] for row in hidden)
    shown = api(editor).get(f"/api/v1/claims/{claim.pk}/history/").json()
    assert shown[-1]["consensus_rating"] == "true"
    assert "consensus_rating" in shown[-1]["changed"]


def test_once_their_own_review_is_in_the_reviewer_sees_everything(
    api, second_reviewer, two_reviewer_claim
):
    claim, assignment = two_reviewer_claim
    client = api(second_reviewer)
    response = client.post(
        f"/api/v1/assignments/{assignment.pk}/review/",
        {"rating": "unverifiable", "confidence": "moderate", "rationale": "Nothing found."},
    )
    assert response.status_code == 201
    assert len(client.get(f"/api/v1/reviews/?claim={claim.pk}").json()["results"]) == 2
    body = client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert body["verdict_visible"] is True
    assert body["consensus_rating"] == "unverifiable"


def test_an_editor_sees_every_review_and_the_consensus(api, editor, two_reviewer_claim):
    claim, _ = two_reviewer_claim
    client = api(editor)
    assert len(client.get(f"/api/v1/reviews/?claim={claim.pk}").json()["results"]) == 1
    assert client.get(f"/api/v1/claims/{claim.pk}/").json()["consensus_rating"] == "unverifiable"


def test_a_published_verdict_is_visible_to_every_reviewer(api, second_reviewer, published_claim):
    body = api(second_reviewer).get(f"/api/v1/claims/{published_claim.pk}/").json()
    assert (body["verdict_visible"], body["consensus_rating"]) == (True, "true")


def test_a_reviewer_sees_only_their_own_assignments(
    api, reviewer, second_reviewer, two_reviewer_claim
):
    _, theirs = two_reviewer_claim
    listed = api(reviewer).get("/api/v1/assignments/").json()["results"]
    assert {row["reviewer_username"] for row in listed} == {reviewer.username}
    assert api(reviewer).get(f"/api/v1/assignments/{theirs.pk}/").status_code == 404
    assert api(reviewer).post(f"/api/v1/assignments/{theirs.pk}/accept/").status_code == 404
