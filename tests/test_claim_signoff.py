"""Sign-off: an editor who did not review the claim publishes it (in review → published) or
sends it back to research with a note; a published claim is read-only until it is reopened
(published → in research) with a reason.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from claims.exceptions import WorkflowConflict
from claims.models import Appearance, Claim, ClaimState, Quantity, Rating
from claims.services import (
    AppearanceData,
    QuantityData,
    appearance_add,
    claim_update,
    quantity_add,
)
from tests import factories
from tests.conftest import add_evidence, recorded_move, submit_review
from tests.conftest import claim_snapshot as _unchanged
from verification import services
from verification.models import (
    Assignment,
    AssignmentState,
    Availability,
    Evidence,
    Review,
    WorkflowAction,
)

pytestmark = pytest.mark.django_db


# --- Publish ------------------------------------------------------------------------------


def test_an_editor_who_did_not_review_publishes_the_claim(claim_in_review, other_editor):
    frozen = dt.datetime(2024, 5, 6, 7, 8, tzinfo=dt.UTC)

    with mock.patch("django.utils.timezone.now", return_value=frozen):
        services.claim_publish(actor=other_editor, claim=claim_in_review, note="Signed off.")

    claim = Claim.objects.get(pk=claim_in_review.pk)
    assert (claim.state, claim.published_at, claim.published_by) == (
        ClaimState.PUBLISHED,
        frozen,
        other_editor,
    )
    assert claim.is_locked
    assert claim.consensus_rating == Rating.TRUE
    # Without a rating of their own, the editor publishes the consensus, and no summary.
    assert (claim.published_rating, claim.published_summary) == (Rating.TRUE, "")
    assert recorded_move(claim, WorkflowAction.PUBLISH) == {
        "actor": other_editor,
        "from_state": ClaimState.IN_REVIEW,
        "to_state": ClaimState.PUBLISHED,
        "note": "Signed off.",
    }


def test_a_published_claims_timeline_records_every_move_in_order(published_claim):
    events = list(published_claim.events.all())

    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        (WorkflowAction.CREATE, "", ClaimState.NEW),
        (WorkflowAction.TRIAGE, ClaimState.NEW, ClaimState.TRIAGED),
        (WorkflowAction.ASSIGN, "", AssignmentState.OFFERED),
        (WorkflowAction.START_RESEARCH, ClaimState.TRIAGED, ClaimState.IN_RESEARCH),
        (WorkflowAction.REVIEW, AssignmentState.OFFERED, AssignmentState.SUBMITTED),
        (WorkflowAction.SUBMIT_FOR_SIGNOFF, ClaimState.IN_RESEARCH, ClaimState.IN_REVIEW),
        (WorkflowAction.PUBLISH, ClaimState.IN_REVIEW, ClaimState.PUBLISHED),
    ]


def test_the_editor_who_reviewed_a_claim_cannot_publish_it(
    triaged_claim, editor_who_reviewed, other_editor
):
    both = editor_who_reviewed
    before = _unchanged(triaged_claim)
    assert before[0] == ClaimState.IN_REVIEW

    with pytest.raises(WorkflowConflict, match="another editor must sign it off"):
        services.claim_publish(actor=both, claim=triaged_claim)

    assert _unchanged(triaged_claim) == before
    assert services.claim_publish(actor=other_editor, claim=triaged_claim).state == (
        ClaimState.PUBLISHED
    )


def test_publishing_twice_at_once_lets_only_one_editor_win(claim_in_review, editor, other_editor):
    stale_copy = Claim.objects.get(pk=claim_in_review.pk)
    services.claim_publish(actor=other_editor, claim=claim_in_review)

    with pytest.raises(WorkflowConflict, match="it is published"):
        services.claim_publish(actor=editor, claim=stale_copy)

    assert Claim.objects.get(pk=claim_in_review.pk).published_by == other_editor
    assert claim_in_review.events.filter(action=WorkflowAction.PUBLISH).count() == 1


# --- Publish: the final rating and the summary ---------------------------------------------


def test_the_editor_publishes_a_summary_with_the_consensus(claim_in_review, other_editor):
    services.claim_publish(
        actor=other_editor,
        claim=claim_in_review,
        summary="  The budget table for 2023 shows the figure.  ",
        note="Checked the table.",
    )

    claim = Claim.objects.get(pk=claim_in_review.pk)
    assert (claim.published_rating, claim.published_summary) == (
        Rating.TRUE,
        "The budget table for 2023 shows the figure.",
    )
    assert claim.events.get(action=WorkflowAction.PUBLISH).note == (
        "Checked the table.\nSummary: The budget table for 2023 shows the figure."
    )


def test_the_editor_may_overrule_the_consensus_saying_why(claim_in_review, other_editor):
    services.claim_publish(
        actor=other_editor,
        claim=claim_in_review,
        rating=Rating.MOSTLY_TRUE,
        summary="Right figure, but for fiscal 2022.",
        note="The table is for the previous fiscal year.",
    )

    claim = Claim.objects.get(pk=claim_in_review.pk)
    assert (claim.state, claim.published_rating, claim.consensus_rating) == (
        ClaimState.PUBLISHED,
        Rating.MOSTLY_TRUE,
        Rating.TRUE,
    )
    note = claim.events.get(action=WorkflowAction.PUBLISH).note
    assert note.splitlines() == [
        "The table is for the previous fiscal year.",
        "Published as Mostly true, overruling the consensus True.",
        "Summary: Right figure, but for fiscal 2022.",
    ]


@pytest.mark.parametrize("note", ["", "   "])
def test_overruling_the_consensus_without_a_note_is_refused(note, claim_in_review, other_editor):
    before = _unchanged(claim_in_review)

    with pytest.raises(ValidationError) as refused:
        services.claim_publish(
            actor=other_editor, claim=claim_in_review, rating=Rating.FALSE, note=note
        )

    assert refused.value.message_dict["note"] == [
        "You chose 'False', not the reviewers' consensus 'True'; say why in the note."
    ]
    assert _unchanged(claim_in_review) == before
    assert Claim.objects.get(pk=claim_in_review.pk).published_rating == ""


def test_choosing_the_consensus_itself_needs_no_note(claim_in_review, other_editor):
    services.claim_publish(actor=other_editor, claim=claim_in_review, rating=Rating.TRUE)

    assert Claim.objects.get(pk=claim_in_review.pk).published_rating == Rating.TRUE


def test_a_firm_rating_without_evidence_is_refused_to_the_editor_too(
    other_editor, unverifiable_claim
):
    claim = unverifiable_claim
    before = _unchanged(claim)

    with pytest.raises(ValidationError) as refused:
        services.claim_publish(
            actor=other_editor, claim=claim, rating=Rating.FALSE, note="I know it is false."
        )

    assert "A firm rating needs evidence" in refused.value.message_dict["rating"][0]
    assert _unchanged(claim) == before


def test_an_unverifiable_consensus_is_published_without_evidence(other_editor, unverifiable_claim):
    claim = unverifiable_claim

    services.claim_publish(actor=other_editor, claim=claim, summary="No record either way.")

    assert Claim.objects.get(pk=claim.pk).published_rating == Rating.UNVERIFIABLE


def test_a_rating_off_the_scale_is_refused(claim_in_review, other_editor):
    before = _unchanged(claim_in_review)

    with pytest.raises(ValidationError) as refused:
        services.claim_publish(
            actor=other_editor, claim=claim_in_review, rating="pants_on_fire", note="Sure."
        )

    assert "'pants_on_fire' is not a rating." in refused.value.message_dict["rating"]
    assert _unchanged(claim_in_review) == before


def test_reopening_keeps_the_published_rating_and_summary_public(
    claim_in_review, other_editor, editor
):
    services.claim_publish(
        actor=other_editor,
        claim=claim_in_review,
        rating=Rating.MOSTLY_TRUE,
        summary="Close, but not quite.",
        note="Different year.",
    )

    services.claim_reopen(actor=editor, claim=claim_in_review, reason="New figures.")

    claim = Claim.objects.get(pk=claim_in_review.pk)
    assert (claim.published_rating, claim.published_summary) == (
        Rating.MOSTLY_TRUE,
        "Close, but not quite.",
    )
    assert claim.has_public_verdict


# --- Send back ----------------------------------------------------------------------------


def test_send_back_returns_the_claim_to_research_in_a_new_round(claim_in_review, editor, reviewer):
    assert Claim.objects.get(pk=claim_in_review.pk).consensus_rating == Rating.TRUE
    round_one = list(Review.objects.filter(claim=claim_in_review).values_list("pk", "rating"))

    services.claim_send_back(actor=editor, claim=claim_in_review, note="Find a second source.")

    claim = Claim.objects.get(pk=claim_in_review.pk)
    assert (claim.state, claim.review_round) == (ClaimState.IN_RESEARCH, 2)
    assert (claim.consensus_rating, claim.consensus_confidence, claim.agreement) == ("", "", None)
    # The first round's review stays on record.
    assert list(Review.objects.filter(claim=claim).values_list("pk", "rating")) == round_one
    assert recorded_move(claim, WorkflowAction.SEND_BACK) == {
        "actor": editor,
        "from_state": ClaimState.IN_REVIEW,
        "to_state": ClaimState.IN_RESEARCH,
        "note": "Find a second source.",
    }


def test_send_back_offers_the_new_round_to_the_last_rounds_reviewers(
    claim_in_review, editor, reviewer
):
    services.claim_send_back(actor=editor, claim=claim_in_review, note="Find a second source.")

    reoffer = Assignment.objects.get(claim=claim_in_review, review_round=2)
    assert (reoffer.reviewer, reoffer.state, reoffer.assigned_by) == (
        reviewer,
        AssignmentState.OFFERED,
        editor,
    )
    assert reoffer.events.get(action=WorkflowAction.ASSIGN).note == (
        "Sent back: Find a second source."
    )


def test_send_back_skips_a_last_round_reviewer_who_is_now_away(claim_in_review, editor, reviewer):
    reviewer.reviewer_profile.availability = Availability.AWAY
    reviewer.reviewer_profile.save()

    services.claim_send_back(actor=editor, claim=claim_in_review, note="Find a second source.")

    assert Claim.objects.get(pk=claim_in_review.pk).state == ClaimState.IN_RESEARCH
    assert not Assignment.objects.filter(claim=claim_in_review, review_round=2).exists()


def test_a_sent_back_claim_returns_to_review_with_the_new_rounds_verdict(
    claim_in_review, editor, other_editor, reviewer
):
    services.claim_send_back(actor=editor, claim=claim_in_review, note="Check the year.")
    reoffer = Assignment.objects.get(claim=claim_in_review, review_round=2)
    item = Evidence.objects.get(claim=claim_in_review)

    submit_review(
        reviewer,
        reoffer,
        "mostly_true",
        "moderate",
        "The figure is for a different fiscal year.",
        [item],
    )

    claim = Claim.objects.get(pk=claim_in_review.pk)
    assert claim.state == ClaimState.IN_REVIEW
    # Only round 2 counts: round 1 said "true".
    assert (claim.consensus_rating, claim.consensus_confidence) == ("mostly_true", "moderate")
    assert services.claim_publish(actor=other_editor, claim=claim).state == ClaimState.PUBLISHED


# --- Reopen -------------------------------------------------------------------------------


def test_reopening_a_published_claim_starts_a_new_round_of_research(published_claim, editor):
    services.claim_reopen(actor=editor, claim=published_claim, reason="New budget figures.")

    claim = Claim.objects.get(pk=published_claim.pk)
    assert (claim.state, claim.review_round) == (ClaimState.IN_RESEARCH, 2)
    # The verdict stays public, "under review again", until the new round's sign-off.
    assert (claim.published_at, claim.published_by) == (
        published_claim.published_at,
        published_claim.published_by,
    )
    assert claim.is_under_review_again
    assert (claim.consensus_rating, claim.consensus_confidence, claim.agreement) == ("", "", None)
    assert not claim.is_locked
    assert Review.objects.filter(claim=claim, review_round=1).count() == 1
    assert recorded_move(claim, WorkflowAction.REOPEN) == {
        "actor": editor,
        "from_state": ClaimState.PUBLISHED,
        "to_state": ClaimState.IN_RESEARCH,
        "note": "New budget figures.",
    }


# --- Locked while published ---------------------------------------------------------------


def _edits(claim: Claim, editor) -> dict:
    """Each way of changing a claim's content, as a call on ``claim``."""
    source = factories.SourceFactory()
    return {
        "claim_update": lambda: claim_update(actor=editor, claim=claim, statement="Reworded."),
        "quantity_add": lambda: quantity_add(
            actor=editor, claim=claim, data=QuantityData(value="1400", unit="people")
        ),
        "appearance_add": lambda: appearance_add(
            actor=editor,
            claim=claim,
            data=AppearanceData(source=source, quote=source.text[:10], start=0),
        ),
        "evidence_add": lambda: add_evidence(
            editor,
            claim,
            "Later report",
            "https://records.example/later",
            stance="context",
            source_reliability="B",
            credibility=2,
        ),
    }


def _content(claim: Claim) -> tuple:
    return (
        Claim.objects.get(pk=claim.pk).statement,
        Quantity.objects.filter(claim=claim).count(),
        Appearance.objects.filter(claim=claim).count(),
        Evidence.objects.filter(claim=claim).count(),
    )


@pytest.mark.parametrize("edit", ["claim_update", "quantity_add", "appearance_add", "evidence_add"])
def test_a_published_claim_is_read_only(edit, published_claim, editor):
    before = _content(published_claim)

    with pytest.raises(WorkflowConflict, match="published"):
        _edits(published_claim, editor)[edit]()

    assert _content(published_claim) == before


@pytest.mark.parametrize("edit", ["claim_update", "quantity_add", "appearance_add", "evidence_add"])
def test_a_reopened_claim_can_be_edited_again(edit, published_claim, editor):
    reopened = services.claim_reopen(actor=editor, claim=published_claim, reason="New data.")
    before = _content(reopened)

    _edits(reopened, editor)[edit]()

    assert _content(reopened) != before
