"""Other fact-checkers' verdicts read onto the desk's scale.

Publishers word their verdicts in their own scales and languages ("Pants on Fire", "Engañoso",
"Faux") and number them inconsistently: some scales run 0–N, some put "false" at the top
(bestRating 6 for their worst verdict), many give no numbers at all. So:

1. The words decide when they are in :data:`TEXT_RATINGS` (compared case-, accent- and
   punctuation-insensitively); a verdict that *starts* with a known label ("False. The photo
   is from 2015") counts as that label.
2. Otherwise a readable numeric scale decides: ``ratingValue`` placed between ``worstRating``
   and ``bestRating`` (numbers may arrive as strings; missing bounds default to schema.org's
   1 and 5) and rounded onto the desk's five firm ratings.
3. Otherwise the verdict is ``unverifiable``; the publisher's words are always kept beside it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from claims.models import RATING_ORDINAL, Rating

# Verdict words → the desk's rating. Keys are in :func:`rating_key` form.
TEXT_RATINGS: dict[str, Rating] = {}

# One line a rating: the words, "|"-separated (English first, then Spanish, Portuguese,
# Catalan, Italian, French and German; then Arabic, Hindi and Chinese, as Jordanian, Indian and
# Taiwanese fact-checkers word them).
_TABLE: dict[Rating, str] = {
    Rating.TRUE: (
        "true | correct | accurate | verified | confirmed | verdadero | verdadera | "
        "verdad | cierto | correcto | verdadeiro | verdade | cert | vero | vrai | richtig | "
        "wahr | stimmt | صحيح | सच | सही | 正確 | 正确"
    ),
    Rating.MOSTLY_TRUE: (
        "mostly true | mostly correct | mostly accurate | largely true | largely accurate | "
        "mainly true | almost true | mayormente verdadero | mayormente cierto | "
        "casi verdadero | en gran parte cierto | quase verdadeiro | plutot vrai | "
        "weitgehend richtig | uberwiegend richtig"
    ),
    Rating.MIXED: (
        "half true | half truth | mixed | mixture | partly true | partially true | "
        "partly false | partially false | partially correct | partly correct | true but | "
        "needs context | verdad a medias | medio verdadero | parcialmente verdadero | "
        "parcialmente falso | parcialmente cierto | meia verdade | impreciso | a nuancer | "
        "en partie vrai | teilweise richtig | teilweise falsch | halb wahr | صحيح جزئيا | "
        "आंशिक रूप से सच | 部分錯誤 | 部分错误"
    ),
    Rating.MOSTLY_FALSE: (
        "mostly false | misleading | barely true | exaggerated | exaggeration | distorted | "
        "distorts the facts | missing context | lacks context | out of context | "
        "cherry picks | spins the facts | mostly incorrect | largely false | enganoso | "
        "enganosa | mayormente falso | exagerado | sacado de contexto | fuera de contexto | "
        "descontextualizado | distorsionado | plutot faux | trompeur | exagere | "
        "sorti de son contexte | irrefuhrend | weitgehend falsch | uberwiegend falsch | "
        "fuorviante | مضلل | مضللة | भ्रामक | 易生誤解 | 误导"
    ),
    Rating.FALSE: (
        "false | incorrect | wrong | fake | pants on fire | pants fire | fabricated | "
        "hoax | scam | untrue | not true | four pinocchios | baseless | debunked | falso | "
        "falsa | bulo | mentira | fake news | faux | falsch | frei erfunden | fals | "
        "nepravda | really false | زائف | زائفة | كاذب | خاطئ | फर्जी | फ़र्ज़ी | गलत | "
        "झूठा | 錯誤 | 错误 | 謠言 | 谣言"
    ),
    Rating.UNVERIFIABLE: (
        "unproven | unverified | unverifiable | unsubstantiated | no evidence | "
        "not proven | unsupported | research in progress | undetermined | unclear | "
        "sin evidencia | sin pruebas | no verificable | inverificable | "
        "sem provas | invérifiable | nicht belegt | unbelegt"
    ),
}


def rating_key(text: str) -> str:
    """Verdict words in comparable form: lower case, no accents, punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # "really_false": an underscore separates words as a space does.
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


for _rating, _words in _TABLE.items():
    for _word in _words.split("|"):
        TEXT_RATINGS[rating_key(_word)] = _rating

# LIAR's six labels (PolitiFact's Truth-O-Meter); "pants-fire" and "false" both read as false,
# the label itself is kept beside the rating.
LIAR_LABELS: dict[str, Rating] = {
    "pants-fire": Rating.FALSE,
    "false": Rating.FALSE,
    "barely-true": Rating.MOSTLY_FALSE,
    "half-true": Rating.MIXED,
    "mostly-true": Rating.MOSTLY_TRUE,
    "true": Rating.TRUE,
}

_LONGEST_LABEL = max(len(key.split()) for key in TEXT_RATINGS)


def rating_from_text(text: str) -> Rating | None:
    """The desk's rating for a verdict's words, or None when the table does not know them."""
    key = rating_key(text)
    if not key:
        return None
    if key in TEXT_RATINGS:
        return TEXT_RATINGS[key]
    # "False. The photo is from 2015": the longest known label the verdict opens with.
    words = key.split()
    for size in range(min(_LONGEST_LABEL, len(words) - 1), 0, -1):
        found = TEXT_RATINGS.get(" ".join(words[:size]))
        if found is not None:
            return found
    return None


def number(value: Any) -> float | None:
    """A schema.org number that may arrive as a string ("4", "4.0", "4,5"); None if unreadable."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        result = float(value.strip().replace(",", ".") if isinstance(value, str) else value)
    except ValueError:
        return None
    return result if math.isfinite(result) else None


def rating_from_scale(value: Any, best: Any = None, worst: Any = None) -> Rating | None:
    """A numeric verdict placed on the desk's 1–5 scale, or None when it cannot be read.

    Missing bounds default to schema.org's (worst 1, best 5); a value outside its own bounds,
    or bounds the wrong way round, is unreadable rather than guessed at.
    """
    value_n = number(value)
    best_n = number(best) if best not in (None, "") else 5.0
    worst_n = number(worst) if worst not in (None, "") else 1.0
    if value_n is None or best_n is None or worst_n is None or best_n <= worst_n:
        return None
    if not worst_n <= value_n <= best_n:
        return None
    position = (value_n - worst_n) / (best_n - worst_n)
    ordinal = 1 + math.floor(position * 4 + 0.5)
    return next(r for r, o in RATING_ORDINAL.items() if o == ordinal)


@dataclass(frozen=True)
class ReadRating:
    rating: Rating
    text: str
    value: float | None = None
    best: float | None = None
    worst: float | None = None
    known: bool = True  # False when neither the words nor the numbers could be read


def read_rating(text: str, value: Any = None, best: Any = None, worst: Any = None) -> ReadRating:
    """Steps 1–3 of the module's rules, for one verdict."""
    text = " ".join((text or "").split())
    numbers = {"value": number(value), "best": number(best), "worst": number(worst)}
    by_text = rating_from_text(text) if text else None
    if by_text is not None:
        return ReadRating(by_text, text, **numbers)
    by_scale = rating_from_scale(value, best, worst)
    if by_scale is not None:
        # No words: the verdict as published is its number on its own scale.
        low = numbers["worst"] if numbers["worst"] is not None else 1.0
        high = numbers["best"] if numbers["best"] is not None else 5.0
        said = text or f"{numbers['value']:g} on a scale from {low:g} to {high:g}"
        return ReadRating(by_scale, said, **numbers)
    return ReadRating(Rating.UNVERIFIABLE, text, known=False, **numbers)
