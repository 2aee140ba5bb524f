"""Verdict words in the languages of the pages the importer reads map onto the desk's scale."""

import pytest

from claims.claimreview.ratings import rating_from_text
from claims.models import Rating


@pytest.mark.parametrize(
    ("words", "rating"),
    [
        ("زائف", Rating.FALSE),  # Jordan
        ("مضلل", Rating.MOSTLY_FALSE),
        ("صحيح جزئياً", Rating.MIXED),
        ("really_false", Rating.FALSE),
        ("錯誤", Rating.FALSE),  # Taiwan
        ("部分錯誤", Rating.MIXED),
        ("易生誤解", Rating.MOSTLY_FALSE),
        ("फ़र्ज़ी", Rating.FALSE),  # India
        ("भ्रामक", Rating.MOSTLY_FALSE),
        ("Faux", Rating.FALSE),
        ("Falsch", Rating.FALSE),
    ],
)
def test_verdict_words_outside_english_portuguese_spanish_are_read(words, rating):
    assert rating_from_text(words) == rating
