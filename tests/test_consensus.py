"""Reviews of a claim are combined into a consensus and an agreement figure, never overwritten."""

from __future__ import annotations

import pytest

from claims.models import Claim, ClaimState, Priority
from tests import factories
from tests.conftest import add_evidence, submit_review
from verification import services
from verification.models import Review
from verification.services.reviews import consensus_of, desk_rating_units

T, MT, MX, MF, F, U = "true", "mostly_true", "mixed", "mostly_false", "false", "unverifiable"
HIGH, MOD, LOW = "high", "moderate", "low"


def _reviews(*given: tuple[str, str]) -> list[Review]:
    return [Review(rating=rating, confidence=confidence) for rating, confidence in given]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param([], ("", ""), id="no reviews, no verdict"),
        pytest.param([(T, HIGH)], (T, HIGH), id="a single review passes through"),
        pytest.param([(U, MOD)], (U, MOD), id="a single unverifiable passes through"),
        pytest.param([(MF, LOW)], (MF, LOW), id="a single low-confidence review stays low"),
        pytest.param([(T, HIGH), (T, HIGH)], (T, HIGH), id="agreement keeps the confidence"),
        pytest.param(
            [(U, HIGH), (U, MOD), (F, HIGH)], (U, MOD), id="two of three unverifiable wins"
        ),
        pytest.param(
            [(U, HIGH), (U, HIGH), (U, HIGH), (T, HIGH), (T, HIGH)],
            (U, HIGH),
            id="three of five unverifiable wins",
        ),
        pytest.param(
            [(U, MOD), (MT, HIGH)],
            (MT, MOD),
            id="an unverifiable half is no majority, but its confidence counts",
        ),
        pytest.param(
            [(MF, HIGH), (MF, HIGH), (F, HIGH)], (MF, MOD), id="median of three, a step apart"
        ),
        pytest.param(
            [(T, HIGH), (MT, HIGH), (F, HIGH)], (MT, LOW), id="median of three, far apart"
        ),
        pytest.param(
            [(T, HIGH), (MT, HIGH), (U, HIGH)],
            (MT, MOD),
            id="unverifiable is left out of the median",
        ),
        pytest.param(
            [(T, HIGH), (MT, HIGH)], (MT, MOD), id="even split takes the value nearer mixed"
        ),
        pytest.param(
            [(F, HIGH), (MF, HIGH)], (MF, MOD), id="even split on the false side, nearer mixed"
        ),
        pytest.param([(MT, HIGH), (MF, HIGH)], (MX, LOW), id="even split across mixed is mixed"),
        pytest.param([(T, HIGH), (F, HIGH)], (MX, LOW), id="true against false is mixed"),
        pytest.param(
            [(T, HIGH), (MT, HIGH), (MF, HIGH), (F, HIGH)],
            (MX, LOW),
            id="four-way split across mixed is mixed",
        ),
        pytest.param(
            [(T, HIGH), (T, HIGH), (MX, HIGH), (MX, HIGH)],
            (MX, LOW),
            id="even split between true and mixed is mixed",
        ),
        pytest.param(
            [(T, HIGH), (T, LOW)], (T, LOW), id="confidence is the lowest any reviewer gave"
        ),
        pytest.param(
            [(T, MOD), (MT, HIGH)], (MT, LOW), id="a one-step spread lowers confidence a level"
        ),
        pytest.param([(T, LOW), (MT, LOW)], (MT, LOW), id="confidence does not fall below low"),
        pytest.param([(T, HIGH), (T, HIGH), (MX, HIGH)], (T, LOW), id="a two-step spread is low"),
    ],
)
def test_consensus_of(given, expected):
    assert consensus_of(_reviews(*given)) == expected


def test_consensus_does_not_change_the_reviews_it_combines():
    reviews = _reviews((T, HIGH), (F, MOD))

    consensus_of(reviews)

    assert [(r.rating, r.confidence) for r in reviews] == [(T, HIGH), (F, MOD)]


# --- Through review_submit, on a claim that needs two independent reviews. ------------------


