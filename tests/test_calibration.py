"""Calibration figures against a hand-computed example, the minimum below which a figure is
withheld, and the period (claims by their publication date)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import krippendorff
import numpy as np
import pytest
from django.utils import timezone

from claims.models import ClaimState
from tests import factories
from verification import agreement
from verification.calibration import (
    CalibrationPeriod,
    calibration,
    calibration_figures,
    calibration_rows,
)

pytestmark = pytest.mark.django_db

EMPTY_ROW = dict.fromkeys(
    ["true", "mostly_true", "mixed", "mostly_false", "false", "unverifiable"], 0
)


def published(verdict: str, *, days_ago: int = 10, editor_rating: str = "", **kwargs):
    """A claim published ``days_ago`` with ``verdict`` as its consensus (or the editor's
    ``editor_rating`` over it)."""
    return factories.ClaimFactory(
        state=ClaimState.PUBLISHED,
        published_at=timezone.now() - dt.timedelta(days=days_ago),
        consensus_rating=verdict,
        published_rating=editor_rating,
        **kwargs,
    )


def build_example() -> dict:
    """Reviewer R's six published claims (ordinal: true 5 … false 1):

    claim  R's rating       confidence  desk verdict               other fact-checkers
    c1     true (5)         high        true (5)                   true
    c2     mostly true (4)  high        true (5)                   mostly true
    c3     false (1)        high        false (1)                  false, mostly false
    c4     mixed (3)        moderate    mostly false (2, editor's  —
                                        over a "mixed" consensus)
    c5     false (1)        moderate    false (1)                  false
    c6     unverifiable     low         mixed (3)                  mixed, and one unreadable
                                                                   ("unverifiable": left out)

    Reviewer S reviewed c2 too: "true", high. Not counted anywhere: R's review of c1's earlier
    round (sent back), R's review of a claim published 400 days ago, and of a claim still in
    review.
    """
    r = factories.ReviewerFactory(username="cal-r")
    s = factories.ReviewerFactory(username="cal-s")
    claims = {
        "c1": published("true", review_round=2),
        "c2": published("true"),
        "c3": published("false"),
        "c4": published("mixed", editor_rating="mostly_false"),
        "c5": published("false"),
        "c6": published("mixed"),
    }
    given = {
        "c1": ("true", "high"),
        "c2": ("mostly_true", "high"),
        "c3": ("false", "high"),
        "c4": ("mixed", "moderate"),
        "c5": ("false", "moderate"),
        "c6": ("unverifiable", "low"),
    }
    for name, (rating, confidence) in given.items():
        factories.ReviewFactory(
            claim=claims[name], reviewer=r, rating=rating, confidence=confidence
        )
    factories.ReviewFactory(claim=claims["c2"], reviewer=s, rating="true", confidence="high")
    for name, ratings in {
        "c1": ["true"],
        "c2": ["mostly_true"],
        "c3": ["false", "mostly_false"],
        "c5": ["false"],
        "c6": ["mixed", "unverifiable"],
    }.items():
        for rating in ratings:
            factories.ExternalReviewFactory(claim=claims[name], rating=rating)
    # Left out: an earlier round, a claim published before the period, one not published.
    factories.ReviewFactory(
        claim=claims["c1"], reviewer=r, review_round=1, rating="false", confidence="low"
    )
    old = published("false", days_ago=400)
    factories.ReviewFactory(claim=old, reviewer=r, rating="true", confidence="high")
    factories.ExternalReviewFactory(claim=old, rating="true")
    pending = factories.ClaimFactory(state=ClaimState.IN_REVIEW)
    factories.ReviewFactory(claim=pending, reviewer=r, rating="true", confidence="high")
    return {"r": r, "s": s, "claims": claims}


def reference_alpha(pairs: list[tuple[int, int]]) -> float:
    """The krippendorff package's ordinal alpha, each pair a unit of two coders."""
    data = np.array(pairs, dtype=float).T
    return krippendorff.alpha(
        reliability_data=data, level_of_measurement="ordinal", value_domain=[1, 2, 3, 4, 5]
    )


