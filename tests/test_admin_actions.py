"""Changelist actions call the workflow services: legal moves happen, refused ones say why
and change nothing. Also the claim page's "Assign reviewer" form."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from claims.models import Claim, ClaimState
from tests import factories
from verification import services
from verification.models import Assignment, AssignmentState, WorkflowAction

CLAIMS = reverse("admin:claims_claim_changelist")
ASSIGNMENTS = reverse("admin:verification_assignment_changelist")


def run_action(client, url: str, action: str, rows: Iterable, note: str = "") -> list[str]:
    """Post the action as the changelist's form does; return the messages shown after it."""
    response = client.post(
        url,
        {"action": action, "_selected_action": [row.pk for row in rows], "note": note},
        follow=True,
    )
    assert response.status_code == 200
    return [str(message) for message in get_messages(response.wsgi_request)]


def state_of(claim: Claim) -> str:
    return Claim.objects.get(pk=claim.pk).state


@pytest.fixture
def new_claims(submitter):
    return [factories.ClaimFactory(submitted_by=submitter) for _ in range(2)]


def test_triage_action_triages_new_claims_and_records_the_editor(client, editor, new_claims):
    client.force_login(editor)
    shown = run_action(client, CLAIMS, "triage_selected", new_claims, note="Worth checking.")
    assert shown == ["Triaged 2 claims."]
    for claim in new_claims:
        assert state_of(claim) == ClaimState.TRIAGED
        event = claim.events.get(action=WorkflowAction.TRIAGE)
        assert (event.actor, event.note) == (editor, "Worth checking.")


def test_publishing_a_new_claim_is_refused_by_name_and_changes_nothing(client, editor, new_claim):
    client.force_login(editor)
    shown = run_action(client, CLAIMS, "publish_selected", [new_claim])
    assert len(shown) == 1
    assert f"Claim #{new_claim.pk}" in shown[0]
    assert "Cannot publish" in shown[0] and "it is new" in shown[0]
    assert state_of(new_claim) == ClaimState.NEW
    assert not new_claim.events.filter(action=WorkflowAction.PUBLISH).exists()


def test_action_on_a_mixed_selection_moves_the_legal_claims_only(
    client, editor, new_claim, triaged_claim, submitter
):
    fresh = factories.ClaimFactory(submitted_by=submitter)
    client.force_login(editor)
    shown = run_action(client, CLAIMS, "triage_selected", [fresh, triaged_claim])
    assert state_of(fresh) == ClaimState.TRIAGED
    assert state_of(triaged_claim) == ClaimState.TRIAGED
    assert any(f"Claim #{triaged_claim.pk}" in m and "Cannot triage" in m for m in shown)
    assert "Triaged 1 claim." in shown


def test_dismiss_without_a_note_is_refused(client, editor, new_claim):
    client.force_login(editor)
    shown = run_action(client, CLAIMS, "dismiss_selected", [new_claim], note="  ")
    assert "Say why you dismiss it." in shown[0]
    assert state_of(new_claim) == ClaimState.NEW


def test_dismiss_with_a_note_then_restore(client, editor, new_claim):
    client.force_login(editor)
    run_action(client, CLAIMS, "dismiss_selected", [new_claim], note="Opinion, not fact.")
    assert state_of(new_claim) == ClaimState.DISMISSED
    assert new_claim.events.get(action=WorkflowAction.DISMISS).note == "Opinion, not fact."
    shown = run_action(client, CLAIMS, "restore_selected", [new_claim])
    assert shown == ["Restored 1 claim."]
    assert state_of(new_claim) == ClaimState.NEW


def test_send_back_needs_a_note_and_then_starts_a_new_round(client, editor, claim_in_review):
    client.force_login(editor)
    shown = run_action(client, CLAIMS, "send_back_selected", [claim_in_review])
    assert "Say why you send it back." in shown[0]
    assert state_of(claim_in_review) == ClaimState.IN_REVIEW

    run_action(client, CLAIMS, "send_back_selected", [claim_in_review], note="Cite the source.")
    claim = Claim.objects.get(pk=claim_in_review.pk)
    assert (claim.state, claim.review_round) == (ClaimState.IN_RESEARCH, 2)


def test_publish_action_publishes_a_claim_in_review(client, editor, claim_in_review):
    client.force_login(editor)
    assert run_action(client, CLAIMS, "publish_selected", [claim_in_review]) == [
        "Published 1 claim."
    ]
    claim = Claim.objects.get(pk=claim_in_review.pk)
    assert (claim.state, claim.published_by) == (ClaimState.PUBLISHED, editor)


def test_editor_who_reviewed_a_claim_cannot_publish_it_through_the_admin(
    client, triaged_claim, editor_who_reviewed
):
    client.force_login(editor_who_reviewed)
    shown = run_action(client, CLAIMS, "publish_selected", [triaged_claim])
    assert "another editor must sign it off" in shown[0]
    assert state_of(triaged_claim) == ClaimState.IN_REVIEW


