"""What a figure measures: the unit and kind after a number (currency, percent, duration, weight,
the noun it counts, or a year) and the period of a rate; :mod:`.quantities` asks."""

from __future__ import annotations

import re
from decimal import Decimal

from claims.extraction.lexicon import (
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    DURATION_UNITS,
    NOT_UNITS,
    OTHER_UNITS,
    PERIOD_WORDS,
    WEIGHT_UNITS,
)
from claims.models import Period, QuantityKind

YEAR_CONTEXT = re.compile(
    r"\b(?:in|since|by|of|from|until|till|before|after|during|early|late|mid|the|year|summer|"
    r"winter|spring|autumn|fall)\s*$",
    re.IGNORECASE,
)
# A rate written without "per": "daily", "a year".
_RATE_WORDS = {"daily": Period.DAY, "weekly": Period.WEEK, "monthly": Period.MONTH} | dict.fromkeys(
    ("annually", "yearly", "a year", "per annum"), Period.YEAR
)
WORD_AFTER = re.compile(r"[\s-]*(?P<word>[A-Za-z][A-Za-z'’.]*)")


def currency_symbol(symbol: str | None) -> str:
    if not symbol:
        return ""
    return CURRENCY_SYMBOLS.get(symbol.replace("\\", "").lower(), "")


def period_of(word: str) -> str:
    word = re.sub(r"\s+", " ", word)
    return PERIOD_WORDS[word] if word in PERIOD_WORDS else _RATE_WORDS[word]


def _singular(word: str) -> str:
    word = word.lower().rstrip(".")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and word not in ("lbs",):
        return word[:-1]
    return "lb" if word == "lbs" else word


def unit_after(
    sentence: str, end: int, currency: str, *, allow_of: bool = False
) -> tuple[str | None, str, int]:
    """What the figure ending at ``end`` measures: (kind, unit, end of the unit's words).

    ``allow_of`` lets "billions of dollars" and "tens of thousands of people" reach their unit.
    """
    if currency:
        # "$5 million dollars" is still USD; skip a redundant currency word.
        redundant = re.match(r"\s+(?:us\s+)?dollars?\b", sentence[end:], re.IGNORECASE)
        return QuantityKind.MONEY, currency, end + (redundant.end() if redundant else 0)
    percent = re.match(
        r"\s?(?:(?P<pp>percentage[\s-]points?)\b|%|per\s?cent\b|percent\b)", sentence[end:], re.I
    )
    if percent:
        return QuantityKind.PERCENTAGE, "pp" if percent.group("pp") else "%", end + percent.end()
    if allow_of:
        of = re.match(r"\s+of\b", sentence[end:])
        end += of.end() if of else 0
    word_match = WORD_AFTER.match(sentence, end)
    if word_match is None:
        return None, "", end
    word = word_match.group("word")
    lower = word.lower().rstrip(".")
    rest = sentence[word_match.end() :]
    if lower in ("us", "u.s") and re.match(r"\s+dollars?\b", rest, re.I):
        return (
            QuantityKind.MONEY,
            "USD",
            word_match.end() + re.match(r"\s+dollars?\b", rest, re.I).end(),
        )
    if lower in CURRENCY_WORDS:
        return QuantityKind.MONEY, CURRENCY_WORDS[lower], word_match.end()
    if lower in ("pounds", "pound") and re.match(r"\s+sterling\b", rest):
        return QuantityKind.MONEY, "GBP", word_match.end() + len(" sterling")
    singular = _singular(word)
    for kind, table in (
        (QuantityKind.DURATION, DURATION_UNITS),
        (QuantityKind.WEIGHT, WEIGHT_UNITS),
        (QuantityKind.OTHER, OTHER_UNITS),
    ):
        if singular in table:
            return kind, table[singular], word_match.end()
    return _counted_noun(sentence, word_match)


def _counted_noun(sentence: str, first: re.Match[str]) -> tuple[str | None, str, int]:
    """The head noun of the words after a bare figure: "10,000 Palestinian civilians" counts
    civilians, "37 terrorist acts in 20 countries" counts acts, "1,400 killed" names nothing."""
    words: list[tuple[str, int]] = []
    match, taken = first, 0
    while match is not None and taken < 3:
        word = match.group("word")
        lower = word.lower().rstrip(".’'")
        if lower in NOT_UNITS:
            break
        if word[0].isupper():
            # A proper adjective ("Palestinian") may open the phrase; a name ends it.
            if taken:
                break
        elif lower.endswith(("ed", "ing")):
            break
        else:
            words.append((lower, match.end()))
        taken += 1
        if sentence[match.end() : match.end() + 1] in ",;:.":
            break
        match = re.compile(r" (?P<word>[A-Za-z][A-Za-z'’]*)").match(sentence, match.end())
    if not words:
        return None, "", first.start()
    # Counted things are plural: the first plural word is the head ("a dozen eggs cost").
    head, head_end = next((w for w in words if w[0].endswith("s")), words[0])
    return QuantityKind.COUNT, head, head_end


def bare_number_kind(sentence: str, match: re.Match[str], value: Decimal) -> tuple[str | None, str]:
    """A number with no unit after it: a year ("in 1952"), a count ("killed 1,400."), or
    nothing worth reading (a lone "one" or "two")."""
    digits = match.group("digits")
    year_like = digits and re.fullmatch(r"1[5-9]\d\d|20\d\d", digits) and not match.group("scale")
    last_word = not sentence[match.end() :].strip(" .,;:)”’\"'")
    if year_like and (YEAR_CONTEXT.search(sentence[: match.start()]) or last_word):
        return QuantityKind.DATE, "YYYY"
    if digits or match.group("scale") or match.group("vague") or match.group("dozen"):
        return QuantityKind.COUNT, "count"
    return None, ""
