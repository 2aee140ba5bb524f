"""Who a sentence puts a statement in the mouth of, how, and with what hedges: the rules
(:mod:`.rules`, the default), the optional spaCy path (:mod:`.nlp`), who was named so far
(:mod:`.people`), noun phrases (:mod:`.phrases`), the words (:mod:`.lexicon`), caveats
(:mod:`.hedges`) and the passages' recall and precision (:mod:`.evaluation`)."""

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
    """Each sentence's attribution (empty for headings), by the engine :func:`~.nlp.engine`."""
    from claims.extraction.attribution.nlp import engine

    body = [s for s in sentences if not s.heading]
    read = iter(engine()([s.text for s in body], [s.paragraph for s in body], text))
    return [AttributionResult() if s.heading else next(read) for s in sentences]
