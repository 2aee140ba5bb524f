"""The workflow moves as endpoints: each calls its service, records who did it, lists what the
caller may do next, and answers an illegal move with 409 and the service's reason."""

from __future__ import annotations

import pytest

from claims.models import Claim, ClaimState
from tests import factories
from tests.conftest import submit_review
from verification import services
from verification.models import Assignment, AssignmentState, WorkflowEvent

pytestmark = pytest.mark.django_db


def claim_url(claim: Claim, move: str = "") -> str:
    return f"/api/v1/claims/{claim.pk}/" + (f"{move}/" if move else "")


def conflict_message(response) -> str:
    assert response.status_code == 409, response.content[:300]
    return response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("new_claim", {"triage", "dismiss"}),
        ("dismissed_claim", {"restore"}),
        ("triaged_claim", {"assign"}),
        ("claim_in_research", {"assign"}),
        ("claim_in_review", {"send-back", "publish"}),
        ("published_claim", {"reopen", "withdraw", "correct", "update-verdict"}),
    ],
)
def test_an_editor_is_offered_the_moves_of_the_claims_state(
    api, editor, request, fixture, expected
):
    claim = request.getfixturevalue(fixture)
    assert set(api(editor).get(claim_url(claim)).json()["transitions"]) == expected


def test_a_reviewer_is_offered_no_claim_moves(api, reviewer, new_claim):
    assert api(reviewer).get(claim_url(new_claim)).json()["transitions"] == []


def test_dismiss_and_restore_record_who_and_why(api, editor, new_claim):
    client = api(editor)
    dismissed = client.post(claim_url(new_claim, "dismiss"), {"reason": "An opinion."})
    assert dismissed.json()["state"] == ClaimState.DISMISSED
    event = WorkflowEvent.objects.filter(claim=new_claim).latest("id")
    assert (event.action, event.actor, event.note) == ("dismiss", editor, "An opinion.")
    assert client.post(claim_url(new_claim, "restore")).json()["state"] == ClaimState.NEW


@pytest.mark.parametrize(("move", "field"), [("dismiss", "reason"), ("reopen", "reason")])
def test_a_move_that_needs_a_reason_refuses_one_without(api, editor, new_claim, move, field):
    response = api(editor).post(claim_url(new_claim, move), {})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_moves_the_state_does_not_allow_are_409s_with_the_reason(api, editor, new_claim):
    client = api(editor)
    assert "allowed only from dismissed" in conflict_message(
        client.post(claim_url(new_claim, "restore"))
    )
    assert "allowed only from published" in conflict_message(
        client.post(claim_url(new_claim, "reopen"), {"reason": "Why not."})
    )
    assert "only triaged claims and claims in research" in conflict_message(
        client.post(claim_url(new_claim, "assign"), {"reviewer": editor.pk})
    )
    client.post(claim_url(new_claim, "triage"))
    assert "it is triaged" in conflict_message(client.post(claim_url(new_claim, "triage")))


def test_send_back_needs_a_note_and_starts_a_new_round(api, editor, claim_in_review):
    client = api(editor)
    assert client.post(claim_url(claim_in_review, "send-back"), {}).status_code == 400
    response = client.post(claim_url(claim_in_review, "send-back"), {"note": "Cite the line."})
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["review_round"]) == (ClaimState.IN_RESEARCH, 2)
    assert body["consensus_rating"] is None


def test_an_editor_who_reviewed_the_claim_may_not_publish_it(api, admin_user, editor):
    # A superuser counts as a reviewer too, so can review a claim, and then not sign it off.
    factories.ReviewerProfileFactory(user=admin_user)
    claim = factories.ClaimFactory()
    services.claim_triage(actor=editor, claim=claim)
    assignment = services.assignment_create(actor=editor, claim=claim, reviewer=admin_user)
    submit_review(admin_user, assignment, "unverifiable", "low", "Nothing on record.")
    client = api(admin_user)
    assert "publish" not in client.get(claim_url(claim)).json()["transitions"]
    message = conflict_message(client.post(claim_url(claim, "publish")))
    assert message == f"You reviewed claim #{claim.pk}; another editor must sign it off."
    assert api(editor).post(claim_url(claim, "publish")).status_code == 200