@pytest.mark.parametrize(
    ("changelist", "action", "fixture", "refusal", "was", "becomes"),
    [
        (
            CLAIMS,
            "reopen_selected",
            "published_claim",
            "Say why you reopen it.",
            ClaimState.PUBLISHED,
            ClaimState.IN_RESEARCH,
        ),
        (
            ASSIGNMENTS,
            "withdraw_selected",
            "assignment",
            "Say why you withdraw the assignment.",
            AssignmentState.OFFERED,
            AssignmentState.WITHDRAWN,
        ),
    ],
    ids=["reopen", "withdraw"],
)
def test_an_editors_action_needs_a_note_and_then_goes_through(
    changelist, action, fixture, refusal, was, becomes, request, client, editor
):
    row = request.getfixturevalue(fixture)
    client.force_login(editor)
    shown = run_action(client, changelist, action, [row])
    assert refusal in shown[0]
    assert type(row).objects.get(pk=row.pk).state == was
    run_action(client, changelist, action, [row], note="New figures out.")
    assert type(row).objects.get(pk=row.pk).state == becomes


def test_reviewer_is_offered_no_workflow_action_and_cannot_post_one(client, reviewer, new_claim):
    client.force_login(reviewer)
    response = client.get(CLAIMS)
    assert response.context["action_form"] is None  # no action bar at all
    run_action(client, CLAIMS, "triage_selected", [new_claim])
    assert state_of(new_claim) == ClaimState.NEW


# --- Assignment actions --------------------------------------------------------------------


def assignment_state(assignment: Assignment) -> str:
    return Assignment.objects.get(pk=assignment.pk).state


def test_assigned_reviewer_accepts_an_offer(client, reviewer, assignment):
    client.force_login(reviewer)
    assert run_action(client, ASSIGNMENTS, "accept_selected", [assignment]) == [
        "Accepted 1 assignment."
    ]
    assert assignment_state(assignment) == AssignmentState.ACCEPTED


def test_assigned_reviewer_declines_an_offer_with_a_reason(client, reviewer, assignment):
    client.force_login(reviewer)
    run_action(client, ASSIGNMENTS, "decline_selected", [assignment], note="Conflict of interest.")
    declined = Assignment.objects.get(pk=assignment.pk)
    assert (declined.state, declined.reason) == (AssignmentState.DECLINED, "Conflict of interest.")


def test_accepting_twice_is_refused_and_changes_nothing(client, reviewer, assignment):
    services.assignment_accept(actor=reviewer, assignment=assignment)
    client.force_login(reviewer)
    shown = run_action(client, ASSIGNMENTS, "accept_selected", [assignment])
    assert f"Assignment #{assignment.pk}" in shown[0] and "Cannot accept" in shown[0]
    assert assignment_state(assignment) == AssignmentState.ACCEPTED


@pytest.mark.parametrize("who", ["second_reviewer", "editor"])
def test_no_one_but_the_assigned_reviewer_accepts_an_offer(who, request, client, assignment):
    client.force_login(request.getfixturevalue(who))
    run_action(client, ASSIGNMENTS, "accept_selected", [assignment])
    assert assignment_state(assignment) == AssignmentState.OFFERED


def test_editor_expires_an_assignment(client, editor, assignment):
    client.force_login(editor)
    assert run_action(client, ASSIGNMENTS, "expire_selected", [assignment]) == [
        "Expired 1 assignment."
    ]
    assert assignment_state(assignment) == AssignmentState.EXPIRED


# --- Assign reviewer, from the claim page ----------------------------------------------------


def assign_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_assign", args=[claim.pk])


def test_claim_page_links_an_editor_to_assign_a_triaged_claim(client, editor, triaged_claim):
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_change", args=[triaged_claim.pk]))
    assert assign_url(triaged_claim) in page.content.decode()


def test_editor_assigns_a_reviewer_from_the_claim_page(client, editor, reviewer, triaged_claim):
    client.force_login(editor)
    assert client.get(assign_url(triaged_claim)).status_code == 200
    response = client.post(assign_url(triaged_claim), {"reviewer": reviewer.pk, "note": ""})
    assert response.status_code == 302
    assignment = Assignment.objects.get(claim=triaged_claim)
    assert (assignment.reviewer, assignment.assigned_by) == (reviewer, editor)
    assert state_of(triaged_claim) == ClaimState.IN_RESEARCH


def test_assigning_the_claims_own_submitter_shows_the_services_refusal(
    client, editor, submitter, triaged_claim
):
    client.force_login(editor)
    response = client.post(assign_url(triaged_claim), {"reviewer": submitter.pk})
    assert response.status_code == 200
    assert "submitted this claim and cannot review it" in response.content.decode()
    assert not Assignment.objects.filter(claim=triaged_claim).exists()


def test_assigning_a_new_claim_is_refused_on_the_form(client, editor, reviewer, new_claim):
    client.force_login(editor)
    response = client.post(assign_url(new_claim), {"reviewer": reviewer.pk})
    assert response.status_code == 200
    assert f"Cannot assign claim #{new_claim.pk}: it is new" in response.text  # the service's
    assert not Assignment.objects.exists()


def test_assign_page_of_a_published_claim_says_why_and_offers_no_form(
    client, editor, published_claim
):
    client.force_login(editor)
    page = client.get(assign_url(published_claim)).content.decode()
    assert "is published; only triaged claims and claims in research take reviewers" in page
    assert 'name="reviewer"' not in page


def test_reviewer_cannot_assign_claims(client, reviewer, second_reviewer, triaged_claim):
    client.force_login(reviewer)
    assert client.get(assign_url(triaged_claim)).status_code == 403
    response = client.post(assign_url(triaged_claim), {"reviewer": second_reviewer.pk})
    assert response.status_code == 403
    assert not Assignment.objects.exists()
