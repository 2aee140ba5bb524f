"""Recall and precision of attribution on the passages in ``claims/extraction/data/attribution/``.

``tune.toml`` (the rules were developed on it), ``heldout.toml`` and ``blind.toml`` (README's
*Evaluation*). Each passage is read as ingestion reads an article and its distinct speakers are
compared with the expected ones by :func:`~claims.models.name_key`."""

from __future__ import annotations

import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from claims.extraction.attribution import attribute_sentences
from claims.extraction.sentences import split_sentences
from claims.models import name_key

DATA = Path(__file__).resolve().parent.parent / "data" / "attribution"
SPLITS = ("tune", "heldout", "blind")


@dataclass(frozen=True)
class Passage:
    id: str
    lang: str
    text: str
    speakers: tuple[str, ...]


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    correct: int = 0
    seconds: float = 0.0
    passages: int = 0
    misses: list[str] = field(default_factory=list)  # "id: name" expected, not found
    extras: list[str] = field(default_factory=list)  # "id: name" found, not expected
    languages: dict[str, Score] = field(default_factory=dict)  # the same, per language

    def add(self, passage: Passage, found: list[str], seconds: float) -> None:
        """Count one passage read: the speakers it expects against those ``found``."""
        self.seconds += seconds
        self.passages += 1
        expected = {name_key(n): n for n in passage.speakers}
        got = {name_key(n): n for n in found}
        self.expected += len(expected)
        self.found += len(got)
        self.correct += len(expected.keys() & got.keys())
        # Sorted: a set's order changes with the hash seed, and the listing should not.
        self.misses += [
            f"{passage.id}: {expected[k]}" for k in sorted(expected.keys() - got.keys())
        ]
        self.extras += [f"{passage.id}: {got[k]}" for k in sorted(got.keys() - expected.keys())]

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0


def passages(split: str) -> list[Passage]:
    if split not in SPLITS:
        raise ValueError(f"Unknown split {split!r}: choose from {', '.join(SPLITS)}.")
    with (DATA / f"{split}.toml").open("rb") as handle:
        rows = tomllib.load(handle)["passage"]
    return [Passage(row["id"], row["lang"], row["text"], tuple(row["speakers"])) for row in rows]


def speakers_found(text: str) -> list[str]:
    """The distinct speakers attribution finds in ``text``, in order of first statement."""
    results = attribute_sentences(split_sentences(text), text)
    names: list[str] = []
    for result in results:
        if result.speaker is not None and result.speaker.name not in names:
            names.append(result.speaker.name)
    return names


def evaluate(split: str) -> Score:
    """Score one split of the passages, and each of its languages (``Score.languages``);
    every passage is read once."""
    score = Score()
    for passage in passages(split):
        started = time.perf_counter()
        found = speakers_found(passage.text)
        seconds = time.perf_counter() - started
        score.add(passage, found, seconds)
        score.languages.setdefault(passage.lang, Score()).add(passage, found, seconds)
    return score
