"""The language a text is written in, as an ISO 639-1 code ("en", "pt", "es").

py3langid (its model ships inside the package) limited to the languages a desk meets, since fewer
choices make short texts far less often wrong; below :data:`MIN_CONFIDENCE` the caller's default.
Extraction reads :data:`EXTRACTION_LANGUAGES` natively, any other text by the English rules."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from claims.extraction.lexicon import words

# The languages of the fact-checking pages the importer reads (Brazil, Spain, India, Taiwan,
# France, Germany, Jordan, …) and of the desk's own material.
DETECTABLE = words(
    "en pt es fr de it nl ar hi bn ta te mr ur zh ja ko id ms tl tr ru uk pl ro el he fa sw",
    ordered=True,
)
EXTRACTION_LANGUAGES = frozenset({"en", "pt", "es"})
MIN_CONFIDENCE = 0.8
# Below this many letters a guess is a coin toss ("Falso" is Portuguese, Spanish or Italian).
MIN_LETTERS = 12


@lru_cache(maxsize=1)
def _identifier() -> Any:
    # Imported here: py3langid brings numpy, which scoring alone must not load.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(DETECTABLE)
    return identifier


def detect_language(text: str, *, default: str = "") -> str:
    """The ISO 639-1 code of ``text``'s language, or ``default`` when it cannot be told."""
    if sum(character.isalpha() for character in text) < MIN_LETTERS:
        return default
    code, confidence = _identifier().classify(text[:20_000])
    return code if confidence >= MIN_CONFIDENCE else default


def extraction_language(language: str) -> str:
    """The rules extraction reads a text in ``language`` by: its own, or English's."""
    base = (language or "").lower().split("-")[0].split("_")[0]
    return base if base in EXTRACTION_LANGUAGES else "en"
