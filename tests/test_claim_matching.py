"""Matching: the same claim in a second article is found; different figures are another claim."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from claims.extraction.ingest import Action, source_ingest
from claims.extraction.matching import Figure, find_matches, score_pair, word_similarity
from claims.extraction.quantities import parse_quantities
from claims.models import Appearance, Claim, QuantityKind

pytestmark = pytest.mark.django_db

FIRST_ARTICLE = """Aid Under Scrutiny

The United States gives Israel $3.8 billion a year in security assistance, officials said. \
The regional health agency estimated that about 10,000 civilians had been killed in the \
fighting. The government reported 1,400 deaths in the attacks on the border towns.
"""

# A second paper re-reports the same figures in its own words, and gets two figures wrong.
SECOND_ARTICLE = """Pressure Mounts Over Aid

Israel receives $3.8 billion in American security assistance every year. The regional health \
agency estimated that about 10,000 civilians had been killed in the fighting so far. Critics \
say the government reported 1,200 deaths in the attacks on the border towns. A local charity \
estimated that about 12,000 civilians had been killed in the fighting.
"""


def claim_stating(text: str) -> Claim:
    return Claim.objects.get(statement__contains=text)


@pytest.fixture
def first(editor):
    return source_ingest(actor=editor, text=FIRST_ARTICLE, title="First")


@pytest.fixture
def second(first, editor):
    return source_ingest(actor=editor, text=SECOND_ARTICLE, title="Second")


def outcome_for(result, words: str):
    (outcome,) = [o for o in result.outcomes if words in o.candidate.statement]
    return outcome


def test_a_re_reported_sentence_is_attached_to_the_existing_claim(first, second):
    aid_claim = claim_stating("10,000 civilians had been killed in the fighting.")
    outcome = outcome_for(second, "killed in the fighting so far")
    assert outcome.action == Action.ATTACHED
    assert outcome.claim == aid_claim
    assert aid_claim.appearances.count() == 2
    assert {a.source.title for a in aid_claim.appearances.all()} == {"First", "Second"}


def test_a_paraphrase_with_the_same_figure_is_proposed_as_a_likely_duplicate(first, second):
    original = claim_stating("gives Israel $3.8 billion a year")
    outcome = outcome_for(second, "Israel receives $3.8 billion")
    assert outcome.match is not None and outcome.match.claim == original
    if outcome.action == Action.CREATED:
        note = outcome.claim.appearances.get().note
        assert f"Possible duplicate of claim #{original.pk}" in note
    else:
        assert outcome.action == Action.ATTACHED


def test_different_figures_about_the_same_subject_are_not_matched(first, second):
    for words, original in (
        ("1,200 deaths", "1,400 deaths"),
        ("about 12,000 civilians", "about 10,000 civilians had been killed in the fighting."),
    ):
        outcome = outcome_for(second, words)
        assert outcome.action == Action.CREATED
        assert outcome.match is None
        assert outcome.claim != claim_stating(original)
        assert "Possible duplicate" not in outcome.claim.appearances.get().note


def test_matching_scores_shared_figures_up_and_rules_contradicting_figures_out():
    same = "Israel gets $3.8 billion a year in aid."
    figures = [Figure.of(q) for q in parse_quantities(same)]
    other = [Figure.of(q) for q in parse_quantities("Aid to Israel is $3.8 billion a year.")]
    wrong = [Figure.of(q) for q in parse_quantities("Aid to Israel is $3.3 billion a year.")]
    score, words, shared = score_pair(same, figures, "Aid to Israel is $3.8 billion a year.", other)
    assert shared == 1 and score > words
    assert score_pair(same, figures, "Aid to Israel is $3.3 billion a year.", wrong) is None


def test_counts_agree_on_the_number_whatever_noun_the_writer_counted():
    people = Figure(QuantityKind.COUNT, Decimal(1400), "people", "")
    israelis = Figure(QuantityKind.COUNT, Decimal(1400), "israelis", "")
    assert people.equals(israelis)
    assert not people.equals(Figure(QuantityKind.COUNT, Decimal(1200), "people", ""))


def test_word_similarity_ignores_order_case_and_function_words():
    assert word_similarity("The Senate passed the bill.", "the bill passed THE senate") == 1.0
    assert word_similarity("The Senate passed the bill.", "Rain fell on the coast.") < 0.4


def test_a_claim_worded_alike_is_found_without_any_figure(editor):
    source_ingest(
        actor=editor,
        text="Jobs Report\n\nUnemployment among young people has doubled since the factory "
        "closed, the union said in its annual report.",
    )
    matches = find_matches(
        statement="Unemployment among young people doubled after the factory closed.",
        quantities=[],
    )
    assert matches and "factory closed" in matches[0].claim.statement


@pytest.mark.postgres
def test_postgres_has_the_trigram_extension_and_index_on_claim_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() is not None
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'claims_claim_statement_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "gin_trgm_ops" in definition


def test_matching_a_second_ingest_leaves_the_first_articles_appearances_alone(first, second):
    first_source = first.source
    assert Appearance.objects.filter(source=first_source).count() == len(first.created)