def test_a_reviewers_figures_match_the_hand_computed_example(settings):
    settings.CALIBRATION_MIN_CLAIMS = 3
    example = build_example()

    figures = calibration(CalibrationPeriod.default(), reviewer_id=example["r"].pk)

    # Against the desk: six pairs on six claims; equal ratings on c1, c3, c5.
    desk = figures.against_desk
    assert (desk.claims, desk.pairs, desk.agreeing) == (6, 6, 3)
    assert desk.agreement == 0.5
    # Alpha over the five firm pairs (c6's "unverifiable" is off the scale): units (5,5) (4,5)
    # (1,1) (3,2) (1,1). Value totals n1=4 n2=1 n3=1 n4=1 n5=3, n=10. The ordinal distance
    # δ(c,k) = (Σ n from c to k − (n_c + n_k)/2)²: δ(4,5) = 4, δ(2,3) = 1.
    # Observed: (2·δ(4,5) + 2·δ(2,3)) / n = 10/10 = 1.
    # Expected: 2 · Σ_{c<k} n_c n_k δ(c,k) / (n(n−1)) = 2·755/90, where the terms are
    # (1,2) 4·6.25 (1,3) 4·12.25 (1,4) 4·20.25 (1,5) 12·42.25 (2,3) 1 (2,4) 4 (2,5) 3·16
    # (3,4) 1 (3,5) 3·9 (4,5) 3·4 = 25+49+81+507+1+4+48+1+27+12 = 755.
    # α = 1 − 1 / (1510/90) = 1 − 90/1510 = 142/151 ≈ 0.9404.
    assert desk.alpha_claims == 5
    assert desk.alpha == pytest.approx(float(Fraction(142, 151)), abs=1e-12)
    assert desk.alpha == pytest.approx(
        reference_alpha([(5, 5), (4, 5), (1, 1), (3, 2), (1, 1)]), abs=1e-12
    )
    # The matrix: R's rating (rows) × the desk's verdict (columns).
    assert desk.matrix["true"] == EMPTY_ROW | {"true": 1}
    assert desk.matrix["mostly_true"] == EMPTY_ROW | {"true": 1}
    assert desk.matrix["mixed"] == EMPTY_ROW | {"mostly_false": 1}
    assert desk.matrix["mostly_false"] == EMPTY_ROW
    assert desk.matrix["false"] == EMPTY_ROW | {"false": 2}
    assert desk.matrix["unverifiable"] == EMPTY_ROW | {"mixed": 1}

    # Against other fact-checkers: one pair per firm external verdict, c6's unreadable one left
    # out: (5,5) (4,4) (1,1) (1,2) (1,1) and (unverifiable, mixed), on five claims; four equal.
    others = figures.against_others
    assert (others.claims, others.pairs, others.agreeing) == (5, 6, 4)
    # Alpha over the five firm pairs, on four claims (c1 c2 c3 c5): totals n1=5 n2=1 n4=2 n5=2.
    # Observed: 2·δ(1,2)/10 with δ(1,2) = (6 − 3)² = 9: 1.8. Expected: 2·715/90, the terms
    # (1,2) 5·9 (1,4) 10·20.25 (1,5) 10·42.25 (2,4) 2·2.25 (2,5) 2·12.25 (4,5) 4·4 = 715.
    # α = 1 − 1.8·90/1430 = 634/715 ≈ 0.8867.
    assert others.alpha_claims == 4
    assert others.alpha == pytest.approx(float(Fraction(634, 715)), abs=1e-12)
    assert others.alpha == pytest.approx(
        reference_alpha([(5, 5), (4, 4), (1, 1), (1, 2), (1, 1)]), abs=1e-12
    )
    assert others.matrix["false"] == EMPTY_ROW | {"false": 2, "mostly_false": 1}
    assert others.matrix["unverifiable"] == EMPTY_ROW | {"mixed": 1}

    # Confidence: low has one claim and moderate two (withheld below three); high has three:
    # c1 and c3 upheld (2 of 3, 67 %, below the 90–99 % band: over-confident), c2 one step off,
    # so all three within one step.
    low, moderate, high = figures.reliability
    assert (low.claims, low.withheld, low.upheld) == (1, True, None)
    assert (moderate.claims, moderate.withheld, moderate.upheld) == (2, True, None)
    assert (high.claims, high.reviews, high.upheld, high.within_one) == (3, 3, 2, 3)
    assert high.upheld_share == pytest.approx(2 / 3)
    assert high.within_one_share == 1.0
    assert high.reading == "over-confident"
    assert figures.verdicts_against_others is None  # the desk's own comparison only


