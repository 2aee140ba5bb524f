"""Other fact-checkers' verdicts read onto the desk's scale: words first, then numbers."""

from __future__ import annotations

import pytest

from claims.claimreview.ratings import (
    LIAR_LABELS,
    rating_from_scale,
    rating_from_text,
    read_rating,
)
from claims.models import Rating


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("False", Rating.FALSE),
        ("FALSE.", Rating.FALSE),
        ("Mostly False", Rating.MOSTLY_FALSE),
        ("Half True", Rating.MIXED),
        ("Half-True", Rating.MIXED),
        ("Pants on Fire!", Rating.FALSE),
        ("Misleading", Rating.MOSTLY_FALSE),
        ("Unproven", Rating.UNVERIFIABLE),
        ("Correct", Rating.TRUE),
        ("Mostly true", Rating.MOSTLY_TRUE),
        ("Falso", Rating.FALSE),
        ("Engañoso", Rating.MOSTLY_FALSE),
        ("ENGANOSO", Rating.MOSTLY_FALSE),
        ("Verdad a medias", Rating.MIXED),
        ("Faux", Rating.FALSE),
        ("Irreführend", Rating.MOSTLY_FALSE),
        ("False. The photo was taken in 2015.", Rating.FALSE),
        ("Missing context: the figure is from 2019", Rating.MOSTLY_FALSE),
    ],
)
def test_known_verdict_words_map_to_the_desks_rating(words, expected):
    assert rating_from_text(words) == expected


@pytest.mark.parametrize(
    "words", ["", "Sort of", "Fact check", "Reker hat diesen Satz nie gesagt.", "Satire"]
)
def test_unknown_words_are_not_guessed(words):
    assert rating_from_text(words) is None


@pytest.mark.parametrize(
    ("value", "best", "worst", "expected"),
    [
        ("1", "5", "1", Rating.FALSE),
        (5, 5, 1, Rating.TRUE),
        ("3", None, None, Rating.MIXED),  # schema.org's defaults: 1 to 5
        ("0", "4", "0", Rating.FALSE),  # worstRating 0
        ("4", "4", "0", Rating.TRUE),
        ("2", "4", "0", Rating.MIXED),
        ("3,0", "5", "1", Rating.MIXED),  # a decimal comma
        (7, 10, 1, Rating.MOSTLY_TRUE),
        (6, 5, 1, None),  # outside its own scale
        (1, 1, 5, None),  # bounds the wrong way round
        ("high", 5, 1, None),
        (None, 5, 1, None),
        (True, 5, 1, None),
    ],
)
def test_a_numeric_verdict_is_placed_on_the_one_to_five_scale(value, best, worst, expected):
    assert rating_from_scale(value, best, worst) == expected


def test_the_words_win_over_numbers_on_a_reversed_scale():
    # Some publishers number their worst verdict highest; the words say what they meant.
    read = read_rating("Four Pinocchios", value="5", best="6", worst="1")
    assert read.rating == Rating.FALSE and read.known
    assert (read.value, read.best, read.worst) == (5, 6, 1)


def test_numbers_decide_when_the_words_are_unknown():
    read = read_rating("Ni blanco ni negro", value="2", best="5", worst="1")
    assert read.rating == Rating.MOSTLY_FALSE
    assert read.text == "Ni blanco ni negro"


def test_an_unreadable_verdict_is_unverifiable_with_the_words_kept():
    read = read_rating("Sort of")
    assert read.rating == Rating.UNVERIFIABLE and not read.known
    assert read.text == "Sort of"


def test_liar_labels_cover_the_six_truth_o_meter_ratings():
    assert LIAR_LABELS == {
        "pants-fire": Rating.FALSE,
        "false": Rating.FALSE,
        "barely-true": Rating.MOSTLY_FALSE,
        "half-true": Rating.MIXED,
        "mostly-true": Rating.MOSTLY_TRUE,
        "true": Rating.TRUE,
    }
