"""Krippendorff's alpha with the ordinal metric, for the desk and for one claim.

Ratings are mapped to 1 (false) … 5 (true); "unverifiable" is not on the scale and is left out,
as missing values are in Krippendorff's method. The desk's alpha is the textbook coefficient
over every claim (unit) with at least two ratings. A single claim's figure uses the same
formula with the claim's own observed disagreement against the *desk's* expected disagreement:
alpha computed over one unit alone is always 0 when the values differ, which tells nothing.

Reference: K. Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import permutations


@dataclass(frozen=True)
class Coincidences:
    """Coincidence counts ``o[(c, k)]`` and value totals ``n[c]`` over pairable units."""

    pairs: dict[tuple[int, int], float]
    totals: dict[int, float]

    @property
    def n(self) -> float:
        return sum(self.totals.values())


def coincidences(units: Iterable[Sequence[int]]) -> Coincidences:
    pairs: Counter[tuple[int, int]] = Counter()
    for values in units:
        m = len(values)
        if m < 2:
            continue  # a unit with one value cannot disagree and is not pairable
        for c, k in permutations(values, 2):
            pairs[(c, k)] += 1 / (m - 1)
    totals: Counter[int] = Counter()
    for (c, _k), count in pairs.items():
        totals[c] += count
    return Coincidences(dict(pairs), dict(totals))


def ordinal_delta(c: int, k: int, totals: dict[int, float]) -> float:
    """Squared ordinal distance: the mass of values between c and k, halves at the ends."""
    if c == k:
        return 0.0
    low, high = min(c, k), max(c, k)
    between = sum(count for value, count in totals.items() if low <= value <= high)
    return (between - (totals.get(c, 0) + totals.get(k, 0)) / 2) ** 2


def expected_disagreement(co: Coincidences) -> float:
    n = co.n
    if n < 2:
        return 0.0
    values = list(co.totals)
    total = sum(
        co.totals[c] * co.totals[k] * ordinal_delta(c, k, co.totals) for c in values for k in values
    )
    return total / (n * (n - 1))


def alpha(units: Iterable[Sequence[int]]) -> float | None:
    """Krippendorff's ordinal alpha; None when nothing is pairable or no value varies."""
    co = coincidences(units)
    de = expected_disagreement(co)
    if co.n == 0 or de == 0:
        return None
    do = sum(count * ordinal_delta(c, k, co.totals) for (c, k), count in co.pairs.items()) / co.n
    return 1 - do / de


def unit_alpha(values: Sequence[int], desk_units: Iterable[Sequence[int]]) -> float | None:
    """One claim's agreement: 1 − its mean pairwise disagreement ÷ the desk's expected one.

    1 means the reviewers agree; 0 means they disagree as much as ratings drawn at random from
    the desk's ratings would; below 0, more. None with fewer than two ratings or when the desk
    has no variation to compare against.
    """
    m = len(values)
    if m < 2:
        return None
    desk = coincidences(desk_units)
    de = expected_disagreement(desk)
    if de == 0:
        return 1.0 if len(set(values)) == 1 else None
    do = sum(ordinal_delta(c, k, desk.totals) for c, k in permutations(values, 2)) / (m * (m - 1))
    return 1 - do / de
