"""A share written as a ratio ("one in five", "2 de cada 3") is the percentage it states, not
two counts; a number before a year ("rose 5 in 2020") is no ratio."""

from decimal import Decimal

import pytest

from claims.extraction.quantities import parse_quantities


@pytest.mark.parametrize(
    ("sentence", "language", "share", "text"),
    [
        ("One in five Americans lives in poverty.", "en", "20", "One in five"),
        ("Nearly 1 in 4 contracts lasts less than a week.", "en", "25", "1 in 4"),
        ("Two out of three voters agree.", "en", "66.67", "Two out of three"),
        ("1 em cada 5 pensionistas vive abaixo da linha de pobreza.", "pt", "20", "1 em cada 5"),
        ("Dois em cada três brasileiros usam o SUS.", "pt", "66.67", "Dois em cada três"),
        ("2 de cada 3 migrantes trabajan sin papeles.", "es", "66.67", "2 de cada 3"),
        ("Uno de cada cuatro contratos dura una semana.", "es", "25", "Uno de cada cuatro"),
    ],
)
def test_a_ratio_is_read_as_a_percentage(sentence, language, share, text):
    (figure,) = parse_quantities(sentence, language)
    assert (figure.value, figure.unit, figure.kind, figure.text) == (
        Decimal(share),
        "%",
        "percentage",
        text,
    )


def test_an_approximate_ratio_says_so():
    (figure,) = parse_quantities("Nearly 1 in 4 contracts lasts a week.", "en")
    assert figure.approximate and figure.value == Decimal(25)


def test_figures_beside_a_ratio_are_still_read():
    ratio, money = parse_quantities("1 em cada 5 vive com 632 euros mensais.", "pt")
    assert (ratio.value, money.value, money.unit, money.period) == (
        Decimal(20),
        Decimal(632),
        "EUR",
        "month",
    )


def test_a_number_before_a_year_is_not_a_ratio():
    count, year = parse_quantities("Taxes rose 5 in 2020.", "en")
    assert (count.kind, year.kind) == ("count", "date")