def test_the_desks_figures_pool_every_reviewer_and_compare_its_own_verdicts(settings):
    settings.CALIBRATION_MIN_CLAIMS = 3
    build_example()

    figures = calibration(CalibrationPeriod.default())

    # R's six pairs and S's (true, true) on c2: seven pairs on six claims, four equal.
    desk = figures.against_desk
    assert (desk.claims, desk.pairs, desk.agreeing) == (6, 7, 4)
    # The six firm units of the first test plus (5,5): n1=4 n2=1 n3=1 n4=1 n5=5, n=12;
    # observed (2·9 + 2·1)/12, expected 2·1536/132: α = 1 − 55/768 = 713/768 ≈ 0.9284.
    units = [(5, 5), (4, 5), (1, 1), (3, 2), (1, 1), (5, 5)]
    assert desk.alpha == pytest.approx(float(Fraction(713, 768)), abs=1e-12)
    assert desk.alpha == pytest.approx(agreement.alpha(units), abs=1e-12)
    assert desk.alpha == pytest.approx(reference_alpha(units), abs=1e-12)
    high = figures.reliability[2]
    assert (high.claims, high.reviews, high.upheld) == (3, 4, 3)  # S's c2 review upheld
    # The desk's verdicts against the others': (true, true) (true, mostly true) (false, false)
    # (false, mostly false) (false, false) (mixed, mixed) on five claims, four equal.
    verdicts = figures.verdicts_against_others
    assert (verdicts.claims, verdicts.pairs, verdicts.agreeing) == (5, 6, 4)
    assert verdicts.matrix["true"] == EMPTY_ROW | {"true": 1, "mostly_true": 1}


def test_figures_below_the_minimum_are_withheld_not_computed(settings):
    settings.CALIBRATION_MIN_CLAIMS = 5  # the default
    example = build_example()

    figures = calibration(CalibrationPeriod.default(), reviewer_id=example["r"].pk)

    desk, others = figures.against_desk, figures.against_others
    # Six claims behind the agreement and matrix, five behind alpha: all shown.
    assert not desk.withheld and desk.alpha is not None and desk.matrix is not None
    # Five claims behind the agreement, four behind alpha: alpha withheld, never computed.
    assert not others.withheld and others.alpha_withheld
    assert others.alpha is None and others.agreeing == 4
    assert all(row.withheld and row.upheld is None for row in figures.reliability)

    settings.CALIBRATION_MIN_CLAIMS = 7
    figures = calibration(CalibrationPeriod.default(), reviewer_id=example["r"].pk)
    desk = figures.against_desk
    assert desk.withheld and desk.claims == 6
    assert (desk.agreeing, desk.alpha, desk.matrix, desk.agreement) == (None, None, None, None)


def test_the_period_counts_claims_by_their_publication_day(settings):
    settings.CALIBRATION_MIN_CLAIMS = 1
    example = build_example()
    r = example["r"].pk
    today = timezone.localdate()

    last_year = calibration(CalibrationPeriod.default(), reviewer_id=r)
    with_old = calibration(
        CalibrationPeriod(since=today - dt.timedelta(days=500), until=today), reviewer_id=r
    )
    only_old = calibration(
        CalibrationPeriod(
            since=today - dt.timedelta(days=401), until=today - dt.timedelta(days=399)
        ),
        reviewer_id=r,
    )
    before_all = calibration(
        CalibrationPeriod(
            since=today - dt.timedelta(days=900), until=today - dt.timedelta(days=800)
        ),
        reviewer_id=r,
    )

    assert last_year.against_desk.claims == 6
    assert with_old.against_desk.claims == 7
    assert (only_old.against_desk.claims, only_old.against_others.claims) == (1, 1)
    assert only_old.against_desk.matrix["true"]["false"] == 1
    assert before_all.against_desk.claims == 0
    assert before_all.against_desk.alpha is None


def test_the_figures_come_from_two_queries(django_assert_num_queries):
    example = build_example()

    with django_assert_num_queries(2):
        rows = calibration_rows(CalibrationPeriod.default(), reviewer_id=example["r"].pk)
    figures = calibration_figures(
        rows, period=CalibrationPeriod.default(), reviewer_id=example["r"].pk, min_claims=1
    )

    assert figures.reviews == 6


def test_a_published_claim_without_a_verdict_is_left_out(settings):
    settings.CALIBRATION_MIN_CLAIMS = 1
    example = build_example()
    claim = example["claims"]["c5"]
    type(claim).objects.filter(pk=claim.pk).update(consensus_rating="", published_rating="")

    figures = calibration(CalibrationPeriod.default(), reviewer_id=example["r"].pk)

    assert figures.against_desk.claims == 5


def test_a_reopened_claim_counts_no_more_until_it_is_published_again(settings):
    settings.CALIBRATION_MIN_CLAIMS = 1
    example = build_example()
    claim = example["claims"]["c5"]
    type(claim).objects.filter(pk=claim.pk).update(
        state=ClaimState.IN_RESEARCH, published_at=None, review_round=2
    )

    figures = calibration(CalibrationPeriod.default(), reviewer_id=example["r"].pk)

    assert figures.against_desk.claims == 5
