"""Figures stated in a sentence, parsed into value, unit, kind, period and approximation.

"$3.8 billion a year" is 3.8e9 USD per year, "about 10,000 civilians" approximate, "between 3
and 5 percent" a range, each with its span in the sentence; :mod:`.units` reads what a number
measures. A date's value is its digits in its unit's pattern: ``20231007`` "YYYY-MM-DD",
``1007`` "--MM-DD", ``1952`` "YYYY"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from claims.extraction.language import extraction_language
from claims.extraction.lexicon import MONTHS, SCALES, TENS_WORDS, UNITS_WORDS, VAGUE_MULTIPLES
from claims.extraction.units import bare_number_kind, currency_symbol, period_of, unit_after
from claims.models import QuantityKind

_NUMBER_WORD = "|".join(sorted([*UNITS_WORDS, *TENS_WORDS], key=len, reverse=True))
_WORDS = rf"(?:{_NUMBER_WORD})(?:[- ](?:{_NUMBER_WORD}))?"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?(?![\d,]\d)|\.\d+"
_SCALE = r"(?:\s*(?:hundred|thousand|million|billion|trillion)\b|(?:k|m|mn|bn|b|tn)\b)"
NUMBER = re.compile(
    rf"(?P<sign>(?<![\w.,])[-−–](?=\d)|\bminus\s+)?"
    rf"(?:(?P<cur>(?:US|R)?\\?\$|[€£¥₹₽₪₴])\s?)?"
    rf"(?:(?P<digits>{_DIGITS})|(?P<words>\b(?:{_WORDS}|a|an)\b(?=\s+(?:hundred|thousand|million|"
    rf"billion|trillion)\b)|\b{_WORDS}\b)|(?P<dozen>\b(?:a|one|half a)\s+dozen\b)"
    rf"|(?P<vague>\b(?:{'|'.join(VAGUE_MULTIPLES)})\s+of\b(?:\s+(?:hundreds|thousands|millions|"
    rf"billions|trillions)\b)?))"
    rf"(?P<scale>(?:\s+(?:hundred|thousand|million|billion|trillion)\b)+|{_SCALE})?",
    re.IGNORECASE,
)
APPROXIMATE = re.compile(
    r"\b(?:about|around|roughly|nearly|almost|approximately|some|close\s+to|more\s+than|"
    r"less\s+than|fewer\s+than|over|under|at\s+least|at\s+most|up\s+to|upwards\s+of|as\s+many\s+as|"
    r"as\s+much\s+as|an\s+estimated|estimated|approx\.?|~)\s*$",
    re.IGNORECASE,
)
RANGE_JOIN = re.compile(r"\s*(?:to|and|or|[-–—])\s*", re.IGNORECASE)
RATE = re.compile(
    r"\s*(?:(?:a|an|per|each|every)\s+(?P<per>day|week|month|year)\b|(?P<adv>daily|weekly|"
    r"monthly|annually|yearly|a\s+year|per\s+annum))",
    re.IGNORECASE,
)
DATE = re.compile(
    rf"\b(?P<month>{'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?\s+"
    rf"(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}})\b)?|(?P<only_year>\d{{4}})\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ParsedQuantity:
    """One figure: ``value`` (and ``high`` for a range) in ``unit``, where it was written."""

    value: Decimal
    unit: str
    kind: str = QuantityKind.COUNT
    period: str = ""
    approximate: bool = False
    text: str = ""
    start: int = 0
    end: int = 0
    high: Decimal | None = None

    def key(self) -> tuple[str, str, str]:
        """What two figures must share to be comparable: kind, unit and period."""
        return (self.kind, self.unit.lower(), self.period)


def parse_quantities(sentence: str, language: str = "en") -> list[ParsedQuantity]:
    """Every figure in ``sentence``, in order, by the rules of ``language`` (pt and es by
    :mod:`.quantities_ibero`): dates with a month name first, so their day and year are not
    counts, then each number with its currency, percent, unit, rate, approximation and range."""
    if extraction_language(language) in ("pt", "es"):
        # Imported here: that module builds on this one's ParsedQuantity.
        from claims.extraction.quantities_ibero import parse_quantities_ibero

        return parse_quantities_ibero(sentence)
    found: list[ParsedQuantity] = []
    taken: list[tuple[int, int]] = []
    for match in DATE.finditer(sentence):
        found.append(_date_from(match))
        taken.append(match.span())
    position = 0
    while True:
        match = NUMBER.search(sentence, position)
        if match is None:
            break
        position = match.end() if match.end() > match.start() else match.start() + 1
        if any(s <= match.start() < e for s, e in taken) or _inside_word(sentence, match):
            continue
        quantity, end = _read_figure(sentence, match)
        if quantity is None:
            continue
        position = max(position, end)
        found.extend(quantity)
    return sorted(found, key=lambda q: (q.start, q.value))


def _inside_word(sentence: str, match: re.Match[str]) -> bool:
    # "F-16", "COVID-19", "9/11", "G7": digits glued to letters or slashes are names, not figures.
    start = match.start("digits") if match.group("digits") else match.start()
    before = sentence[start - 1] if start > 0 else " "
    bare = match.group("digits") and match.group("sign") is None and match.group("cur") is None
    if bare and (before.isalpha() or before in "/-"):
        return True
    after = sentence[match.end() : match.end() + 1]
    # "1990s", "21st", "10am": letters glued after the digits make an ordinal or a name.
    glued = after.isalpha() and not match.group("scale")
    return bool(match.group("digits")) and (after == "/" or glued)


def _number_value(match: re.Match[str]) -> tuple[Decimal, bool] | None:
    """The number's value, and whether it is vague ("tens of")."""
    vague = False
    if match.group("digits"):
        value = Decimal(match.group("digits").replace(",", ""))
    elif match.group("dozen"):
        value = Decimal(6 if match.group("dozen").lower().startswith("half") else 12)
    elif match.group("vague"):
        words = match.group("vague").lower().split()
        value = Decimal(VAGUE_MULTIPLES[words[0]])
        if len(words) == 3:
            value *= VAGUE_MULTIPLES[words[2]]
        vague = True
    else:
        parsed = words_to_number(match.group("words"))
        if parsed is None:
            return None
        value = Decimal(parsed)
    for scale in re.findall(r"[a-z]+", (match.group("scale") or "").lower()):
        value *= SCALES[scale]
    if match.group("sign"):
        value = -value
    return value, vague


