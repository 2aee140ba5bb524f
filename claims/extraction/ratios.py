"""Ratios written as "one in five", "2 out of 3", "1 em cada 5", "dos de cada tres": a share,
read as the percentage it states (20 %, 66.67 %), so it compares with "20%" elsewhere."""

from __future__ import annotations

import re
from decimal import Decimal

from claims.models import QuantityKind

# The small numbers a ratio is written with in words, in English, Portuguese and Spanish.
_WORDS = {
    word: number
    for number, names in enumerate(
        [
            ("one", "um", "uma", "uno", "una", "un"),
            ("two", "dois", "duas", "dos"),
            ("three", "três", "tres"),
            ("four", "quatro", "cuatro"),
            ("five", "cinco"),
            ("six", "seis"),
            ("seven", "sete", "siete"),
            ("eight", "oito", "ocho"),
            ("nine", "nove", "nueve"),
            ("ten", "dez", "diez"),
        ],
        start=1,
    )
    for word in names
}
_TERM = r"\d{1,4}|" + "|".join(sorted(_WORDS, key=len, reverse=True))
RATIO = re.compile(
    rf"(?<![\w.,])(?P<part>{_TERM})\s+(?:in|out\s+of|em\s+cada|de\s+cada|en\s+cada|a\s+cada)\s+"
    rf"(?P<whole>{_TERM})(?![\w.,]\d|\w)",
    re.IGNORECASE,
)

# Before a ratio: it is approximate ("nearly one in four", "cerca de 1 em cada 5").
_APPROXIMATE = re.compile(
    r"(?:nearly|almost|about|around|roughly|more\s+than|less\s+than|over|cerca\s+de|quase|"
    r"mais\s+de|menos\s+de|casi|más\s+de|alrededor\s+de|unos?|unas?)\s+$",
    re.IGNORECASE,
)


def _number(term: str) -> int:
    return int(term) if term.isdigit() else _WORDS[term.lower()]


def ratio_quantities(sentence: str) -> list:
    """Each ratio in ``sentence`` as a percentage (a :class:`ParsedQuantity`), in order."""
    from claims.extraction.quantities import ParsedQuantity  # that module imports this one

    found = []
    for match in RATIO.finditer(sentence):
        part, whole = _number(match.group("part")), _number(match.group("whole"))
        if not 0 < part < whole <= 1000:
            continue  # "5 in 2020" is a year, "3 in 2" no share
        share = (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.01"))
        share = share.quantize(Decimal(1)) if share == share.to_integral() else share.normalize()
        found.append(
            ParsedQuantity(
                value=share,
                unit="%",
                kind=QuantityKind.PERCENTAGE,
                approximate=_APPROXIMATE.search(sentence, 0, match.start()) is not None,
                text=match.group(0),
                start=match.start(),
                end=match.end(),
            )
        )
    return found
