"""Word lists the extraction reads by: number words, scales, currencies, units, months.

Kept apart from the parsers so that a reader can see (and a maintainer extend) what is known
without reading the code that uses it.
"""

from __future__ import annotations

from claims.models import Period


def words(text: str, *, ordered: bool = False) -> frozenset[str] | list[str]:
    """The white-space separated words of ``text``: a frozenset, or a list when order matters."""
    split = text.split()
    return split if ordered else frozenset(split)


def month_numbers(*months: tuple[str, ...]) -> dict[str, int]:
    """Each name of each month, January's first, to the month's number (1 to 12)."""
    return {name: number for number, names in enumerate(months, start=1) for name in names}


SCALES: dict[str, int] = {
    "hundred": 10**2,
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "m": 10**6,
    "mn": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}
UNITS_WORDS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen",
            ordered=True,
        )
    )
}
TENS_WORDS: dict[str, int] = {
    w: (i + 2) * 10
    for i, w in enumerate(
        words("twenty thirty forty fifty sixty seventy eighty ninety", ordered=True)
    )
}
# "Tens of billions", "dozens of": a vague multiple, read as its lower bound and approximate.
VAGUE_MULTIPLES: dict[str, int] = {
    "dozens": 24,
    "tens": 10,
    "scores": 40,
    "hundreds": 100,
    "thousands": 1000,
    "millions": 10**6,
    "billions": 10**9,
    "trillions": 10**12,
}
CURRENCY_SYMBOLS: dict[str, str] = {
    "us$": "USD",
    "r$": "BRL",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₽": "RUB",
    "₪": "ILS",
    "₴": "UAH",
}
CURRENCY_WORDS: dict[str, str] = {
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "sterling": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rupees": "INR",
    "rubles": "RUB",
    "roubles": "RUB",
    "shekels": "ILS",
    "hryvnias": "UAH",
    "usd": "USD",
    "eur": "EUR",
    "gbp": "GBP",
    "jpy": "JPY",
    "cny": "CNY",
}
DURATION_UNITS: dict[str, str] = {
    "second": "seconds",
    "minute": "minutes",
    "hour": "hours",
    "day": "days",
    "week": "weeks",
    "month": "months",
    "year": "years",
    "decade": "decades",
    "century": "centuries",
    "centurie": "centuries",
}
WEIGHT_UNITS: dict[str, str] = {
    "pound": "lb",
    "lb": "lb",
    "ounce": "oz",
    "oz": "oz",
    "ton": "t",
    "tonne": "t",
    "kilogram": "kg",
    "kilo": "kg",
    "kg": "kg",
    "gram": "g",
}
OTHER_UNITS: dict[str, str] = {
    "mile": "mi",
    "kilometer": "km",
    "kilometre": "km",
    "km": "km",
    "meter": "m",
    "metre": "m",
    "foot": "ft",
    "feet": "ft",
    "acre": "acres",
    "barrel": "barrels",
}
PERIOD_WORDS: dict[str, str] = {
    "day": Period.DAY,
    "week": Period.WEEK,
    "month": Period.MONTH,
    "year": Period.YEAR,
}
MONTHS = month_numbers(
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
# Words after a figure that are not the thing counted ("1,400 were killed" counts nothing named).
NOT_UNITS = words(
    "a an the of in on at to for from by with and or but than as that this these those who which "
    "were was are is be been had has have will would could did do does not no more less percent "
    "per each every out up over under about into it its they them their there he she his her we "
    "our you i me first second third fourth fifth sixth seventh eighth ninth tenth half quarter "
    "quarters thirds"
)
