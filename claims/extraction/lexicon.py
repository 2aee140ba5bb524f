"""Word lists the extraction reads by: number words, scales, currencies, units, months; kept
apart from the parsers so what is known can be read (and extended) without the code."""

from __future__ import annotations

from claims.models import Period


def words(text: str, *, ordered: bool = False) -> frozenset[str] | list[str]:
    """The white-space separated words of ``text``: a frozenset, or a list when order matters."""
    split = text.split()
    return split if ordered else frozenset(split)


def month_numbers(*months: tuple[str, ...]) -> dict[str, int]:
    """Each name of each month, January's first, to the month's number (1 to 12)."""
    return {name: number for number, names in enumerate(months, start=1) for name in names}


def by_word(groups: dict[str, str]) -> dict[str, str]:
    """Each word of each group to its key: ``{"USD": "dollar dollars"}`` → ``{"dollar": "USD",
    "dollars": "USD"}``."""
    return {word: key for key, text in groups.items() for word in text.split()}


SCALES: dict[str, int] = {
    **dict.fromkeys(["hundred"], 10**2),
    **dict.fromkeys(words("thousand k", ordered=True), 10**3),
    **dict.fromkeys(words("million m mn", ordered=True), 10**6),
    **dict.fromkeys(words("billion bn b", ordered=True), 10**9),
    **dict.fromkeys(words("trillion tn", ordered=True), 10**12),
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
VAGUE_MULTIPLES: dict[str, int] = {"dozens": 24, "tens": 10, "scores": 40, "hundreds": 100} | {
    f"{scale}s": SCALES[scale] for scale in words("thousand million billion trillion", ordered=True)
}
CURRENCY_SYMBOLS = by_word(
    {"USD": "us$ $", "BRL": "r$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "RUB": "₽"}
) | {"₪": "ILS", "₴": "UAH"}
CURRENCY_WORDS = by_word(
    {
        "USD": "dollar dollars usd",
        "EUR": "euro euros eur",
        "GBP": "sterling gbp",
        "JPY": "yen jpy",
        "CNY": "yuan renminbi cny",
        "INR": "rupees",
        "RUB": "rubles roubles",
        "ILS": "shekels",
        "UAH": "hryvnias",
    }
)
DURATION_UNITS = {
    unit: f"{unit}s"
    for unit in words("second minute hour day week month year decade", ordered=True)
} | dict.fromkeys(("century", "centurie"), "centuries")
WEIGHT_UNITS = by_word(
    {"lb": "pound lb", "oz": "ounce oz", "t": "ton tonne", "kg": "kilogram kilo kg", "g": "gram"}
)
OTHER_UNITS = by_word(
    {"mi": "mile", "km": "kilometer kilometre km", "m": "meter metre", "ft": "foot feet"}
) | {"acre": "acres", "barrel": "barrels"}
PERIOD_WORDS = {"day": Period.DAY, "week": Period.WEEK, "month": Period.MONTH, "year": Period.YEAR}
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
