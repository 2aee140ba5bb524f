"""What the check-worthiness scorer reads from a sentence, shared by training and scoring: word
unigrams and bigrams, character n-grams inside word boundaries, and hand-made counts (figures by
kind, comparisons, attribution and tense, names, opinion, questions). Pure Python."""

from __future__ import annotations

import math
import re
from itertools import pairwise

from claims.extraction.lexicon import words
from claims.extraction.quantities import parse_quantities
from claims.models import QuantityKind

WORD_TOKEN = re.compile(r"\b\w+\b|[$%?€£]")
CHAR_NGRAM_RANGE = (1, 5)
_SPACES = re.compile(r"\s\s+")

COMPARISON = words(
    "than more less fewer higher lower larger smaller bigger most least largest biggest smallest "
    "highest lowest greatest worst best record increase increased increases decrease decreased "
    "rose risen fell fallen dropped grew doubled tripled halved cut raised lost gained"
)
ATTRIBUTION = words(
    "said says say told tells according reported reports announced claimed claims estimated "
    "testified stated admitted acknowledged confirmed voted signed passed vetoed"
)
PAST = words("was were had did been went came took made gave got ago")
FUTURE = words("will would should must need needs going want wants hope let shall")
OPINION = words("think believe feel hope wish agree disagree guess suppose")
FIRST_PERSON = words("i we me my our us mine ours")
STATISTIC_WORDS = words(
    "percent million billion trillion thousand hundred dozen half twice rate average"
)
QUANTITY_KINDS = (
    QuantityKind.MONEY,
    QuantityKind.PERCENTAGE,
    QuantityKind.COUNT,
    QuantityKind.DURATION,
    QuantityKind.DATE,
)

DENSE_FEATURES = (
    "log_tokens",
    "short",
    "quantities",
    *(f"quantity_{kind}" for kind in QUANTITY_KINDS),
    "digits",
    "statistic_words",
    "comparison",
    "attribution",
    "past",
    "future",
    "opinion",
    "first_person",
    "you",
    "question",
    "names",
    "quoted",
)


def normalise(text: str) -> str:
    """White space folded, so line wraps in an article do not change a sentence's features."""
    return _SPACES.sub(" ", text.replace("\n", " ").replace("\t", " ")).strip()


def word_ngrams(text: str) -> list[str]:
    """Word unigrams and bigrams, lower-cased."""
    tokens = WORD_TOKEN.findall(normalise(text).lower())
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


def char_ngrams(text: str) -> list[str]:
    """Character n-grams of each space-padded word (scikit-learn's "char_wb" scheme)."""
    low, high = CHAR_NGRAM_RANGE
    grams: list[str] = []
    for word in normalise(text).split(" "):
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            if n > length:
                break
            grams.extend(padded[i : i + n] for i in range(length - n + 1))
    return grams


def dense_features(text: str) -> list[float]:
    """The hand-made features, in the order of :data:`DENSE_FEATURES`, each in [0, 1]."""
    text = normalise(text)
    tokens = WORD_TOKEN.findall(text)
    lower = [t.lower() for t in tokens]
    words = [t for t in tokens if t[0].isalpha()]
    quantities = parse_quantities(text)
    kinds = [q.kind for q in quantities]

    def count(vocabulary: frozenset[str], cap: int) -> float:
        return min(sum(1 for t in lower if t in vocabulary), cap) / cap

    names = sum(1 for i, w in enumerate(words) if i > 0 and w[0].isupper() and w != "I")
    return [
        min(math.log1p(len(tokens)) / 4.5, 1.0),
        float(len(tokens) < 7),
        min(len(quantities), 3) / 3,
        *(float(kind in kinds) for kind in QUANTITY_KINDS),
        float(any(c.isdigit() for c in text)),
        count(STATISTIC_WORDS, 2),
        count(COMPARISON, 2),
        count(ATTRIBUTION, 2),
        min(sum(1 for t in lower if t in PAST or (len(t) > 4 and t.endswith("ed"))), 4) / 4,
        count(FUTURE, 2),
        count(OPINION, 1),
        count(FIRST_PERSON, 3),
        float("you" in lower),
        float("?" in text),
        min(names, 4) / 4,
        float(bool(re.search(r"[\"“”]", text))),
    ]
