"""Is a new candidate a claim the desk already has? Same figures and similar words.

1. *Retrieve* a short list: claims stating one of the candidate's figures, plus those worded
   alike (PostgreSQL trigram similarity on a GIN index; elsewhere, the most recent claims).
2. *Score* each in Python: word similarity of the content words (rapidfuzz) with the share of
   figures in common; a comparable figure with another value rules the pair out.

Across languages words do not compare: the pair needs a shared figure that is not a date and no
contradicting one, and is scored by shared figures and names (accents folded); it is only ever
suggested (``MATCH_SUGGEST_THRESHOLD``), never attached (``MATCH_ATTACH_THRESHOLD``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from rapidfuzz import fuzz

from claims.extraction.attribution.lexicon import NOT_NAMES
from claims.extraction.lexicon import words
from claims.extraction.quantities import ParsedQuantity
from claims.models import Claim, Quantity, QuantityKind

STOPWORDS = words(
    "a an the of in on at to for from by with and or but than as that this these those who which "
    "is are was were be been being has have had do does did will would could should may might it "
    "its their his her he she they we you i our us them there here so such not no also about into "
    "over after before more most some any each every said says say according"
)
_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
_NAME = re.compile(r"(?<![\w’'-])[A-ZÀ-Þ][\w’'-]+")


def suggest_threshold() -> float:
    return float(getattr(settings, "MATCH_SUGGEST_THRESHOLD", 0.6))


def attach_threshold() -> float:
    return float(getattr(settings, "MATCH_ATTACH_THRESHOLD", 0.85))


@dataclass(frozen=True)
class Figure:
    """What matching compares of a quantity, whether parsed or stored."""

    kind: str
    value: Decimal
    unit: str
    period: str

    @classmethod
    def of(cls, quantity: ParsedQuantity | Quantity) -> Figure:
        return cls(quantity.kind, Decimal(quantity.value), quantity.unit.lower(), quantity.period)

    def equals(self, other: Figure) -> bool:
        if self.kind != other.kind or self.period != other.period:
            return False
        # Counts name what they count in the writer's words ("people", "Israelis"): the
        # number is what must agree.
        if self.kind != QuantityKind.COUNT and self.unit != other.unit:
            return False
        scale = max(abs(self.value), abs(other.value), Decimal(1))
        return abs(self.value - other.value) / scale <= Decimal("0.005")

    def comparable(self, other: Figure) -> bool:
        """Same kind of figure about the same thing, so different values contradict."""
        return (self.kind, self.unit, self.period) == (other.kind, other.unit, other.period)


@dataclass(frozen=True)
class Match:
    claim: Claim
    score: float
    words: float
    shared_figures: int

    @property
    def attach(self) -> bool:
        return self.score >= attach_threshold()

    @property
    def suggest(self) -> bool:
        return self.score >= suggest_threshold()


def content_words(text: str) -> str:
    return " ".join(w for w in _WORD.findall(text.lower()) if w not in STOPWORDS)


def word_similarity(a: str, b: str) -> float:
    """0–1: how alike two statements' content words are, order aside. The mean of the set and
    sort ratios, so a short statement contained in a long one is alike but not identical."""
    left, right = content_words(a), content_words(b)
    if not left or not right:
        return 0.0
    return (fuzz.token_set_ratio(left, right) + fuzz.token_sort_ratio(left, right)) / 200


def names(text: str) -> set[str]:
    """The names a statement gives: its capitalised words but those that open any sentence
    ("The", "Según"), lower-cased and without accents ("Cáritas" is "caritas")."""
    found = [name for name in _NAME.findall(text) if name not in NOT_NAMES]
    folded = unicodedata.normalize("NFKD", " ".join(found).lower())
    return set("".join(c for c in folded if not unicodedata.combining(c)).split())


def name_similarity(a: str, b: str) -> float:
    """0–1: the share of the shorter list of names the other gives too; one name in common
    counts half (a dateline's "Madrid" is not enough)."""
    left, right = names(a), names(b)
    if not left or not right:
        return 0.0
    common = len(left & right)
    return common / min(len(left), len(right)) * min(1.0, common / 2)


def score_pair(
    statement: str,
    figures: Sequence[Figure],
    other: str,
    other_figures: Sequence[Figure],
    *,
    across_languages: bool = False,
) -> tuple[float, float, int] | None:
    """(score, word similarity, shared figures), or None for a pair ruled out (module docstring)."""
    matched = [f for f in figures if any(f.equals(g) for g in other_figures)]
    shared = len(matched)
    contradicting = [
        f
        for f in figures
        if any(f.comparable(g) for g in other_figures)
        and not any(f.equals(g) for g in other_figures)
    ]
    if contradicting:
        return None
    if across_languages:
        telling = [f for f in matched if f.kind != QuantityKind.DATE]
        if not telling:
            return None
        similar = name_similarity(statement, other)
        # Two telling figures for full weight: one shared "20%" is a coincidence.
        share = shared / max(len(figures), len(other_figures)) * min(1.0, len(telling) / 2)
        # Just below attaching, whatever the figures: a person confirms a translation.
        ceiling = max(attach_threshold() - 0.01, 0.0)
        return min(0.4 * share + 0.6 * similar, ceiling), similar, shared
    words = word_similarity(statement, other)
    if figures and other_figures and shared:
        share = shared / max(len(figures), len(other_figures))
        return 0.6 * words + 0.4 * share, words, shared
    if bool(figures) != bool(other_figures) or figures:
        # One states a figure the other lacks, or their figures are about different things.
        return 0.85 * words, words, 0
    return words, words, 0


def find_matches(
    *,
    statement: str,
    quantities: Iterable[ParsedQuantity],
    language: str = "",
    limit: int = 5,
    exclude: Iterable[int] = (),
) -> list[Match]:
    """Existing claims like this candidate, best first, at or above the suggestion threshold.
    With the candidate's ``language``, a claim recorded in another is compared across
    languages (module docstring)."""
    figures = [Figure.of(q) for q in quantities]
    pool = (
        _retrieve(statement, figures).exclude(pk__in=list(exclude)).prefetch_related("quantities")
    )
    matches = []
    for claim in pool:
        scored = score_pair(
            statement,
            figures,
            claim.statement,
            [Figure.of(q) for q in claim.quantities.all()],
            across_languages=bool(language and claim.language and claim.language != language),
        )
        if scored is None:
            continue
        score, words, shared = scored
        if score >= suggest_threshold():
            matches.append(Match(claim, round(score, 4), round(words, 4), shared))
    matches.sort(key=lambda m: (-m.score, m.claim.pk))
    return matches[:limit]


def _retrieve(statement: str, figures: Sequence[Figure]) -> QuerySet[Claim]:
    """A short list of claims worth scoring: sharing a figure, or worded alike."""
    by_figure = Q()
    for figure in figures:
        by_figure |= Q(quantities__kind=figure.kind, quantities__value=figure.value)
    scan = int(getattr(settings, "MATCH_SCAN_LIMIT", 2000))
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramWordSimilarity

        # word_similarity finds the statement inside a longer claim (and the reverse below);
        # the GIN trigram index serves the "%>" operator behind the lookup.
        alike = (
            Claim.objects.filter(statement__trigram_word_similar=statement)
            .annotate(similarity=TrigramWordSimilarity(statement, "statement"))
            .order_by("-similarity")
            .values_list("pk", flat=True)
        )
        ids = set(alike[:scan])
    else:
        ids = set(Claim.objects.order_by("-pk").values_list("pk", flat=True)[:scan])
    if figures:
        ids |= set(Claim.objects.filter(by_figure).values_list("pk", flat=True)[:scan])
    return Claim.objects.filter(pk__in=ids)
