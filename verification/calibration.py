"""Calibration: how well a reviewer's ratings (or the whole desk's) match the verdicts that
came out, and whether their stated confidence means what it says.

The reviews counted are those of the published round of claims published in the period (whole
days in the desk's time zone, :data:`DATED_BY`). Each is compared with the desk's verdict
(``published_rating_of``) and with other fact-checkers' firm verdicts (an external
"unverifiable" is left out): the share of equal pairs, Krippendorff's ordinal alpha over the
five-point pairs, and the confusion matrix. Per confidence level, the share of reviews upheld by
the verdict and within one step of it, beside the level's band. A figure with fewer claims
behind it than ``settings.CALIBRATION_MIN_CLAIMS`` is withheld, never computed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from claims.models import RATING_ORDINAL, ClaimState, Confidence, ExternalReview, Rating
from claims.roles import User, is_editor, is_reviewer
from verification import agreement
from verification.dashboard.aggregates import published_verdict
from verification.dashboard.scope import date_q
from verification.models import Review

DATED_BY = "claim__published_at"
DEFAULT_PERIOD_DAYS = 365
RATINGS: tuple[str, ...] = tuple(Rating.values)  # the matrix's rows and columns, in scale order
FIRM: frozenset[str] = frozenset(RATING_ORDINAL)


def may_read_calibration(user: User | None, *, reviewer_id: int | None) -> bool:
    """Editors (and administrators) read anyone's figures and the desk's; a reviewer reads only
    their own (``reviewer_id`` None: the desk's)."""
    if is_editor(user):
        return True
    return reviewer_id is not None and is_reviewer(user) and user.pk == reviewer_id


@dataclass(frozen=True)
class CalibrationPeriod:
    """Claims published from ``since`` to ``until``, both days included."""

    since: dt.date
    until: dt.date

    @classmethod
    def default(cls, *, today: dt.date | None = None) -> CalibrationPeriod:
        """The last :data:`DEFAULT_PERIOD_DAYS` days, today included."""
        today = today or timezone.localdate()
        return cls(since=today - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1), until=today)


@dataclass(frozen=True)
class ReviewRow:
    """One review behind a published verdict: who, which claim, what they said and how sure."""

    reviewer_id: int
    claim_id: int
    rating: str
    confidence: str
    verdict: str


@dataclass(frozen=True)
class CalibrationRows:
    reviews: list[ReviewRow]
    external: dict[int, list[str]]  # claim id → other fact-checkers' firm ratings


def calibration_rows(
    period: CalibrationPeriod, *, reviewer_id: int | None = None
) -> CalibrationRows:
    """The reviews and the external verdicts of their claims, in two queries."""
    reviews = (
        Review.objects.filter(
            date_q(DATED_BY, period.since, period.until),
            claim__state=ClaimState.PUBLISHED,
            review_round=F("claim__review_round"),
        )
        .annotate(verdict=published_verdict("claim__"))
        # A published claim always carries a verdict; a row that lost it cannot be compared.
        .filter(verdict__in=RATINGS)
        .order_by()
    )
    if reviewer_id is not None:
        reviews = reviews.filter(reviewer_id=reviewer_id)
    rows = [
        ReviewRow(*values)
        for values in reviews.values_list(
            "reviewer_id", "claim_id", "rating", "confidence", "verdict"
        )
    ]
    external: dict[int, list[str]] = defaultdict(list)
    found = (
        ExternalReview.objects.filter(claim_id__in=reviews.values("claim_id"), rating__in=FIRM)
        .order_by("claim_id", "id")
        .values_list("claim_id", "rating")
    )
    for claim_id, rating in found:
        external[claim_id].append(rating)
    return CalibrationRows(rows, dict(external))


@dataclass(frozen=True)
class Pair:
    claim_id: int
    rating: str  # the reviewer's (or the desk's, for the desk's verdicts against others)
    reference: str


class _Withheld:
    claims: int
    min_claims: int

    @property
    def withheld(self) -> bool:
        return self.claims < self.min_claims


@dataclass(frozen=True)
class Comparison(_Withheld):
    """Ratings against a reference verdict. ``None`` figures are withheld (too few claims)."""

    claims: int  # claims behind the agreement and the matrix
    pairs: int
    alpha_claims: int  # claims with a pair on the five-point scale, behind alpha
    min_claims: int
    agreeing: int | None = None
    alpha: float | None = None
    matrix: dict[str, dict[str, int]] | None = None

    @property
    def alpha_withheld(self) -> bool:
        return self.alpha_claims < self.min_claims

    @property
    def agreement(self) -> float | None:
        if self.agreeing is None or not self.pairs:
            return None
        return self.agreeing / self.pairs


