"""Krippendorff's ordinal alpha: the textbook value, an independent implementation, edge cases."""

from __future__ import annotations

import math
import random

import krippendorff
import numpy as np
import pytest

from verification import agreement

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers
# rate twelve units, with missing values ("."). Rows are observers, columns units.
TEXTBOOK_ROWS = [
    "1 2 3 3 2 1 4 1 2 . . .",
    "1 2 3 3 2 2 4 1 2 5 . 3",
    ". 3 3 3 2 3 4 2 2 5 1 .",
    "1 2 3 3 2 4 4 1 2 5 1 .",
]


def _units(rows: list[list[int | None]]) -> list[list[int]]:
    """Observer rows → one list of the present values per unit (column)."""
    return [[v for v in column if v is not None] for column in zip(*rows, strict=True)]


def _parse(rows: list[str]) -> list[list[int | None]]:
    return [[None if v == "." else int(v) for v in row.split()] for row in rows]


def _reference_alpha(rows: list[list[int | None]]) -> float:
    data = np.array([[np.nan if v is None else float(v) for v in row] for row in rows])
    # Where nothing can disagree the package divides 0 by 0; we compare that case explicitly.
    with np.errstate(invalid="ignore", divide="ignore"):
        return krippendorff.alpha(
            reliability_data=data, level_of_measurement="ordinal", value_domain=[1, 2, 3, 4, 5]
        )


def test_alpha_reproduces_krippendorffs_textbook_ordinal_value():
    value = agreement.alpha(_units(_parse(TEXTBOOK_ROWS)))

    assert round(value, 3) == 0.815


def test_the_textbook_units_with_a_single_value_do_not_count():
    units = _units(_parse(TEXTBOOK_ROWS))
    # Unit 12 has one value (observer B's 3); dropping it changes nothing.
    assert units[-1] == [3]

    assert agreement.alpha(units[:-1]) == pytest.approx(agreement.alpha(units))


def test_alpha_matches_the_krippendorff_package_on_the_textbook_data():
    rows = _parse(TEXTBOOK_ROWS)

    assert agreement.alpha(_units(rows)) == pytest.approx(_reference_alpha(rows), abs=1e-12)


def test_alpha_matches_the_krippendorff_package_on_random_ratings_with_gaps():
    rng = random.Random(20231107)
    compared = 0
    for _ in range(200):
        coders, units = rng.randint(2, 6), rng.randint(3, 40)
        rows = [
            [rng.randint(1, 5) if rng.random() > 0.3 else None for _ in range(units)]
            for _ in range(coders)
        ]
        ours = agreement.alpha(_units(rows))
        reference = _reference_alpha(rows)
        if ours is None:
            # Nothing pairable or no variation: the package divides by zero and returns NaN.
            assert math.isnan(reference)
            continue
        assert ours == pytest.approx(reference, abs=1e-9)
        compared += 1

    assert compared > 150


def test_perfect_agreement_is_one():
    assert agreement.alpha([[5, 5, 5], [1, 1], [3, 3, 3, 3], [2, 2]]) == 1.0


def test_systematic_disagreement_is_below_zero():
    # Every unit's raters sit at opposite ends: worse than chance.
    assert agreement.alpha([[1, 5], [5, 1], [1, 5]]) < 0


@pytest.mark.parametrize(
    "units",
    [
        [],
        [[4]],
        [[4], [2], [5]],  # every unit has one rating: nothing is pairable
        [[3, 3, 3]],  # a single unit with no variation
        [[4, 4], [4, 4, 4]],  # several units, all the same value
    ],
)
def test_alpha_is_none_when_nothing_can_disagree(units):
    assert agreement.alpha(units) is None


DESK = [[5, 5], [4, 5], [1, 2], [3, 3], [2, 1, 1], [5, 4]]


def test_an_agreeing_claim_scores_one():
    assert agreement.unit_alpha([2, 2, 2], DESK) == 1.0


def test_a_disagreeing_claim_scores_below_one():
    assert agreement.unit_alpha([4, 5], DESK) < 1.0


def test_more_disagreement_on_a_claim_scores_lower():
    one_step = agreement.unit_alpha([4, 5], DESK)
    two_steps = agreement.unit_alpha([3, 5], DESK)
    opposite_ends = agreement.unit_alpha([1, 5], DESK)

    assert 1.0 > one_step > two_steps > opposite_ends


def test_unit_alpha_measures_the_claim_against_the_desks_expected_disagreement():
    # 1 − (the claim's mean pairwise disagreement) ÷ (the desk's expected disagreement),
    # worked by hand for DESK = [[1, 1], [5, 4]]: n₁ = 2, n₄ = n₅ = 1, De = 3, Do = 1.
    assert agreement.unit_alpha([5, 4], [[1, 1], [5, 4]]) == pytest.approx(2 / 3)


@pytest.mark.parametrize("values", [[], [4]])
def test_a_claim_with_fewer_than_two_ratings_has_no_agreement(values):
    assert agreement.unit_alpha(values, DESK) is None


def test_a_claim_on_a_desk_without_variation_agrees_or_is_unknown():
    assert agreement.unit_alpha([4, 4], [[4, 4], [4, 4]]) == 1.0
    assert agreement.unit_alpha([4, 5], [[4, 4], [4, 4]]) is None
