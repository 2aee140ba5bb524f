"""Quantity parsing: a table of sentences and the figures the parser must read from them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from claims.extraction.quantities import date_label, parse_quantities, words_to_number
from claims.models import Period, QuantityKind

MONEY, COUNT, PERCENT = QuantityKind.MONEY, QuantityKind.COUNT, QuantityKind.PERCENTAGE
DURATION, WEIGHT, DATE = QuantityKind.DURATION, QuantityKind.WEIGHT, QuantityKind.DATE
YEAR, MONTH, WEEK, DAY = Period.YEAR, Period.MONTH, Period.WEEK, Period.DAY


def figure(kind, value, unit, period="", approximate=False, high=None):
    return (
        kind,
        Decimal(str(value)),
        unit,
        period,
        approximate,
        None if high is None else Decimal(str(high)),
    )


# (sentence, the figures it states, in order)
CASES = [
    # Money, with a currency sign, a currency word or a code; scales in words or abbreviated.
    ("Aid runs to $3.8 billion a year.", [figure(MONEY, 3.8e9, "USD", YEAR)]),
    ("Aid runs to \\$3.8 billion a year.", [figure(MONEY, 3.8e9, "USD", YEAR)]),
    ("The grant was $250,000.", [figure(MONEY, 250000, "USD")]),
    ("She paid $1.14 for it.", [figure(MONEY, 1.14, "USD")]),
    ("The fund pays €5 million per month.", [figure(MONEY, 5e6, "EUR", MONTH)]),
    ("Tickets cost £20 a week.", [figure(MONEY, 20, "GBP", WEEK)]),
    ("Rent is ¥1,000 daily.", [figure(MONEY, 1000, "JPY", DAY)]),
    ("They paid 300 euros annually.", [figure(MONEY, 300, "EUR", YEAR)]),
    ("The city borrowed 10 million dollars.", [figure(MONEY, 1e7, "USD")]),
    ("The deal is worth £3bn.", [figure(MONEY, 3e9, "GBP")]),
    ("Exports reached 40 billion yuan.", [figure(MONEY, 4e10, "CNY")]),
    ("It cost US$5 million.", [figure(MONEY, 5e6, "USD")]),
    ("The bill came to 2 million USD.", [figure(MONEY, 2e6, "USD")]),
    ("Congress sent tens of billions of dollars.", [figure(MONEY, 1e10, "USD", approximate=True)]),
    ("It spent billions of dollars in aid.", [figure(MONEY, 1e9, "USD", approximate=True)]),
    ("They budgeted $3-5 billion.", [figure(MONEY, 3e9, "USD", high=5e9)]),
    # Counts: the head noun is the unit; written-out numbers.
    ("He mourned the loss of 1,400 people.", [figure(COUNT, 1400, "people")]),
    (
        "Strikes killed about 10,000 Palestinian civilians.",
        [figure(COUNT, 10000, "civilians", approximate=True)],
    ),
    (
        "They included roughly 4,000 children and teenagers.",
        [figure(COUNT, 4000, "children", approximate=True)],
    ),
    ("He served four tours in Iraq.", [figure(COUNT, 4, "tours")]),
    ("She bought a dozen eggs.", [figure(COUNT, 12, "eggs")]),
    ("There were twenty-five missiles.", [figure(COUNT, 25, "missiles")]),
    ("They sent a hundred tanks.", [figure(COUNT, 100, "tanks")]),
    ("Nearly two million people fled.", [figure(COUNT, 2e6, "people", approximate=True)]),
    ("The law created 17 new taxes.", [figure(COUNT, 17, "taxes")]),
    ("More than 300 officers were hurt.", [figure(COUNT, 300, "officers", approximate=True)]),
    ("Police counted 1,400 killed.", [figure(COUNT, 1400, "count")]),
    ("Between 35 and 50 new agencies opened.", [figure(COUNT, 35, "agencies", high=50)]),
    # Percentages, including negatives and ranges.
    ("The rate fell from 35 percent to 25%.", [figure(PERCENT, 35, "%"), figure(PERCENT, 25, "%")]),
    ("Between 3 and 5 percent of voters switched.", [figure(PERCENT, 3, "%", high=5)]),
    ("Growth was -0.5 percent last quarter.", [figure(PERCENT, -0.5, "%")]),
    ("Output shrank by −2.5% in the spring.", [figure(PERCENT, -2.5, "%")]),
    ("Support rose 4 percentage points.", [figure(PERCENT, 4, "pp")]),
    # Durations.
    ("After 20 months of war the lines held.", [figure(DURATION, 20, "months")]),
    ("Four weeks of terror followed.", [figure(DURATION, 4, "weeks")]),
    ("For 10 days the talks went on.", [figure(DURATION, 10, "days")]),
    ("It lasted over 3 to 4 years.", [figure(DURATION, 3, "years", approximate=True, high=4)]),
    ("It happened in a 30-day period.", [figure(DURATION, 30, "days")]),
    # Weights, including suspended hyphens ("1,000- and 2,000-pound").
    (
        "They dropped 1,000- and 2,000-pound bombs.",
        [figure(WEIGHT, 1000, "lb"), figure(WEIGHT, 2000, "lb")],
    ),
    ("The package weighs 500 kg.", [figure(WEIGHT, 500, "kg")]),
    ("The load was 1,100 lbs.", [figure(WEIGHT, 1100, "lb")]),
    # Dates, with and without a year, and bare years in context.
    ("He spoke about the Oct. 7 attacks.", [figure(DATE, 1007, "--MM-DD")]),
    ("It began on October 7, 2023.", [figure(DATE, 20231007, "YYYY-MM-DD")]),
    ("It was over by March 2024.", [figure(DATE, 202403, "YYYY-MM")]),
    ("In 1952, there were seven votes.", [figure(DATE, 1952, "YYYY"), figure(COUNT, 7, "votes")]),
    # Negatives in words; numbers that are names, not figures.
    ("It was minus 3 degrees.", [figure(COUNT, -3, "degrees")]),
    ("The F-16 jets flew on 9/11 in the 1990s.", []),
    ("One of them said no one knew.", []),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_quantity_parsing_reads_each_figure(sentence, expected):
    found = [
        (q.kind, q.value, q.unit, q.period, q.approximate, q.high)
        for q in parse_quantities(sentence)
    ]
    assert found == expected


def test_quantity_table_has_at_least_forty_cases():
    assert len(CASES) >= 40


def test_each_quantity_keeps_the_words_it_was_read_from_and_their_span():
    sentence = "Officials said about 10,000 people fled, costing $3.8 billion a year."
    quantities = parse_quantities(sentence)
    assert [q.text for q in quantities] == ["about 10,000 people", "$3.8 billion a year"]
    for quantity in quantities:
        assert sentence[quantity.start : quantity.end] == quantity.text


@pytest.mark.parametrize(
    ("words", "value"),
    [("four", 4), ("twenty-five", 25), ("ninety nine", 99), ("a", 1), ("eleven", 11)],
)
def test_written_out_numbers_are_read_as_integers(words, value):
    assert words_to_number(words) == value


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        ("The attacks of Oct. 7 shocked the region.", "--10-07"),
        ("On Oct. 7, 2023, the attacks began.", "2023-10-07"),
        ("The treaty was signed in March 1952.", "1952-03"),
    ],
)
def test_a_date_figure_is_written_out_in_its_pattern(sentence, label):
    (figure,) = [q for q in parse_quantities(sentence) if q.kind == QuantityKind.DATE]
    assert date_label(figure.value, figure.unit) == label
