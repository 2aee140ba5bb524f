"""Figures in Portuguese and Spanish news text: decimal commas, "mil milhões", "R$", dates."""

from decimal import Decimal

import pytest

from claims.extraction.language import detect_language
from claims.extraction.quantities import parse_quantities

# Written for these tests: a Brazilian and a Spanish news paragraph, sentence by sentence, with
# the (value, unit, kind) each sentence must yield.
PORTUGUESE = [
    (
        "O Ministério da Saúde anunciou nesta terça-feira R$ 3,8 bilhões para reformar "
        "1.400 hospitais até 2026.",
        [("3800000000", "BRL", "money"), ("1400", "hospitais", "count"), ("2026", "YYYY", "date")],
    ),
    (
        "Segundo o relatório, cerca de 2 milhões de pessoas esperam por cirurgias eletivas, "
        "e o déficit chega a R$ 25 bilhões por ano.",
        [("2000000", "pessoas", "count"), ("25000000000", "BRL", "money")],
    ),
    (
        "Em Lisboa, o governo português garantiu US$ 1,2 mil milhões em 7 de outubro de 2023.",
        [("1200000000", "USD", "money"), ("20231007", "YYYY-MM-DD", "date")],
    ),
    (
        "A inflação fechou em 4,62% em 2023, ante 5,79% no ano anterior.",
        [("4.62", "%", "percentage"), ("2023", "YYYY", "date"), ("5.79", "%", "percentage")],
    ),
]
SPANISH = [
    (
        "Las inundaciones dejaron 1.400 muertos y pérdidas por 3,8 mil millones de dólares, "
        "según el informe oficial.",
        [("1400", "muertos", "count"), ("3800000000", "USD", "money")],
    ),
    (
        "El paro bajó al 11,2% en marzo de 2024, el 20% de ellos jóvenes.",
        [("11.2", "%", "percentage"), ("202403", "YYYY-MM", "date"), ("20", "%", "percentage")],
    ),
    (
        "El Gobierno destinará 450 millones de euros al año a la sanidad desde el 1 de enero.",
        [("450000000", "EUR", "money"), ("101", "--MM-DD", "date")],
    ),
]


def _read(sentence: str, language: str) -> list[tuple[str, str, str]]:
    return [(str(q.value), q.unit, q.kind) for q in parse_quantities(sentence, language)]


@pytest.mark.parametrize(("sentence", "expected"), PORTUGUESE)
def test_portuguese_figures_are_read_in_their_format(sentence, expected):
    assert _read(sentence, "pt") == expected


@pytest.mark.parametrize(("sentence", "expected"), SPANISH)
def test_spanish_figures_are_read_in_their_format(sentence, expected):
    assert _read(sentence, "es") == expected


def test_a_rate_and_an_approximation_are_kept():
    first, second = parse_quantities(PORTUGUESE[1][0], "pt")
    assert first.approximate and first.text == "cerca de 2 milhões de pessoas"
    assert second.period == "year" and second.text == "R$ 25 bilhões por ano"


@pytest.mark.parametrize(
    ("sentence", "language", "period"),
    [
        ("Argentina tiene una inflación del 211% anual.", "es", "year"),
        ("El alquiler sube un 1,2% mensual.", "es", "month"),
        ("Ele recebe R$ 5 mil mensais.", "pt", "month"),
        ("A produção é de 300 barris diário.", "pt", "day"),
    ],
)
def test_a_rate_written_as_an_adjective(sentence, language, period):
    (figure,) = parse_quantities(sentence, language)
    assert figure.period == period


def test_a_range_reads_both_ends():
    (figure,) = parse_quantities("A obra custará entre R$ 3 e R$ 5 bilhões.", "pt")
    assert (figure.value, figure.high, figure.unit) == (
        Decimal(3_000_000_000),
        Decimal(5_000_000_000),
        "BRL",
    )


def test_real_sign_in_english_text_is_brazilian_reais_not_dollars():
    (money, _year) = parse_quantities("The bank lent R$25 billion in 2020.", "en")
    assert (money.value, money.unit) == (Decimal(25_000_000_000), "BRL")


@pytest.mark.parametrize(
    ("text", "language"),
    [(s, "pt") for s, _ in PORTUGUESE] + [(s, "es") for s, _ in SPANISH],
)
def test_each_sentence_is_detected_in_its_language(text, language):
    assert detect_language(text) == language


def test_too_short_a_text_gets_the_default():
    assert detect_language("Falso", default="und") == "und"
