"""Figures stated in Portuguese or Spanish, read into the same :class:`ParsedQuantity`.

"R$ 3,8 bilhões" is 3.8e9 BRL, "1.400 mortos" 1,400 mortos, "7 de outubro de 2023" the date
2023-10-07: the comma is the decimal mark, the full stop the thousands mark, and the words come
from :mod:`.lexicon_ibero`. Numbers written in words ("três mil") are not read."""

from __future__ import annotations

import re
from decimal import Decimal

from claims.extraction import lexicon_ibero as lex
from claims.extraction.quantities import ParsedQuantity, date_quantity, written_figure
from claims.models import QuantityKind

_W = r"[^\W\d_]"  # a letter, accented ones included
_SCALE = "|".join(re.escape(s) for s in sorted(lex.SCALES, key=len, reverse=True))
_CURRENCY = r"R\$|US\$|U\$S|\$|€|£"
_DIGITS = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d.]\d)|\d+(?:,\d+)?(?![\d.,]\d)"
NUMBER = re.compile(
    rf"(?P<sign>(?<![\w.,])[-−–](?=\d))?(?:(?P<cur>{_CURRENCY})\s?)?(?<![\w.,])(?P<digits>{_DIGITS})"
    rf"(?P<scale>\s*(?:{_SCALE})(?!{_W}))?",
    re.IGNORECASE,
)
_MONTH = "|".join(sorted(lex.MONTHS, key=len, reverse=True))
DATE = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}})(?:º|°)?\s+de\s+)?(?P<month>{_MONTH})\.?(?:\s+(?:de|del)\s+"
    rf"(?P<year>\d{{4}}))?(?!{_W})|\b(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>\d{{4}})\b",
    re.IGNORECASE,
)
APPROXIMATE = re.compile(rf"(?<!{_W})(?:{lex.APPROXIMATE})\s*$", re.IGNORECASE)
YEAR_BEFORE = re.compile(rf"(?<!{_W})(?:{lex.YEAR_BEFORE})\s*$", re.IGNORECASE)
PERCENT = re.compile(
    r"\s?(?:(?P<pp>pontos?\s+percentua(?:l|is)|puntos?\s+porcentuales?)|%|por\s+cien?to)(?!\w)",
    re.IGNORECASE,
)
WORD = re.compile(rf"\s+(?P<word>{_W}[\w'’.-]*)")
PERIOD = re.compile(
    r"\s*(?P<p>" + "|".join(re.escape(p) for p in lex.PERIODS) + r")\b", re.IGNORECASE
)
RANGE = re.compile(r"\s*(?:-|–|a|e|y|até|hasta)\s+|\s*[-–]\s*", re.IGNORECASE)


def parse_quantities_ibero(sentence: str) -> list[ParsedQuantity]:
    """Every figure in a Portuguese or Spanish ``sentence``, in order: dates first (a month
    name, or d/m/yyyy), then each number with its currency, scale ("mil milhões"), unit or
    counted noun, rate ("por ano"), approximation ("cerca de") and range ("entre 3 e 5")."""
    found: list[ParsedQuantity] = []
    taken: list[tuple[int, int]] = []
    for match in DATE.finditer(sentence):
        quantity = _date(match)
        if quantity is not None:
            found.append(quantity)
            taken.append(match.span())
    position = 0
    while (match := NUMBER.search(sentence, position)) is not None:
        position = match.end()
        if any(s <= match.start("digits") < e for s, e in taken) or _glued(sentence, match):
            continue
        quantity, position = _figure(sentence, match)
        if quantity is not None:
            found.append(quantity)
    return sorted(found, key=lambda q: (q.start, q.value))


def _glued(sentence: str, match: re.Match[str]) -> bool:
    # "Covid-19", "G20", "10h": digits glued to letters are names or times, not figures.
    before = sentence[match.start() - 1] if match.start() > 0 else " "
    after = sentence[match.end() : match.end() + 1]
    glued_before = not match.group("cur") and (before.isalpha() or before in "/-")
    return glued_before or (after.isalpha() and not match.group("scale")) or after == "/"


def _value(match: re.Match[str]) -> Decimal:
    value = Decimal(match.group("digits").replace(".", "").replace(",", "."))
    scale = " ".join((match.group("scale") or "").lower().split())
    if scale:
        value *= lex.SCALES[scale]
    return -value if match.group("sign") else value