def _review_claim(claim: Claim, editor, verdicts: list[tuple[object, str, str]]) -> Claim:
    """Triage ``claim``, assign each reviewer, and have each submit their verdict with evidence."""
    claim = services.claim_triage(actor=editor, claim=claim)
    assignments = [
        services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)
        for reviewer, _rating, _confidence in verdicts
    ]
    for assignment, (reviewer, rating, confidence) in zip(assignments, verdicts, strict=True):
        evidence = add_evidence(
            reviewer,
            claim,
            f"Record found by {reviewer.username}",
            f"https://records.example/{claim.pk}/{reviewer.username}",
            source_reliability="B",
            credibility=2,
        )
        submit_review(
            reviewer,
            assignment,
            rating,
            confidence,
            f"{reviewer.username} weighed the record.",
            [evidence],
        )
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def high_priority_claim(submitter) -> Claim:
    return factories.ClaimFactory(submitted_by=submitter, priority=Priority.HIGH)


def test_two_reviews_of_a_high_priority_claim_are_combined_and_kept(
    high_priority_claim, editor, reviewer, second_reviewer
):
    claim = _review_claim(
        high_priority_claim, editor, [(reviewer, T, HIGH), (second_reviewer, MT, HIGH)]
    )

    assert claim.required_reviews == 2
    assert claim.state == ClaimState.IN_REVIEW
    assert (claim.consensus_rating, claim.consensus_confidence) == (MT, MOD)
    # The desk holds only this claim's two ratings, which differ: alpha over one unit is 0.
    assert claim.agreement == pytest.approx(0.0)
    kept = Review.objects.filter(claim=claim).order_by("reviewer__username")
    assert [(r.reviewer, r.rating, r.confidence) for r in kept] == [
        (reviewer, T, HIGH),
        (second_reviewer, MT, HIGH),
    ]


def test_a_claims_agreement_is_measured_against_the_whole_desk(
    submitter, editor, reviewer, second_reviewer
):
    agreed = factories.ClaimFactory(submitted_by=submitter, priority=Priority.HIGH)
    split = factories.ClaimFactory(submitted_by=submitter, priority=Priority.HIGH)

    agreed = _review_claim(agreed, editor, [(reviewer, F, HIGH), (second_reviewer, F, MOD)])
    split = _review_claim(split, editor, [(reviewer, T, HIGH), (second_reviewer, MT, HIGH)])

    assert (agreed.consensus_rating, agreed.consensus_confidence, agreed.agreement) == (
        F,
        MOD,
        1.0,
    )
    # Desk [[1, 1], [5, 4]]: the split claim's disagreement is a third of the expected one.
    assert sorted(sorted(unit) for unit in desk_rating_units()) == [[1, 1], [4, 5]]
    assert split.agreement == pytest.approx(2 / 3)


def test_the_consensus_is_kept_up_to_date_after_each_review(
    high_priority_claim, editor, reviewer, second_reviewer
):
    claim = services.claim_triage(actor=editor, claim=high_priority_claim)
    first = services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)
    services.assignment_create(actor=editor, claim=claim, reviewer=second_reviewer)

    submit_review(reviewer, first, U, MOD, "No record either way.")

    claim = Claim.objects.get(pk=claim.pk)
    assert claim.state == ClaimState.IN_RESEARCH  # one of two reviews is in
    assert (claim.consensus_rating, claim.consensus_confidence) == (U, MOD)
    assert claim.agreement is None  # fewer than two firm ratings


def test_earlier_rounds_do_not_count_towards_the_desks_agreement(
    high_priority_claim, editor, other_editor, reviewer, second_reviewer
):
    claim = _review_claim(
        high_priority_claim, editor, [(reviewer, T, HIGH), (second_reviewer, F, HIGH)]
    )
    assert sorted(desk_rating_units()[0]) == [1, 5]

    services.claim_send_back(actor=other_editor, claim=claim, note="Find the budget line.")

    assert desk_rating_units() == []
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.consensus_rating, claim.consensus_confidence, claim.agreement) == ("", "", None)