def test_publish_then_reopen(api, editor, claim_in_review):
    client = api(editor)
    published = client.post(claim_url(claim_in_review, "publish"), {"note": "Checked."}).json()
    assert published["state"] == ClaimState.PUBLISHED and published["published_at"]
    reopened = client.post(claim_url(claim_in_review, "reopen"), {"reason": "New figures."})
    assert reopened.json()["state"] == ClaimState.IN_RESEARCH
    # The verdict stays public while the claim is under review again.
    assert reopened.json()["published_at"] == published["published_at"]


def test_assign_refuses_the_submitter_and_a_non_reviewer_with_400(
    api, editor, submitter, outsider, triaged_claim
):
    client = api(editor)
    for person, words in ((submitter, "submitted this claim"), (outsider, "is not a reviewer")):
        response = client.post(claim_url(triaged_claim, "assign"), {"reviewer": person.pk})
        assert response.status_code == 400
        assert words in response.json()["error"]["fields"]["reviewer"][0]
    missing = client.post(claim_url(triaged_claim, "assign"), {"reviewer": 999999})
    assert missing.status_code == 400


def test_assign_to_a_full_round_is_a_409(api, editor, second_reviewer, claim_in_research):
    response = api(editor).post(
        claim_url(claim_in_research, "assign"), {"reviewer": second_reviewer.pk}
    )
    assert "already has its 1 reviewer(s)" in conflict_message(response)


def test_assign_returns_the_assignment_and_starts_research(api, editor, reviewer, triaged_claim):
    response = api(editor).post(
        claim_url(triaged_claim, "assign"),
        {"reviewer": reviewer.pk, "due_at": "2099-01-01T12:00:00Z", "note": "Yours."},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["reviewer"], body["state"], body["due_at"]) == (
        reviewer.pk,
        AssignmentState.OFFERED,
        "2099-01-01T12:00:00Z",
    )
    assert Claim.objects.get(pk=triaged_claim.pk).state == ClaimState.IN_RESEARCH


def test_the_assignee_accepts_or_declines_once(api, reviewer, assignment):
    client = api(reviewer)
    url = f"/api/v1/assignments/{assignment.pk}/"
    accepted = client.post(url + "accept/")
    assert accepted.json()["state"] == AssignmentState.ACCEPTED
    assert accepted.json()["transitions"] == ["review"]
    assert "it is accepted" in conflict_message(client.post(url + "accept/"))
    assert "it is accepted" in conflict_message(client.post(url + "decline/"))


def test_a_declined_offer_keeps_the_reason(api, reviewer, assignment):
    response = api(reviewer).post(
        f"/api/v1/assignments/{assignment.pk}/decline/", {"reason": "Conflict of interest."}
    )
    assert response.json()["state"] == AssignmentState.DECLINED
    assert Assignment.objects.get(pk=assignment.pk).reason == "Conflict of interest."


def test_withdraw_needs_a_reason(api, editor, assignment):
    url = f"/api/v1/assignments/{assignment.pk}/withdraw/"
    assert api(editor).post(url, {}).status_code == 400
    response = api(editor).post(url, {"reason": "Reassigning."})
    assert response.json()["state"] == AssignmentState.WITHDRAWN


def test_a_review_through_reviews_needs_one_of_the_callers_assignments(
    api, reviewer, second_reviewer, assignment
):
    body = {
        "assignment": assignment.pk,
        "rating": "unverifiable",
        "confidence": "low",
        "rationale": "No record.",
    }
    refused = api(second_reviewer).post("/api/v1/reviews/", body)
    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["assignment"]
    created = api(reviewer).post("/api/v1/reviews/", body)
    assert created.status_code == 201
    assert created.json()["reviewer"] == reviewer.username
    assert "not in research" in conflict_message(api(reviewer).post("/api/v1/reviews/", body))


def test_a_review_may_not_cite_another_claims_evidence(api, reviewer, assignment):
    foreign = factories.EvidenceFactory()
    response = api(reviewer).post(
        f"/api/v1/assignments/{assignment.pk}/review/",
        {"rating": "true", "confidence": "high", "rationale": "x", "evidence": [foreign.pk]},
    )
    assert response.status_code == 400
    assert "belongs to another claim" in response.json()["error"]["message"]
