"""Who a sentence puts a statement in the mouth of, how, and with what hedges.

- :mod:`~claims.extraction.attribution.rules` — the rules (the default, pure Python);
- :mod:`~claims.extraction.attribution.nlp` — the optional spaCy path (``ATTRIBUTION_ENGINE``);
- :mod:`~claims.extraction.attribution.people` — who the article has named so far;
- :mod:`~claims.extraction.attribution.phrases` — reading a speaker's noun phrase;
- :mod:`~claims.extraction.attribution.lexicon` — the words, in English, Portuguese, Spanish;
- :mod:`~claims.extraction.attribution.hedges` — the article's own caveats;
- :mod:`~claims.extraction.attribution.evaluation` — recall and precision on the passages in
  ``claims/extraction/data/attribution/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from claims.extraction.attribution.people import People, SpeakerRef
from claims.extraction.attribution.rules import (
    AttributionResult,
    Cue,
    attribute,
    outside_quotes,
)

__all__ = [
    "AttributionResult",
    "Cue",
    "People",
    "SpeakerRef",
    "attribute",
    "attribute_sentences",
    "outside_quotes",
]


class _Sentence(Protocol):
    text: str
    paragraph: int
    heading: bool


def attribute_sentences(sentences: Sequence[_Sentence], text: str) -> list[AttributionResult]:
    """The attribution of each sentence of an article (headings get an empty result), read by
    the engine ``ATTRIBUTION_ENGINE`` chooses (:func:`~.nlp.engine`)."""
    from claims.extraction.attribution.nlp import engine

    body = [s for s in sentences if not s.heading]
    read = iter(engine()([s.text for s in body], [s.paragraph for s in body], text))
    return [AttributionResult() if s.heading else next(read) for s in sentences]
