"""Check-worthiness: how likely a sentence states a fact worth checking, from 0 to 1.

The n-gram model (``linear``), fitted by ``scripts/train_checkworthiness.py`` and shipped as
``data/checkworthiness.json.gz``: logistic regressions over TF-IDF word and character n-grams
and a naive Bayes, stacked by a logistic regression with the hand-made features of
:mod:`claims.extraction.features`. Pure Python, well under a millisecond a sentence.

``CHECKWORTHINESS_SCORER`` names the scorer every door asks (:func:`get_scorer`): this model,
``embedding`` (:mod:`~claims.extraction.embedding`), or the context model over either
(``context``, ``context-embedding``, the default; :mod:`~claims.extraction.context`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from claims.extraction.features import DENSE_FEATURES, char_ngrams, dense_features, word_ngrams

MODEL_PATH = Path(__file__).resolve().parent / "data" / "checkworthiness.json.gz"
FORMAT_VERSION = 1


SCORER_KINDS = ("context-embedding", "context", "linear", "embedding")


class ModelError(Exception):
    """The weights file is missing or does not fit this code."""


def logistic(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class Scorer:
    """What extraction asks of a check-worthiness scorer, whichever is configured: the
    stacking model's log-odds, probabilities for a document's sentences (a sentence alone is a
    document of one), and the cut that maximised F1 in training (out-of-fold)."""

    meta_coef: tuple[float, ...]
    meta_intercept: float
    threshold: float
    metrics: dict

    def logit_of(self, inputs: Sequence[float]) -> float:
        return self.meta_intercept + sum(w * x for w, x in zip(self.meta_coef, inputs, strict=True))

    def score_many(
        self, texts: Sequence[str], speakers: Sequence[str | None] | None = None
    ) -> list[float]:
        """Probabilities for a document's sentences, in order, with each one's speaker or
        ``None`` (scorers that read no context score each sentence on its own)."""
        raise NotImplementedError

    def score(self, text: str) -> float:
        """The probability that ``text`` is a check-worthy factual claim."""
        return self.score_many([text])[0]

    def is_checkworthy(self, score: float) -> bool:
        return score >= self.threshold


def require_format(data: dict, *, what: str, script: str) -> None:
    """Refuse a weights file written in another format than this code reads."""
    if data.get("format") != FORMAT_VERSION:
        raise ModelError(
            f"The {what}weights file has format {data.get('format')!r}; this code reads "
            f"{FORMAT_VERSION}. Re-run {script}."
        )


@dataclass(frozen=True)
class TfidfLinear:
    """A logistic regression's decision function over an L2-normalised, sublinear TF-IDF
    vector, as scikit-learn computes it: ``w · (v / ‖v‖) + b`` with ``v_t = (1 + ln tf) idf_t``."""

    vocabulary: dict[str, tuple[float, float]]  # term → (idf, coefficient)
    intercept: float
    analyzer: Callable[[str], list[str]]

    def decision(self, text: str) -> float:
        dot = norm = 0.0
        for term, tf in Counter(self.analyzer(text)).items():
            entry = self.vocabulary.get(term)
            if entry is None:
                continue
            idf, coefficient = entry
            value = (1.0 + math.log(tf)) * idf
            norm += value * value
            dot += value * coefficient
        if norm == 0.0:
            return self.intercept
        return dot / math.sqrt(norm) + self.intercept

    @classmethod
    def from_dict(cls, data: dict, analyzer: Callable[[str], list[str]]) -> TfidfLinear:
        terms, idf, coef = data["terms"], data["idf"], data["coef"]
        if not len(terms) == len(idf) == len(coef):
            raise ModelError(
                "The weights file's vocabulary, idf and coefficients differ in length."
            )
        return cls(
            vocabulary={t: (i, c) for t, i, c in zip(terms, idf, coef, strict=True)},
            intercept=float(data["intercept"]),
            analyzer=analyzer,
        )


@dataclass(frozen=True)
class BinaryNaiveBayes:
    """Naive Bayes log-odds over which n-grams occur: ``b + Σ w_t`` for each distinct n-gram."""

    weights: dict[str, float]  # term → log P(term | 1) − log P(term | 0)
    intercept: float  # log prior odds
    analyzer: Callable[[str], list[str]]

    def decision(self, text: str) -> float:
        # Distinct n-grams in the order they occur, not a set: a set's order follows the
        # process's string-hash salt, and the sum's last bits (and a refit's weights) with it.
        distinct = dict.fromkeys(self.analyzer(text))
        return self.intercept + sum(self.weights.get(t, 0.0) for t in distinct)

    @classmethod
    def from_dict(cls, data: dict, analyzer: Callable[[str], list[str]]) -> BinaryNaiveBayes:
        if len(data["terms"]) != len(data["weight"]):
            raise ModelError("The weights file's naive Bayes terms and weights differ in length.")
        return cls(
            weights=dict(zip(data["terms"], data["weight"], strict=True)),
            intercept=float(data["intercept"]),
            analyzer=analyzer,
        )


@dataclass(frozen=True)
class CheckworthinessScorer(Scorer):
    word: TfidfLinear
    char: TfidfLinear
    bayes: BinaryNaiveBayes
    meta_coef: tuple[float, ...]
    meta_intercept: float
    threshold: float
    metrics: dict

    def stack_inputs(self, text: str) -> list[float]:
        """The three n-gram models' scores and the hand-made features: what the stacking model
        reads (the embedding scorer stacks on them too)."""
        return [
            self.word.decision(text),
            self.char.decision(text),
            self.bayes.decision(text),
            *dense_features(text),
        ]

    def stack_inputs_many(self, texts: Sequence[str]) -> list[list[float]]:
        return [self.stack_inputs(t) for t in texts]

    def score_many(
        self, texts: Sequence[str], speakers: Sequence[str | None] | None = None
    ) -> list[float]:
        """Each sentence on its own; this model reads no speaker or neighbours."""
        return [logistic(self.logit_of(self.stack_inputs(t))) for t in texts]

    @classmethod
    def from_dict(cls, data: dict) -> CheckworthinessScorer:
        require_format(data, what="", script="scripts/train_checkworthiness.py")
        meta = data["meta"]
        expected = ["word", "char", "bayes", *DENSE_FEATURES]
        if meta["inputs"] != expected:
            raise ModelError(
                "The weights file was fitted on other features than this code computes; "
                "re-run scripts/train_checkworthiness.py."
            )
        return cls(
            word=TfidfLinear.from_dict(data["word"], word_ngrams),
            char=TfidfLinear.from_dict(data["char"], char_ngrams),
            bayes=BinaryNaiveBayes.from_dict(data["bayes"], word_ngrams),
            meta_coef=tuple(float(c) for c in meta["coef"]),
            meta_intercept=float(meta["intercept"]),
            threshold=float(data["threshold"]),
            metrics=data.get("metrics", {}),
        )


def read_model(path: Path) -> dict:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError as error:
        raise ModelError(
            f"No check-worthiness weights at {path}; run scripts/train_checkworthiness.py."
        ) from error


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def require_fitted_on_default(data: dict, *, what: str, script: str) -> None:
    """Refuse weights that stack on the default scorer's n-gram models (the context and the
    embedding scorers) unless they were fitted beside the shipped n-gram weights file: on
    another one, the scores they read would mean something else."""
    if data.get("linear_sha256") != sha256_of(MODEL_PATH):
        raise ModelError(
            f"The {what} weights were fitted on another n-gram weights file; re-run "
            f"{script} after scripts/train_checkworthiness.py."
        )


@lru_cache(maxsize=2)
def get_linear_scorer(path: Path = MODEL_PATH) -> CheckworthinessScorer:
    """The shipped default scorer, loaded once per process."""
    return CheckworthinessScorer.from_dict(read_model(path))


def get_scorer(kind: str | None = None) -> Scorer:
    """The scorer ``kind`` names, by default the one the ``CHECKWORTHINESS_SCORER`` setting
    names (``context-embedding`` unless configured)."""
    kind = settings.CHECKWORTHINESS_SCORER if kind is None else kind
    if kind == "context-embedding":
        from claims.extraction.context import get_context_embedding_scorer

        return get_context_embedding_scorer()
    if kind == "context":
        from claims.extraction.context import get_context_scorer

        return get_context_scorer()
    if kind == "linear":
        return get_linear_scorer()
    if kind == "embedding":
        # Imported here so the default install never imports torch.
        from claims.extraction.embedding import get_embedding_scorer

        return get_embedding_scorer()
    raise ImproperlyConfigured(
        f"CHECKWORTHINESS_SCORER is {kind!r}; it must be one of {', '.join(SCORER_KINDS)}."
    )
