"""A reviewer's verdict: who may give it, what it must cite, and what it does to the claim.

When the round's required reviews are in, the claim goes to sign-off (in research → in review),
and not before. Reviews are combined into a consensus; disagreement is kept, never overwritten.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.exceptions import WorkflowConflict
from claims.models import RATING_ORDINAL, Claim, ClaimState, Confidence, Rating
from tests import factories
from tests.conftest import CLAIM_IN_STATE, add_evidence
from verification import services
from verification.models import Assignment, AssignmentState, Review, WorkflowAction, WorkflowEvent
from verification.selectors import can_see_verdicts, reviews_visible_to

pytestmark = pytest.mark.django_db

FIRM_RATINGS = [r for r in Rating if r.is_firm]


def _review(actor, assignment: Assignment, rating: str = "true", **overrides) -> Review:
    fields = {
        "confidence": Confidence.HIGH,
        "rationale": "The appropriations act states the figure.",
        "evidence": (),
    }
    return services.review_submit(
        actor=actor, assignment=assignment, rating=rating, **(fields | overrides)
    )


def _snapshot(assignment: Assignment) -> tuple:
    claim = Claim.objects.get(pk=assignment.claim_id)
    return (
        claim.state,
        claim.consensus_rating,
        Assignment.objects.get(pk=assignment.pk).state,
        Review.objects.count(),
        WorkflowEvent.objects.count(),
    )


def test_assigned_reviewer_submits_a_review_citing_evidence(
    claim_in_research, assignment, evidence, reviewer
):
    review = _review(reviewer, assignment, "mostly_true", evidence=[evidence])

    review.refresh_from_db()
    assert (review.claim, review.reviewer, review.review_round, review.rating) == (
        claim_in_research,
        reviewer,
        1,
        Rating.MOSTLY_TRUE,
    )
    assert list(review.evidence.all()) == [evidence]
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SUBMITTED
    assert assignment.closed_at is not None
    event = assignment.events.get(action=WorkflowAction.REVIEW)
    assert (event.actor, event.from_state, event.to_state) == (
        reviewer,
        AssignmentState.OFFERED,
        AssignmentState.SUBMITTED,
    )


def test_the_last_required_review_sends_the_claim_to_signoff(
    claim_in_research, assignment, evidence, reviewer
):
    _review(reviewer, assignment, evidence=[evidence])

    claim = Claim.objects.get(pk=claim_in_research.pk)
    assert claim.state == ClaimState.IN_REVIEW
    assert (claim.consensus_rating, claim.consensus_confidence) == (Rating.TRUE, Confidence.HIGH)
    event = claim.events.get(action=WorkflowAction.SUBMIT_FOR_SIGNOFF)
    assert (event.actor, event.from_state, event.to_state) == (
        None,
        ClaimState.IN_RESEARCH,
        ClaimState.IN_REVIEW,
    )


def test_a_high_priority_claim_waits_in_research_for_its_second_review(
    two_reviewer_claim, reviewer, second_reviewer
):
    claim, first, second, item = two_reviewer_claim

    _review(reviewer, first, evidence=[item])

    claim.refresh_from_db()
    assert claim.state == ClaimState.IN_RESEARCH
    assert not claim.events.filter(action=WorkflowAction.SUBMIT_FOR_SIGNOFF).exists()

    _review(second_reviewer, second, evidence=[item])

    claim.refresh_from_db()
    assert claim.state == ClaimState.IN_REVIEW
    assert claim.events.filter(action=WorkflowAction.SUBMIT_FOR_SIGNOFF).count() == 1


def test_a_claim_cannot_go_to_signoff_before_its_reviews_are_in(claim_in_research):
    events_before = WorkflowEvent.objects.count()

    with pytest.raises(WorkflowConflict, match="has 0 of its 1 required reviews"):
        services.claim_submit_for_signoff(actor=None, claim=claim_in_research)

    assert Claim.objects.get(pk=claim_in_research.pk).state == ClaimState.IN_RESEARCH
    assert WorkflowEvent.objects.count() == events_before


@pytest.mark.parametrize("state", [s for s in ClaimState if s != ClaimState.IN_RESEARCH])
def test_signoff_cannot_be_requested_from_any_state_but_in_research(state, request):
    claim = request.getfixturevalue(CLAIM_IN_STATE[state])
    events_before = WorkflowEvent.objects.count()

    with pytest.raises(WorkflowConflict) as refused:
        services.claim_submit_for_signoff(actor=None, claim=claim)

    message = str(refused.value)
    assert f"Cannot send to sign-off claim #{claim.pk}: it is {state.label.lower()}" in message
    assert Claim.objects.get(pk=claim.pk).state == state
    assert WorkflowEvent.objects.count() == events_before


@pytest.mark.parametrize("rating", FIRM_RATINGS)
def test_a_firm_rating_without_evidence_is_refused(rating, assignment, reviewer):
    before = _snapshot(assignment)

    with pytest.raises(ValidationError) as refused:
        _review(reviewer, assignment, rating, evidence=[])

    assert "evidence" in refused.value.message_dict
    assert _snapshot(assignment) == before


def test_unverifiable_needs_no_evidence(claim_in_research, assignment, reviewer):
    review = _review(reviewer, assignment, "unverifiable", confidence=Confidence.MODERATE)

    assert review.evidence.count() == 0
    claim = Claim.objects.get(pk=claim_in_research.pk)
    assert claim.state == ClaimState.IN_REVIEW
    assert claim.consensus_rating == Rating.UNVERIFIABLE


def test_evidence_of_another_claim_cannot_be_cited(assignment, reviewer, editor):
    elsewhere = services.claim_triage(
        actor=editor, claim=factories.ClaimFactory(submitted_by=editor)
    )
    foreign = add_evidence(
        editor,
        elsewhere,
        "Unrelated report",
        "https://records.example/other",
        stance="refutes",
        source_reliability="C",
        credibility=3,
    )
    before = _snapshot(assignment)

    with pytest.raises(ValidationError, match="belongs to another claim"):
        _review(reviewer, assignment, "false", evidence=[foreign])

    assert _snapshot(assignment) == before


def test_a_reviewer_reviews_once_per_assignment(two_reviewer_claim, reviewer):
    claim, first, _second, item = two_reviewer_claim
    _review(reviewer, first, evidence=[item])
    before = _snapshot(first)

    with pytest.raises(WorkflowConflict, match="it is submitted"):
        _review(reviewer, first, "false", evidence=[item])

    assert _snapshot(first) == before
    assert claim.reviews.filter(reviewer=reviewer).count() == 1


@pytest.mark.parametrize(
    "close",
    [
        lambda reviewer, editor, a: services.assignment_decline(actor=reviewer, assignment=a),
        lambda reviewer, editor, a: services.assignment_withdraw(
            actor=editor, assignment=a, reason="Reassigning."
        ),
        lambda reviewer, editor, a: services.assignment_expire(
            actor=None, assignment=a, reason="Overdue."
        ),
    ],
    ids=["declined", "withdrawn", "expired"],
)
def test_a_review_is_refused_on_a_closed_assignment(
    close, request, assignment, evidence, reviewer, editor
):
    close(reviewer, editor, assignment)
    state = Assignment.objects.get(pk=assignment.pk).state
    before = _snapshot(assignment)

    with pytest.raises(WorkflowConflict, match=f"it is {state}"):
        _review(reviewer, assignment, evidence=[evidence])

    assert _snapshot(assignment) == before


def test_a_review_is_refused_on_an_assignment_from_an_earlier_round(
    claim_in_review, assignment, evidence, reviewer, editor
):
    services.claim_send_back(actor=editor, claim=claim_in_review, note="Find a second source.")
    before = _snapshot(assignment)

    with pytest.raises(WorkflowConflict, match="from an earlier round"):
        _review(reviewer, assignment, "mixed", evidence=[evidence])

    assert _snapshot(assignment) == before


def test_a_still_open_assignment_of_an_earlier_round_cannot_be_used(
    claim_in_review, evidence, reviewer, editor
):
    services.claim_send_back(actor=editor, claim=claim_in_review, note="Find a second source.")
    reoffer = Assignment.objects.get(claim=claim_in_review, review_round=2)
    # A row left open from round 1 (e.g. by an import): open, but of the wrong round.
    Assignment.objects.filter(pk=reoffer.pk).update(review_round=1)
    before = _snapshot(reoffer)

    with pytest.raises(WorkflowConflict, match="it is offered, from an earlier round"):
        _review(reviewer, reoffer, "mixed", evidence=[evidence])

    assert _snapshot(reoffer) == before


@pytest.mark.parametrize("who", ["second_reviewer", "editor", "outsider"])
def test_only_the_assigned_reviewer_submits_a_review(who, request, assignment, evidence):
    actor = request.getfixturevalue(who)
    before = _snapshot(assignment)

    with pytest.raises(PermissionDenied, match="Only the assigned reviewer"):
        _review(actor, assignment, evidence=[evidence])

    assert _snapshot(assignment) == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rating": "pants_on_fire"}, "rating"),
        ({"confidence": "certain"}, "confidence"),
        ({"rationale": "   "}, "rationale"),
    ],
)
def test_a_review_with_a_value_off_the_scale_is_refused(
    overrides, field, assignment, evidence, reviewer
):
    before = _snapshot(assignment)

    with pytest.raises(ValidationError) as refused:
        _review(reviewer, assignment, **({"evidence": [evidence]} | overrides))

    assert field in refused.value.message_dict
    assert _snapshot(assignment) == before


def test_disagreeing_reviews_are_both_kept_and_combined_into_a_consensus(
    two_reviewer_claim, reviewer, second_reviewer, other_editor
):
    claim, first, second, item = two_reviewer_claim

    yes = _review(reviewer, first, "true", confidence=Confidence.HIGH, evidence=[item])
    no = _review(
        second_reviewer, second, "mostly_false", confidence=Confidence.MODERATE, evidence=[item]
    )

    # Neither verdict was changed to match the other.
    assert Review.objects.get(pk=yes.pk).rating == Rating.TRUE
    assert Review.objects.get(pk=no.pk).rating == Rating.MOSTLY_FALSE
    claim.refresh_from_db()
    # The consensus is the combination of both reviews (its exact rule is tested in
    # test_consensus.py): between the two verdicts, and unsure because they are far apart.
    assert (claim.consensus_rating, claim.consensus_confidence) == services.consensus_of([yes, no])
    assert RATING_ORDINAL[Rating.MOSTLY_FALSE] <= RATING_ORDINAL[claim.consensus_rating] < 5
    assert claim.consensus_confidence == Confidence.LOW
    assert isinstance(claim.agreement, float)
    assert claim.agreement < 1
    # The editor who signs off sees both verdicts, not only the consensus.
    seen = reviews_visible_to(other_editor).filter(claim=claim)
    assert {(r.reviewer, r.rating) for r in seen} == {
        (reviewer, Rating.TRUE),
        (second_reviewer, Rating.MOSTLY_FALSE),
    }
    assert can_see_verdicts(other_editor, claim)


def test_agreeing_reviews_store_full_agreement(two_reviewer_claim, reviewer, second_reviewer):
    claim, first, second, item = two_reviewer_claim

    _review(reviewer, first, "false", evidence=[item])
    _review(second_reviewer, second, "false", confidence=Confidence.MODERATE, evidence=[item])

    claim.refresh_from_db()
    assert (claim.consensus_rating, claim.consensus_confidence) == (
        Rating.FALSE,
        Confidence.MODERATE,
    )
    assert claim.agreement == 1.0


def test_one_review_gives_a_consensus_but_no_agreement_figure(two_reviewer_claim, reviewer):
    claim, first, _second, item = two_reviewer_claim

    _review(reviewer, first, "mixed", confidence=Confidence.LOW, evidence=[item])

    claim.refresh_from_db()
    assert (claim.consensus_rating, claim.consensus_confidence) == (Rating.MIXED, Confidence.LOW)
    assert claim.agreement is None