def _figure(sentence: str, match: re.Match[str]) -> tuple[ParsedQuantity | None, int]:
    value = _value(match)
    start, end = match.start(), match.end()
    currency = lex.CURRENCY_SYMBOLS.get((match.group("cur") or "").lower(), "")
    before = sentence[max(0, start - 30) : start]
    approx = APPROXIMATE.search(before)
    text_start = start - (len(approx.group(0)) if approx else 0)

    high: Decimal | None = None
    join = RANGE.match(sentence, end)
    second = NUMBER.match(sentence, join.end()) if join else None
    opener = re.search(r"(?<!\w)(?:entre|de|desde)\s*$", before, re.IGNORECASE)
    word = join.group(0).strip().lower() if join else ""
    if second and (word in ("-", "–") or (opener and word in ("a", "e", "y", "até", "hasta"))):
        high = _value(second)
        if not match.group("scale") and second.group("scale"):
            value *= lex.SCALES[" ".join(second.group("scale").lower().split())]
        currency = currency or lex.CURRENCY_SYMBOLS.get((second.group("cur") or "").lower(), "")
        end = second.end()
        if opener:
            text_start = min(text_start, start - len(opener.group(0)))

    kind, unit, after = _unit(sentence, end, currency, scaled=bool(match.group("scale")))
    if kind is None:
        digits = match.group("digits")
        year = re.fullmatch(r"1[5-9]\d\d|20\d\d", digits) and not match.group("scale")
        last = not sentence[end:].strip(" .,;:)”’\"'»")
        if year and (YEAR_BEFORE.search(sentence[:start]) or last):
            kind, unit = QuantityKind.DATE, "YYYY"
        else:
            kind, unit = QuantityKind.COUNT, "count"
        after = end
    period = ""
    rate = PERIOD.match(sentence, after)
    if rate and kind not in (QuantityKind.DATE, QuantityKind.DURATION):
        period = lex.PERIODS[" ".join(rate.group("p").lower().split())]
        after = rate.end()
    quantity = written_figure(
        sentence,
        text_start,
        after,
        value=value,
        high=high,
        unit=unit,
        kind=kind,
        period=period,
        approximate=(bool(approx) and kind != QuantityKind.DATE) or high is not None,
    )
    return quantity, max(end, match.end())


def _unit(sentence: str, end: int, currency: str, *, scaled: bool) -> tuple[str | None, str, int]:
    """What the figure ending at ``end`` measures: (kind, unit, end of the unit's words)."""
    # "3,8 mil millones de dólares", "2 milhões de pessoas": "de" links a scale to its unit.
    of = re.match(r"\s+(?:de|del)(?=\s)", sentence[end:], re.IGNORECASE) if scaled else None
    linked = end + (of.end() if of else 0)
    word = WORD.match(sentence, linked)
    lower = word.group("word").lower().rstrip(".") if word else ""
    if currency:
        redundant = lower in lex.CURRENCY_WORDS
        return QuantityKind.MONEY, currency, word.end() if redundant else end
    percent = PERCENT.match(sentence, end)
    if percent:
        return QuantityKind.PERCENTAGE, "pp" if percent.group("pp") else "%", percent.end()
    if word is None:
        return None, "", end
    if lower in lex.CURRENCY_WORDS:
        return QuantityKind.MONEY, lex.CURRENCY_WORDS[lower], word.end()
    for kind, table in (
        (QuantityKind.DURATION, lex.DURATION_UNITS),
        (QuantityKind.WEIGHT, lex.WEIGHT_UNITS),
        (QuantityKind.OTHER, lex.OTHER_UNITS),
    ):
        if lower in table:
            return kind, table[lower], word.end()
    if lower in lex.NOT_UNITS or word.group("word")[0].isupper():
        return None, "", end
    # A counted noun: "1.400 mortos", "2 milhões de pessoas", "300 hospitais".
    return QuantityKind.COUNT, lower, word.end()


def _date(match: re.Match[str]) -> ParsedQuantity | None:
    if match.group("d"):
        day, month, year = int(match.group("d")), int(match.group("m")), match.group("y")
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return None
    else:
        month_word = match.group("month").lower()
        day_text, year = match.group("day"), match.group("year")
        # A bare short form ("mar", "set", "out") is a month only with a day or a year.
        if len(month_word) <= 4 and not (day_text or year):
            return None
        month, day = lex.MONTHS[month_word], int(day_text) if day_text else 0
    if not (day or year):
        return None  # a month name alone ("em março") is not a figure to check
    return date_quantity(match, month=month, day=day, year=int(year) if year else None)
