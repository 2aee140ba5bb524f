"""The desk decides ingestion's likely duplicates: confirming moves the appearance to the
existing claim and dismisses the emptied candidate, through the services (so history and
workflow events say who did it); rejecting keeps both claims. A decided match, an automatic
attachment, or a candidate already triaged is refused; only editors decide."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from claims.exceptions import WorkflowConflict
from claims.extraction.ingest import claim_match_record
from claims.models import Appearance, Claim, ClaimMatch, ClaimState, MatchOutcome
from tests import factories
from verification import services
from verification.models import WorkflowAction
from verification.services.match_decisions import claim_match_confirm, claim_match_reject

pytestmark = pytest.mark.django_db


def suggest(candidate: Claim, existing: Claim, outcome: str = MatchOutcome.SUGGESTED):
    """The candidate's one appearance, matched to ``existing`` as ingestion records it."""
    appearance = candidate.appearances.get()
    return claim_match_record(
        appearance=appearance,
        existing=existing,
        score=0.72,
        words=0.8,
        shared_figures=1,
        outcome=outcome,
    )


@pytest.fixture
def existing(db, submitter) -> Claim:
    claim = factories.ClaimFactory(statement="Israel gets $3.8 billion a year in U.S. aid.")
    factories.AppearanceFactory(claim=claim)
    return claim


@pytest.fixture
def candidate(db, submitter) -> Claim:
    claim = factories.ClaimFactory(statement="Israel receives $3.8 billion every year.")
    factories.AppearanceFactory(claim=claim)
    return claim


@pytest.fixture
def match(candidate, existing) -> ClaimMatch:
    return suggest(candidate, existing)


def test_confirming_moves_the_appearance_and_dismisses_the_empty_candidate(
    editor, candidate, existing, match
):
    appearance = candidate.appearances.get()

    decided = claim_match_confirm(actor=editor, match=match)

    assert (decided.outcome, decided.decided_by) == (MatchOutcome.CONFIRMED, editor)
    assert decided.decided_at is not None
    appearance.refresh_from_db()
    assert appearance.claim == existing
    assert existing.appearances.count() == 2
    candidate.refresh_from_db()
    assert candidate.state == ClaimState.DISMISSED
    event = candidate.events.get(action=WorkflowAction.DISMISS)
    assert event.actor == editor
    assert f"Duplicate of claim #{existing.pk}" in event.note
    # The move is in the appearance's history, by the editor.
    moved = appearance.history.first()
    assert (moved.claim_id, moved.history_user) == (existing.pk, editor)


def test_confirming_a_duplicate_of_a_published_claim_dismisses_it_and_leaves_the_verdict_alone(
    editor, candidate, match, published_claim
):
    match.existing = published_claim
    match.save()
    before = published_claim.appearances.count()

    claim_match_confirm(actor=editor, match=match)

    assert published_claim.appearances.count() == before
    assert candidate.appearances.count() == 1  # nothing lost: it stays with the candidate
    candidate.refresh_from_db()
    assert candidate.state == ClaimState.DISMISSED
    note = candidate.events.get(action=WorkflowAction.DISMISS).note
    assert f"Duplicate of published claim #{published_claim.pk}" in note
    match.refresh_from_db()
    assert match.outcome == MatchOutcome.CONFIRMED


def test_a_candidate_with_another_appearance_is_not_dismissed(editor, candidate, existing, match):
    factories.AppearanceFactory(claim=candidate)

    claim_match_confirm(actor=editor, match=match)

    candidate.refresh_from_db()
    assert candidate.state == ClaimState.NEW
    assert candidate.appearances.count() == 1


def test_rejecting_keeps_both_claims_as_they_are(editor, candidate, existing, match):
    decided = claim_match_reject(actor=editor, match=match)

    assert (decided.outcome, decided.decided_by) == (MatchOutcome.REJECTED, editor)
    candidate.refresh_from_db()
    assert candidate.state == ClaimState.NEW
    assert candidate.appearances.count() == 1 and existing.appearances.count() == 1
    assert not candidate.events.filter(action=WorkflowAction.DISMISS).exists()


@pytest.mark.parametrize("first", [claim_match_confirm, claim_match_reject])
@pytest.mark.parametrize("second", [claim_match_confirm, claim_match_reject])
def test_a_decided_match_cannot_be_decided_again(editor, other_editor, match, first, second):
    first(actor=editor, match=match)
    outcome = ClaimMatch.objects.get(pk=match.pk).outcome

    with pytest.raises(WorkflowConflict, match=f"already {outcome} by editor"):
        second(actor=other_editor, match=match)

    assert ClaimMatch.objects.get(pk=match.pk).decided_by == editor