def compare(pairs: Iterable[Pair], *, min_claims: int) -> Comparison:
    """Agreement, ordinal alpha and the confusion matrix of the pairs, each only when enough
    claims are behind it."""
    pairs = list(pairs)
    claims = len({p.claim_id for p in pairs})
    firm = [p for p in pairs if p.rating in FIRM and p.reference in FIRM]
    alpha_claims = len({p.claim_id for p in firm})
    result = Comparison(
        claims=claims, pairs=len(pairs), alpha_claims=alpha_claims, min_claims=min_claims
    )
    if result.withheld:
        return result
    matrix = {row: dict.fromkeys(RATINGS, 0) for row in RATINGS}
    for p in pairs:
        matrix[p.rating][p.reference] += 1
    figures = {"agreeing": sum(1 for p in pairs if p.rating == p.reference), "matrix": matrix}
    if not result.alpha_withheld:
        units = [(RATING_ORDINAL[p.rating], RATING_ORDINAL[p.reference]) for p in firm]
        figures["alpha"] = agreement.alpha(units)
    return replace(result, **figures)


@dataclass(frozen=True)
class ReliabilityRow(_Withheld):
    """Reviews at one confidence level and how often the published verdict upheld them."""

    confidence: Confidence
    claims: int
    reviews: int
    min_claims: int
    upheld: int | None = None
    within_one: int | None = None
    firm_reviews: int = 0  # reviews whose rating and verdict are both on the five-point scale

    @property
    def upheld_share(self) -> float | None:
        return None if self.upheld is None else self.upheld / self.reviews

    @property
    def within_one_share(self) -> float | None:
        if self.within_one is None or not self.firm_reviews:
            return None
        return self.within_one / self.firm_reviews

    @property
    def band(self) -> tuple[float, float]:
        return self.confidence.band

    @property
    def reading(self) -> str:
        """The upheld share against the level's band; empty when withheld."""
        share = self.upheld_share
        if share is None:
            return ""
        low, high = self.band
        if share < low:
            return "over-confident"
        if share > high:
            return "under-confident"
        return "as stated"


def reliability(reviews: Iterable[ReviewRow], *, min_claims: int) -> list[ReliabilityRow]:
    """One row per confidence level, low to high. Upheld: the review's rating equals the
    published verdict; within one: both firm and at most one step apart."""
    by_level: dict[str, list[ReviewRow]] = defaultdict(list)
    for row in reviews:
        if row.confidence:
            by_level[row.confidence].append(row)
    table = []
    for level in Confidence:
        rows = by_level.get(level.value, [])
        figure = ReliabilityRow(
            confidence=level,
            claims=len({r.claim_id for r in rows}),
            reviews=len(rows),
            min_claims=min_claims,
        )
        if not figure.withheld:
            firm = [r for r in rows if r.rating in FIRM and r.verdict in FIRM]
            steps = Counter(abs(RATING_ORDINAL[r.rating] - RATING_ORDINAL[r.verdict]) for r in firm)
            figure = replace(
                figure,
                upheld=sum(1 for r in rows if r.rating == r.verdict),
                within_one=steps[0] + steps[1],
                firm_reviews=len(firm),
            )
        table.append(figure)
    return table


@dataclass(frozen=True)
class Calibration:
    """A reviewer's figures (``reviewer_id``) or the desk's (None) over ``period``."""

    period: CalibrationPeriod
    reviewer_id: int | None
    min_claims: int
    against_desk: Comparison
    against_others: Comparison
    reliability: list[ReliabilityRow]
    # The desk only: its published verdicts against the other fact-checkers'.
    verdicts_against_others: Comparison | None = None
    reviews: int = 0


def calibration_figures(
    rows: CalibrationRows,
    *,
    period: CalibrationPeriod,
    reviewer_id: int | None,
    min_claims: int | None = None,
) -> Calibration:
    """Every figure from the rows (pure: no database)."""
    if min_claims is None:
        min_claims = settings.CALIBRATION_MIN_CLAIMS
    reviews = rows.reviews
    desk_pairs = [Pair(r.claim_id, r.rating, r.verdict) for r in reviews]
    other_pairs = [
        Pair(r.claim_id, r.rating, theirs)
        for r in reviews
        for theirs in rows.external.get(r.claim_id, ())
    ]
    verdicts = None
    if reviewer_id is None:
        verdict_of = {r.claim_id: r.verdict for r in reviews}
        verdicts = compare(
            (
                Pair(claim_id, verdict_of[claim_id], theirs)
                for claim_id, ratings in rows.external.items()
                if claim_id in verdict_of
                for theirs in ratings
            ),
            min_claims=min_claims,
        )
    return Calibration(
        period=period,
        reviewer_id=reviewer_id,
        min_claims=min_claims,
        against_desk=compare(desk_pairs, min_claims=min_claims),
        against_others=compare(other_pairs, min_claims=min_claims),
        reliability=reliability(reviews, min_claims=min_claims),
        verdicts_against_others=verdicts,
        reviews=len(reviews),
    )


def calibration(period: CalibrationPeriod, *, reviewer_id: int | None = None) -> Calibration:
    """A reviewer's calibration over ``period`` (or the desk's): two queries."""
    rows = calibration_rows(period, reviewer_id=reviewer_id)
    return calibration_figures(rows, period=period, reviewer_id=reviewer_id)