def words_to_number(text: str) -> int | None:
    """ "twenty-five" → 25, "four" → 4, "a" → 1 (before a scale word)."""
    total = 0
    for word in re.split(r"[\s-]+", text.lower().strip()):
        if word in ("a", "an"):
            total += 1
        elif word in UNITS_WORDS:
            total += UNITS_WORDS[word]
        elif word in TENS_WORDS:
            total += TENS_WORDS[word]
        else:
            return None
    return total


def _read_figure(sentence: str, match: re.Match[str]) -> tuple[list[ParsedQuantity] | None, int]:
    parsed = _number_value(match)
    if parsed is None:
        return None, match.end()
    value, vague = parsed
    start, end = match.start(), match.end()
    currency = currency_symbol(match.group("cur"))
    approx_match = APPROXIMATE.search(sentence[max(0, start - 25) : start])
    approximate = vague or approx_match is not None
    text_start = start - (len(approx_match.group(0)) if approx_match else 0)

    # A range: "between 3 and 5", "3 to 5 percent", "$3-5 billion", "1,000- and 2,000-pound".
    high: Decimal | None = None
    join = RANGE_JOIN.match(sentence, end)
    second = NUMBER.match(sentence, join.end()) if join else None
    between = re.search(r"\bbetween\s*$", sentence[max(0, start - 10) : start], re.IGNORECASE)
    joiner = join.group(0).strip().lower() if join else ""
    if second and second.group("vague") is None and (joiner != "and" or between):
        second_value = _number_value(second)
        if second_value is not None and (joiner != "or" or match.group("digits")):
            high = second_value[0]
            if not match.group("scale") and second.group("scale"):
                # "$3-5 billion": the scale written once applies to both ends.
                for scale in re.findall(r"[a-z]+", second.group("scale").lower()):
                    value *= SCALES[scale]
            currency = currency or currency_symbol(second.group("cur"))
            end = second.end()

    suspended = re.match(r"-\s*(?:and|or|to)\s+(?=[\d$])", sentence[end:])
    vague_or_scaled = vague or bool(match.group("scale"))
    kind, unit, after = unit_after(sentence, end, currency, allow_of=vague_or_scaled)
    if kind is None and suspended:
        # "1,000- and 2,000-pound bombs": the unit comes after the second figure.
        nxt = NUMBER.search(sentence, end + suspended.end())
        if nxt is not None:
            kind, unit, _ = unit_after(sentence, nxt.end(), currency)
    if kind == QuantityKind.COUNT and match.group("words") and value == 1:
        # "no one knew", "one of them": "one" counts something only with a unit ("one year").
        return None, match.end()
    if kind is None:
        kind, unit = bare_number_kind(sentence, match, value)
        if kind is None:
            return None, match.end()
        after = end

    period = ""
    rate = RATE.match(sentence, after)
    if rate and kind not in (QuantityKind.DURATION, QuantityKind.DATE):
        word = (rate.group("per") or rate.group("adv")).lower()
        period = period_of(word)
        after = rate.end()
    between = re.search(r"\bbetween\s*$", sentence[max(0, text_start - 10) : text_start], re.I)
    if between and high is not None:
        text_start -= len(between.group(0))
    quantity = written_figure(
        sentence,
        text_start,
        after,
        value=value,
        high=high,
        unit=unit,
        kind=kind,
        period=period,
        approximate=approximate,
    )
    return [quantity], max(end, match.end())


