"""Concurrent edits: every editable resource carries an ETag; a write with a stale If-Match is
refused with 412 and changes nothing; PUT and PATCH without If-Match are refused with 428."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from claims.models import Claim, ClaimState, Priority
from verification.models import Assignment, AssignmentState, ReviewerProfile

pytestmark = pytest.mark.django_db


def test_a_claim_carries_an_etag_that_changes_when_the_claim_changes(api, editor, new_claim):
    client = api(editor)
    first = client.get(f"/api/v1/claims/{new_claim.pk}/")["ETag"]
    assert first.startswith('"') and first.endswith('"') and not first.startswith("W/")
    assert client.get(f"/api/v1/claims/{new_claim.pk}/")["ETag"] == first, "stable"
    client.post(f"/api/v1/claims/{new_claim.pk}/triage/")
    assert client.get(f"/api/v1/claims/{new_claim.pk}/")["ETag"] != first


def test_an_edit_with_the_current_etag_succeeds_and_returns_the_new_one(api, editor, new_claim):
    client = api(editor)
    url = f"/api/v1/claims/{new_claim.pk}/"
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"priority": "urgent"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["priority"] == Priority.URGENT
    assert response["ETag"] not in ("", etag)
    assert response["ETag"] == client.get(url)["ETag"]


def test_an_edit_with_a_stale_etag_is_refused_and_changes_nothing(
    api, editor, other_editor, new_claim
):
    url = f"/api/v1/claims/{new_claim.pk}/"
    mine, theirs = api(editor), api(other_editor)
    stale = mine.get(url)["ETag"]
    # Someone else edits first.
    fresh = theirs.get(url)["ETag"]
    assert (
        theirs.patch(url, {"statement": "Their wording."}, HTTP_IF_MATCH=fresh).status_code == 200
    )

    response = mine.patch(url, {"statement": "My wording.", "priority": "low"}, HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert response.json()["error"]["code"] == "precondition_failed"
    new_claim.refresh_from_db()
    assert new_claim.statement == "Their wording."
    assert new_claim.priority == Priority.NORMAL


def test_an_edit_without_if_match_is_refused_with_428(api, editor, new_claim):
    url = f"/api/v1/claims/{new_claim.pk}/"
    for method in ("put", "patch"):
        response = getattr(api(editor), method)(
            url, {"statement": "x", "priority": "low", "topics": []}, format="json"
        )
        assert response.status_code == 428
        assert response.json()["error"]["code"] == "precondition_required"
    new_claim.refresh_from_db()
    assert new_claim.statement != "x"


def test_if_match_star_and_lists_follow_the_http_rules(api, editor, new_claim):
    client = api(editor)
    url = f"/api/v1/claims/{new_claim.pk}/"
    assert client.patch(url, {"priority": "low"}, HTTP_IF_MATCH="*").status_code == 200
    current = client.get(url)["ETag"]
    listed = f'"0000", {current}'
    assert client.patch(url, {"priority": "high"}, HTTP_IF_MATCH=listed).status_code == 200
    # A weak tag never matches If-Match (strong comparison).
    weak = "W/" + client.get(url)["ETag"]
    assert client.patch(url, {"priority": "low"}, HTTP_IF_MATCH=weak).status_code == 412


def test_a_workflow_move_with_a_stale_etag_is_refused_and_the_claim_stays(api, editor, new_claim):
    client = api(editor)
    url = f"/api/v1/claims/{new_claim.pk}/"
    stale = client.get(url)["ETag"]
    client.patch(url, {"priority": "high"}, HTTP_IF_MATCH=stale)
    response = client.post(url + "dismiss/", {"reason": "Opinion."}, HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert Claim.objects.get(pk=new_claim.pk).state == ClaimState.NEW


def test_a_workflow_move_with_the_current_etag_or_none_goes_ahead(api, editor, new_claim):
    client = api(editor)
    url = f"/api/v1/claims/{new_claim.pk}/"
    current = client.get(url)["ETag"]
    response = client.post(url + "triage/", HTTP_IF_MATCH=current)
    assert response.status_code == 200
    assert response.json()["state"] == ClaimState.TRIAGED
    assert response["ETag"] != current


def test_an_assignment_move_with_a_stale_etag_is_refused(api, editor, reviewer, assignment):
    url = f"/api/v1/assignments/{assignment.pk}/"
    stale = api(reviewer).get(url)["ETag"]
    api(editor).post(url + "withdraw/", {"reason": "Reassigning."})
    response = api(reviewer).post(url + "accept/", HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.WITHDRAWN


def test_a_reviewer_profile_edit_with_a_stale_etag_changes_nothing(api, editor, reviewer):
    profile = reviewer.reviewer_profile
    url = f"/api/v1/reviewer-profiles/{profile.pk}/"
    stale = api(reviewer).get(url)["ETag"]
    assert api(editor).patch(url, {"capacity": 1}, HTTP_IF_MATCH=stale).status_code == 200
    response = api(reviewer).patch(url, {"availability": "away"}, HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    profile = ReviewerProfile.objects.get(pk=profile.pk)
    assert (profile.capacity, profile.availability) == (1, "available")


def test_editing_a_published_claim_is_a_conflict_not_a_precondition_failure(
    api, editor, published_claim
):
    client = api(editor)
    url = f"/api/v1/claims/{published_claim.pk}/"
    response = client.patch(url, {"statement": "New."}, HTTP_IF_MATCH=client.get(url)["ETag"])
    assert response.status_code == 409
    assert "reopen it" in response.json()["error"]["message"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_edits_with_one_etag_let_exactly_one_through(
    api, editor, other_editor, new_claim
):
    url = f"/api/v1/claims/{new_claim.pk}/"
    clients = {"mine": api(editor), "theirs": api(other_editor)}
    etag = clients["mine"].get(url)["ETag"]
    barrier = threading.Barrier(len(clients))
    statuses: dict[str, int] = {}

    def edit(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            response = clients[name].patch(
                url, {"statement": f"{name} wording"}, HTTP_IF_MATCH=etag
            )
            statuses[name] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(name,)) for name in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses.values()) == [200, 412]
    winner = next(name for name, code in statuses.items() if code == 200)
    assert Claim.objects.get(pk=new_claim.pk).statement == f"{winner} wording"