def test_an_automatic_attachment_is_not_a_suggestion_to_decide(editor, candidate, existing):
    attached = suggest(candidate, existing, outcome=MatchOutcome.ATTACHED)
    for decide in (claim_match_confirm, claim_match_reject):
        with pytest.raises(WorkflowConflict, match="attached that appearance automatically"):
            decide(actor=editor, match=attached)
    assert ClaimMatch.objects.get(pk=attached.pk).outcome == MatchOutcome.ATTACHED


def test_a_triaged_candidate_is_not_merged(editor, candidate, existing, match):
    services.claim_triage(actor=editor, claim=candidate)

    with pytest.raises(WorkflowConflict, match="decided before triage"):
        claim_match_confirm(actor=editor, match=match)

    assert candidate.appearances.count() == 1
    assert ClaimMatch.objects.get(pk=match.pk).outcome == MatchOutcome.SUGGESTED


@pytest.mark.parametrize("decide", [claim_match_confirm, claim_match_reject])
def test_a_reviewer_cannot_decide_a_match(reviewer, candidate, match, decide):
    with pytest.raises(PermissionDenied):
        decide(actor=reviewer, match=match)

    assert ClaimMatch.objects.get(pk=match.pk).outcome == MatchOutcome.SUGGESTED
    assert candidate.appearances.count() == 1


def test_a_failed_dismissal_leaves_the_appearance_where_it_was(
    editor, candidate, existing, match, monkeypatch
):
    from verification.services import match_decisions

    def refuse(**kwargs):
        raise WorkflowConflict("Someone triaged it meanwhile.")

    monkeypatch.setattr(match_decisions, "claim_dismiss", refuse)
    with pytest.raises(WorkflowConflict):
        claim_match_confirm(actor=editor, match=match)

    assert Appearance.objects.get(pk=match.appearance_id).claim == candidate
    assert ClaimMatch.objects.get(pk=match.pk).outcome == MatchOutcome.SUGGESTED


# --- The buttons on the claim page -------------------------------------------------------------


def decide_url(claim: Claim, match: ClaimMatch, decision: str) -> str:
    return reverse("admin:claims_claim_match_decide", args=[claim.pk, match.pk, decision])


def test_editor_confirms_from_the_existing_claims_page(client, editor, candidate, existing, match):
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_change", args=[existing.pk]))
    assert decide_url(existing, match, "confirm") in page.content.decode()

    response = client.post(decide_url(existing, match, "confirm"), follow=True)

    assert response.redirect_chain[-1][0].endswith(f"/{existing.pk}/change/#likely-duplicates")
    assert f"Confirmed: claim #{candidate.pk} is a duplicate of claim #{existing.pk}" in (
        response.content.decode()
    )
    candidate.refresh_from_db()
    assert candidate.state == ClaimState.DISMISSED


def test_editor_rejects_from_the_candidates_page(client, editor, candidate, existing, match):
    client.force_login(editor)
    response = client.post(decide_url(candidate, match, "reject"), follow=True)
    assert "is not a duplicate of claim" in response.content.decode()
    assert ClaimMatch.objects.get(pk=match.pk).outcome == MatchOutcome.REJECTED


def test_a_second_decision_on_the_page_shows_the_refusal(client, editor, candidate, match):
    client.force_login(editor)
    client.post(decide_url(candidate, match, "reject"))
    response = client.post(decide_url(candidate, match, "confirm"), follow=True)
    assert "it was already rejected by editor" in response.content.decode()
    assert ClaimMatch.objects.get(pk=match.pk).outcome == MatchOutcome.REJECTED


def test_the_decision_urls_refuse_a_get_a_reviewer_and_a_stranger_match(
    client, editor, reviewer, candidate, existing, match
):
    other = factories.ClaimFactory()
    client.force_login(editor)
    assert client.get(decide_url(candidate, match, "confirm")).status_code == 405
    assert client.post(decide_url(candidate, match, "merge")).status_code == 404
    assert client.post(decide_url(other, match, "confirm")).status_code == 404
    client.force_login(reviewer)
    page = client.get(reverse("admin:claims_claim_change", args=[candidate.pk]))
    assert "Confirm duplicate" not in page.content.decode()
    assert client.post(decide_url(candidate, match, "confirm")).status_code == 403
    assert ClaimMatch.objects.get(pk=match.pk).outcome == MatchOutcome.SUGGESTED
