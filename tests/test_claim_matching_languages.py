"""Matching across languages: a Spanish or Portuguese claim's English duplicate is suggested by
the figures and names both give (and back), never attached, and a shared date or a lone shared
figure is not enough."""

import pytest

from claims.extraction.ingest import Action, source_ingest
from claims.extraction.matching import Figure, name_similarity, score_pair
from claims.extraction.quantities import parse_quantities
from claims.models import ClaimMatch, MatchOutcome

pytestmark = pytest.mark.django_db

# Written for these tests: one story told by an English, a Spanish and a Portuguese paper.
ENGLISH = """Spain pledges billions for public housing

Spain's housing minister, Isabel Rodríguez, said on Monday the government would spend \
€4.5 billion to build 43,000 affordable rental homes by 2027.

Caritas estimates that 1.3 million households spend more than 40% of their income on rent.
"""
SPANISH = """El Gobierno anuncia 4.500 millones de euros para vivienda pública

Madrid — La ministra de Vivienda, Isabel Rodríguez, aseguró este lunes que el Ejecutivo \
destinará 4.500 millones de euros a construir 43.000 viviendas de alquiler asequible antes de \
2027.

La organización Cáritas calcula que 1,3 millones de hogares destinan más del 40% de sus \
ingresos al alquiler.

El portavoz del Partido Popular, Borja Sémper, afirmó que el Gobierno prometió 100.000 \
viviendas en 2027.
"""
PORTUGUESE = """Espanha promete 4,5 mil milhões de euros para habitação

A ministra espanhola da Habitação, Isabel Rodríguez, afirmou que o governo vai gastar 4,5 mil \
milhões de euros para construir 43.000 casas de renda acessível até 2027.
"""


def suggestion_for(result, opening: str):
    (outcome,) = [o for o in result.outcomes if o.candidate.statement.startswith(opening)]
    return outcome


@pytest.mark.parametrize(("first", "second"), [(ENGLISH, SPANISH), (SPANISH, ENGLISH)])
def test_a_translation_is_suggested_in_both_directions(editor, first, second):
    source_ingest(actor=editor, text=first, title="First")
    result = source_ingest(actor=editor, text=second, title="Second")
    housing = [o for o in result.outcomes if "Isabel Rodríguez" in o.candidate.statement]
    caritas = [o for o in result.outcomes if "ritas" in o.candidate.statement]
    for (outcome,) in (housing, caritas):
        assert outcome.action == Action.CREATED  # suggested, never attached
        assert outcome.match is not None and outcome.match.suggest
        assert outcome.match.claim.language != outcome.claim.language
        row = ClaimMatch.objects.get(appearance__claim=outcome.claim)
        assert row.outcome == MatchOutcome.SUGGESTED and row.existing == outcome.match.claim
    # "100.000 viviendas en 2027" shares only the year with the English housing claim.
    if second is SPANISH:
        assert suggestion_for(result, "El portavoz").match is None


def test_a_portuguese_report_finds_the_english_claim(editor):
    source_ingest(actor=editor, text=ENGLISH, title="English")
    result = source_ingest(actor=editor, text=PORTUGUESE, title="Português")
    outcome = suggestion_for(result, "A ministra espanhola")
    assert outcome.claim.language == "pt"
    assert outcome.match is not None and "Isabel Rodríguez" in outcome.match.claim.statement


def _figures(text: str, language: str) -> list[Figure]:
    return [Figure.of(q) for q in parse_quantities(text, language)]


def test_across_languages_a_lone_shared_figure_or_a_contradiction_is_no_match():
    english = "In Madrid, unemployment among the young reached 20% in 2023."
    spanish = "En Madrid, el 20% de los hogares no llega a fin de mes."
    scored = score_pair(
        spanish, _figures(spanish, "es"), english, _figures(english, "en"), across_languages=True
    )
    assert scored is not None and scored[0] < 0.6  # one figure and one name in common
    wrong = "La ministra Isabel Rodríguez destinará 3.500 millones de euros a 43.000 viviendas."
    right = "Minister Isabel Rodríguez will spend €4.5 billion on 43,000 homes."
    figures = _figures(wrong, "es"), _figures(right, "en")
    assert score_pair(wrong, figures[0], right, figures[1], across_languages=True) is None


def test_names_are_compared_without_accents_or_sentence_openers():
    assert name_similarity("Según Cáritas, …", "Caritas estimates …") == 0.5
    assert name_similarity("La ministra Isabel Rodríguez", "Minister Isabel Rodriguez") == 1.0
    assert name_similarity("El Gobierno", "The government") == 0.0
