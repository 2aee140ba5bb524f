"""Figures stated in a sentence, parsed into value, unit, kind, period and approximation.

"$3.8 billion a year" is 3.8e9 USD per year; "about 10,000 civilians" is 10,000 civilians,
approximate; "between 3 and 5 percent" is a range; "1,000- and 2,000-pound bombs" are two
weights. The parser reads one sentence at a time and returns the figures in order, each with
its span in the sentence, so a reviewer can see exactly what was read.

Dates are figures too (a checker verifies "Oct. 7" like any number); their value encodes the
date in the digits of its unit's pattern: ``1952`` "YYYY", ``20231007`` "YYYY-MM-DD",
``1007`` "--MM-DD" (month and day, no year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from claims.extraction.lexicon import (
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    DURATION_UNITS,
    MONTHS,
    NOT_UNITS,
    OTHER_UNITS,
    PERIOD_WORDS,
    SCALES,
    TENS_WORDS,
    UNITS_WORDS,
    VAGUE_MULTIPLES,
    WEIGHT_UNITS,
)
from claims.models import Period, QuantityKind

_NUMBER_WORD = "|".join(sorted([*UNITS_WORDS, *TENS_WORDS], key=len, reverse=True))
_WORDS = rf"(?:{_NUMBER_WORD})(?:[- ](?:{_NUMBER_WORD}))?"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?(?![\d,]\d)|\.\d+"
_SCALE = r"(?:\s*(?:hundred|thousand|million|billion|trillion)\b|(?:k|m|mn|bn|b|tn)\b)"
NUMBER = re.compile(
    rf"(?P<sign>(?<![\w.,])[-−–](?=\d)|\bminus\s+)?"
    rf"(?:(?P<cur>(?:US)?\\?\$|[€£¥₹₽₪₴])\s?)?"
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
YEAR_CONTEXT = re.compile(
    r"\b(?:in|since|by|of|from|until|till|before|after|during|early|late|mid|the|year|summer|"
    r"winter|spring|autumn|fall)\s*$",
    re.IGNORECASE,
)
DATE = re.compile(
    rf"\b(?P<month>{'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?\s+"
    rf"(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{{4}})\b)?|(?P<only_year>\d{{4}})\b)",
    re.IGNORECASE,
)
WORD_AFTER = re.compile(r"[\s-]*(?P<word>[A-Za-z][A-Za-z'’.]*)")


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


def parse_quantities(sentence: str) -> list[ParsedQuantity]:
    """Every figure in ``sentence``, in order of appearance.

    1. Dates written with a month name ("Oct. 7", "October 7, 2023") are read first, so their
       day and year are not read again as counts.
    2. Each remaining number (digits or words, with any scale such as "billion") is read with
       what surrounds it: a currency sign or word, a percent, a unit, a rate ("a year"), an
       approximation before it ("about"), a second number making a range.
    """
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
    currency = _currency_symbol(match.group("cur"))
    approximate = vague or bool(APPROXIMATE.search(sentence[max(0, start - 25) : start]))
    approx_match = APPROXIMATE.search(sentence[max(0, start - 25) : start])
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
            currency = currency or _currency_symbol(second.group("cur"))
            end = second.end()

    suspended = re.match(r"-\s*(?:and|or|to)\s+(?=[\d$])", sentence[end:])
    vague_or_scaled = vague or bool(match.group("scale"))
    kind, unit, after = _unit_after(sentence, end, currency, allow_of=vague_or_scaled)
    if kind is None and suspended:
        # "1,000- and 2,000-pound bombs": the unit comes after the second figure.
        nxt = NUMBER.search(sentence, end + suspended.end())
        if nxt is not None:
            kind, unit, _ = _unit_after(sentence, nxt.end(), currency)
    if kind == QuantityKind.COUNT and match.group("words") and value == 1:
        # "no one knew", "one of them": "one" counts something only with a unit ("one year").
        return None, match.end()
    if kind is None:
        kind, unit = _bare_number_kind(sentence, match, value)
        if kind is None:
            return None, match.end()
        after = end

    period = ""
    rate = RATE.match(sentence, after)
    if rate and kind not in (QuantityKind.DURATION, QuantityKind.DATE):
        word = (rate.group("per") or rate.group("adv")).lower()
        period = _period_of(word)
        after = rate.end()
    between = re.search(r"\bbetween\s*$", sentence[max(0, text_start - 10) : text_start], re.I)
    if between and high is not None:
        text_start -= len(between.group(0))
    text = sentence[text_start:after].strip().rstrip(".,;:")
    quantity = ParsedQuantity(
        value=_normal(value),
        unit=unit,
        kind=kind,
        period=period,
        approximate=approximate,
        text=text,
        start=text_start,
        end=text_start + len(text),
        high=_normal(high) if high is not None else None,
    )
    return [quantity], max(end, match.end())


def _currency_symbol(symbol: str | None) -> str:
    if not symbol:
        return ""
    return CURRENCY_SYMBOLS.get(symbol.replace("\\", "").lower(), "")


def _period_of(word: str) -> str:
    word = re.sub(r"\s+", " ", word)
    if word in PERIOD_WORDS:
        return PERIOD_WORDS[word]
    return {
        "daily": Period.DAY,
        "weekly": Period.WEEK,
        "monthly": Period.MONTH,
        "annually": Period.YEAR,
        "yearly": Period.YEAR,
        "a year": Period.YEAR,
        "per annum": Period.YEAR,
    }[word]


def _singular(word: str) -> str:
    word = word.lower().rstrip(".")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and word not in ("lbs",):
        return word[:-1]
    return "lb" if word == "lbs" else word


def _unit_after(
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


def _bare_number_kind(
    sentence: str, match: re.Match[str], value: Decimal
) -> tuple[str | None, str]:
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


def _date_from(match: re.Match[str]) -> ParsedQuantity:
    month = MONTHS[match.group("month").lower()]
    if match.group("only_year"):
        value, unit = Decimal(int(match.group("only_year")) * 100 + month), "YYYY-MM"
        return ParsedQuantity(
            value=value,
            unit=unit,
            kind=QuantityKind.DATE,
            text=match.group(0),
            start=match.start(),
            end=match.end(),
        )
    day = int(match.group("day"))
    year = match.group("year")
    if year:
        value, unit = Decimal(int(year) * 10000 + month * 100 + day), "YYYY-MM-DD"
    else:
        value, unit = Decimal(month * 100 + day), "--MM-DD"
    return ParsedQuantity(
        value=value,
        unit=unit,
        kind=QuantityKind.DATE,
        text=match.group(0),
        start=match.start(),
        end=match.end(),
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
