"""/api/v1/claim-matches/: the desk reads ingestion's likely duplicates (both ways for a claim)
and editors confirm or reject them through the same services as the admin; a decided match
answers 409."""

from __future__ import annotations

import pytest

from claims.models import ClaimMatch, ClaimState, MatchOutcome
from tests import factories
from verification.models import WorkflowAction

pytestmark = pytest.mark.django_db

MATCHES = "/api/v1/claim-matches/"


def test_desk_members_list_a_claims_matches_both_ways(api, reviewer, suggested_match):
    candidate, existing, match = suggested_match
    unrelated = factories.ClaimFactory()
    client = api(reviewer)
    for claim in (candidate, existing):
        response = client.get(MATCHES, {"claim": claim.pk})
        assert response.status_code == 200
        (row,) = response.json()["results"]
        assert (row["id"], row["claim"], row["existing"]) == (match.pk, candidate.pk, existing.pk)
        assert row["outcome"] == "suggested" and row["score"] == 0.7
        assert row["quote"] == match.appearance.quote
    assert client.get(MATCHES, {"claim": unrelated.pk}).json()["results"] == []
    assert client.get(MATCHES, {"outcome": "rejected"}).json()["results"] == []


def test_an_editor_confirms_a_suggestion(api, editor, suggested_match):
    candidate, existing, match = suggested_match

    response = api(editor).post(f"{MATCHES}{match.pk}/confirm/")

    assert response.status_code == 200
    body = response.json()
    assert (body["outcome"], body["decided_by"]) == ("confirmed", "editor")
    assert body["claim"] == existing.pk  # the appearance is the existing claim's now
    candidate.refresh_from_db()
    assert candidate.state == ClaimState.DISMISSED
    assert f"claim #{existing.pk}" in candidate.events.get(action=WorkflowAction.DISMISS).note
    # The candidate's own list still finds the match.
    assert [
        m["id"] for m in api(editor).get(MATCHES, {"claim": candidate.pk}).json()["results"]
    ] == [match.pk]


def test_an_editor_rejects_a_suggestion_and_cannot_decide_it_twice(api, editor, suggested_match):
    candidate, _, match = suggested_match
    client = api(editor)

    assert client.post(f"{MATCHES}{match.pk}/reject/").json()["outcome"] == "rejected"
    again = client.post(f"{MATCHES}{match.pk}/confirm/")

    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"
    assert "already rejected" in again.json()["error"]["message"]
    candidate.refresh_from_db()
    assert candidate.state == ClaimState.NEW


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 401), ("outsider", 403), ("reviewer", 403)]
)
@pytest.mark.parametrize("decision", ["confirm", "reject"])
def test_only_editors_decide(api, role_user, suggested_match, role, expected, decision):
    _, _, match = suggested_match
    response = api(role_user(role)).post(f"{MATCHES}{match.pk}/{decision}/")
    assert response.status_code == expected
    assert ClaimMatch.objects.get(pk=match.pk).outcome == MatchOutcome.SUGGESTED


def test_an_unknown_match_is_a_404(api, editor):
    assert api(editor).post(f"{MATCHES}999999/confirm/").status_code == 404
    assert api(editor).get(f"{MATCHES}999999/").status_code == 404
