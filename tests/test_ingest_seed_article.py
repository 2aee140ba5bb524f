"""Ingesting the seed article proposes the claims a checker would pull out of it by hand.

The article is read from ``../shared/seed/article.md`` at run time; its sentences are found here
by the figures or names they contain, so no article text is written into the project.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from claims.extraction.ingest import Action, IngestResult, Outcome, source_ingest
from claims.models import (
    Appearance,
    Attribution,
    Claim,
    ClaimState,
    Period,
    Quantity,
    QuantityKind,
    Source,
    Speaker,
    SpeakerKind,
)
from claims.services import validate_span

pytestmark = pytest.mark.django_db


@pytest.fixture
def ingested(editor, article_path) -> IngestResult:
    return source_ingest(actor=editor, path=article_path)


def outcome_with(result: IngestResult, pattern: str) -> Outcome:
    """The one proposed candidate whose statement matches ``pattern``."""
    found = [
        o
        for o in result.outcomes
        if o.action != Action.NOT_PROPOSED and re.search(pattern, o.candidate.statement)
    ]
    assert len(found) == 1, f"{len(found)} candidates match {pattern!r}"
    return found[0]


def figures(outcome: Outcome) -> list[tuple]:
    return [
        (q.kind, q.value, q.unit, q.period, q.approximate) for q in outcome.candidate.quantities
    ]


def test_the_article_is_stored_once_as_written_with_its_byline(ingested, article_path):
    source = ingested.source
    assert ingested.source_created
    assert source.text == article_path.read_text(encoding="utf-8")
    assert source.title.startswith("Biden Confronts")
    assert source.author == "David E. Sanger"
    assert source.publisher == "New York Times"


def test_security_assistance_is_3_8_billion_usd_per_year(ingested):
    outcome = outcome_with(ingested, r"\$3\.8 billion")
    assert (QuantityKind.MONEY, Decimal("3800000000"), "USD", Period.YEAR, False) in figures(
        outcome
    )
    stored = outcome.claim.quantities.get(kind=QuantityKind.MONEY)
    assert (stored.value, stored.unit, stored.period) == (Decimal("3800000000"), "USD", "year")


def test_1400_killed_in_the_october_7_attacks(ingested):
    outcome = outcome_with(ingested, r"\b1,400\b")
    assert (QuantityKind.COUNT, Decimal(1400), "people", "", False) in figures(outcome)
    assert (QuantityKind.DATE, Decimal(1007), "--MM-DD", "", False) in figures(outcome)


def test_casualty_figures_are_approximate_and_attributed_to_the_ministry_with_its_caveat(ingested):
    outcome = outcome_with(ingested, r"\b10,000\b")
    assert (QuantityKind.COUNT, Decimal(10000), "civilians", "", True) in figures(outcome)
    assert (QuantityKind.COUNT, Decimal(4000), "children", "", True) in figures(outcome)
    appearance = outcome.claim.appearances.get()
    assert appearance.attribution == Attribution.SAID
    assert appearance.speaker.name == "Gaza health ministry"
    assert appearance.speaker.kind == SpeakerKind.ORGANISATION
    assert "estimated" in appearance.note
    assert "impossible to confirm" in appearance.note


def test_twenty_months_of_war_in_ukraine(ingested):
    outcome = outcome_with(ingested, r"20 months of war")
    assert (QuantityKind.DURATION, Decimal(20), "months", "", False) in figures(outcome)


def test_moultons_four_tours_in_iraq(ingested):
    outcome = outcome_with(ingested, r"four tours")
    assert (QuantityKind.COUNT, Decimal(4), "tours", "", False) in figures(outcome)
    assert outcome.candidate.speaker.name == "Seth Moulton"


def test_the_1000_and_2000_pound_bombs(ingested):
    outcome = outcome_with(ingested, r"2,000-pound")
    weights = [f for f in figures(outcome) if f[0] == QuantityKind.WEIGHT]
    assert weights == [
        (QuantityKind.WEIGHT, Decimal(1000), "lb", "", False),
        (QuantityKind.WEIGHT, Decimal(2000), "lb", "", False),
    ]


@pytest.mark.parametrize(
    ("surname", "name", "role_words"),
    [
        ("Kirby", "John F. Kirby", ["spokesman for the National Security Council"]),
        ("Moulton", "Seth Moulton", ["Representative", "Massachusetts Democrat", "former Marine"]),
        ("Lute", "Douglas Lute", ["retired general"]),
        ("Finan", "Jon Finan", ["deputy national security adviser"]),
    ],
)
def test_quotes_are_attributed_to_the_people_quoted_with_their_roles(
    ingested, surname, name, role_words
):
    quoted = [
        o
        for o in ingested.outcomes
        if o.claim is not None
        and "“" in o.candidate.quote
        and o.candidate.speaker is not None
        and o.candidate.speaker.name == name
    ]
    assert quoted, f"no quotation attributed to {name}"
    for outcome in quoted:
        appearance = outcome.claim.appearances.get(source=ingested.source)
        assert appearance.attribution == Attribution.SAID
        speaker: Speaker = appearance.speaker
        assert speaker.name == name and speaker.kind == SpeakerKind.PERSON
        for words in role_words:
            assert words in speaker.role


def test_numeric_claims_rank_above_narrative_sentences(ingested):
    numeric = [
        outcome_with(ingested, pattern).candidate.score
        for pattern in (
            r"\$3\.8 billion",
            r"\b1,400\b",
            r"\b10,000\b",
            r"20 months of war",
            r"four tours",
            r"2,000-pound",
        )
    ]
    narrative = [
        o.candidate.score
        for o in ingested.outcomes
        if not o.candidate.heading
        and not o.candidate.quantities
        and o.candidate.speaker is None
        and o.candidate.attribution == Attribution.ASSERTED
        and len(o.candidate.statement.split()) <= 12
    ]
    assert len(narrative) >= 3
    assert min(numeric) > max(narrative)


def test_candidates_become_new_claims_with_exact_spans_and_scores(ingested):
    created = ingested.created
    assert len(created) >= 10
    for claim in created:
        assert claim.state == ClaimState.NEW
        assert 0 <= claim.checkworthiness <= 1
        for appearance in claim.appearances.all():
            validate_span(
                source=appearance.source,
                quote=appearance.quote,
                start=appearance.start,
                end=appearance.end,
            )
    headlines = [o for o in ingested.outcomes if o.candidate.heading]
    assert headlines and all(o.action == Action.NOT_PROPOSED for o in headlines)


def test_ingesting_the_same_article_twice_creates_nothing_new(ingested, editor, article_path):
    counts = [m.objects.count() for m in (Source, Claim, Appearance, Quantity, Speaker)]
    again = source_ingest(actor=editor, path=article_path)
    assert not again.source_created and again.source == ingested.source
    assert [m.objects.count() for m in (Source, Claim, Appearance, Quantity, Speaker)] == counts
    proposed = [o for o in again.outcomes if o.action != Action.NOT_PROPOSED]
    assert proposed and all(o.action == Action.ALREADY for o in proposed)