def written_figure(
    sentence: str,
    start: int,
    end: int,
    *,
    value: Decimal,
    high: Decimal | None,
    unit: str,
    kind: str,
    period: str,
    approximate: bool,
) -> ParsedQuantity:
    """The figure read from ``sentence[start:end]``: its text without the white space and
    punctuation around it, its values normalised (the English and the Portuguese and Spanish
    parsers both end here)."""
    text = sentence[start:end].strip().rstrip(".,;:")
    return ParsedQuantity(
        value=_normal(value),
        unit=unit,
        kind=kind,
        period=period,
        approximate=approximate,
        text=text,
        start=start,
        end=start + len(text),
        high=_normal(high) if high is not None else None,
    )


def date_quantity(
    match: re.Match[str], *, month: int, day: int | None = None, year: int | None = None
) -> ParsedQuantity:
    """A date figure for ``match``: "YYYY-MM-DD" with a day and a year, "--MM-DD" with a day
    only, "YYYY-MM" with a year only (the value the unit's digits, ``20231007``)."""
    if day and year:
        value, unit = Decimal(year * 10000 + month * 100 + day), "YYYY-MM-DD"
    elif day:
        value, unit = Decimal(month * 100 + day), "--MM-DD"
    else:
        value, unit = Decimal((year or 0) * 100 + month), "YYYY-MM"
    return ParsedQuantity(
        value=value,
        unit=unit,
        kind=QuantityKind.DATE,
        text=match.group(0),
        start=match.start(),
        end=match.end(),
    )


def _date_from(match: re.Match[str]) -> ParsedQuantity:
    month = MONTHS[match.group("month").lower()]
    if match.group("only_year"):
        return date_quantity(match, month=month, year=int(match.group("only_year")))
    year = match.group("year")
    return date_quantity(
        match, month=month, day=int(match.group("day")), year=int(year) if year else None
    )


def date_label(value: Decimal, unit: str) -> str:
    """A date figure written out in its unit's pattern: ``1007`` "--MM-DD" is "--10-07",
    ``20231007`` "YYYY-MM-DD" is "2023-10-07"."""
    places = sum(character in "YMD" for character in unit)
    digits = iter(f"{int(value):0{places}d}")
    return "".join(next(digits) if character in "YMD" else character for character in unit)


def _normal(value: Decimal) -> Decimal:
    try:
        normal = value.normalize()
    except InvalidOperation:
        return value
    # normalize() writes 1400 as 1.4E+3; quantize back to a plain integer where it is one.
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal
