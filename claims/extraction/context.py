"""The context model: a sentence read with its neighbours, its speaker and its place.

Who says a line (a moderator's question is rarely worth checking), what comes just before and
after (claims come in runs) and where it falls are :func:`context_features`; a logistic
regression over them and a sentence model's inputs, fitted by
``scripts/train_checkworthiness_context.py`` on CLEF 2019's debates and ClaimBuster, stacks on
the n-gram model (``context``, pure Python) or the sentence-embedding scorer
(``context-embedding``, the default, ``--base embedding``). Nothing is downloaded.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from claims.extraction.features import DENSE_FEATURES
from claims.extraction.lexicon import words

# The training script and the tests read the format and the n-gram file's hash from here.
from claims.extraction.scorer import FORMAT_VERSION as FORMAT_VERSION
from claims.extraction.scorer import (
    MODEL_PATH,
    ModelError,
    Scorer,
    get_linear_scorer,
    logistic,
    read_model,
    require_fitted_on_default,
    require_format,
)
from claims.extraction.scorer import sha256_of as sha256_of

CONTEXT_MODEL_PATH = MODEL_PATH.with_name("checkworthiness-context.json.gz")
CONTEXT_EMBEDDING_MODEL_PATH = MODEL_PATH.with_name("checkworthiness-context-embedding.json.gz")
LINEAR_INPUTS = ("word", "char", "bayes", *DENSE_FEATURES)
EMBEDDING_INPUTS = ("embedding", *LINEAR_INPUTS)
CONTEXT_FEATURES = tuple(
    words(
        "linear previous next has_previous has_next window_max speaker_known speaker_share "
        "speaker_mean turn_start turn_length position alone",
        ordered=True,
    )
)
INPUTS = (*LINEAR_INPUTS, *CONTEXT_FEATURES)
EMBEDDING_CONTEXT_INPUTS = (*EMBEDDING_INPUTS, *CONTEXT_FEATURES)


class SentenceModel(Protocol):
    """What a context model stacks on: a sentence model's inputs and its log-odds on them
    (:class:`~claims.extraction.scorer.CheckworthinessScorer`,
    :class:`~claims.extraction.embedding.EmbeddingScorer`)."""

    def stack_inputs_many(self, texts: Sequence[str]) -> list[list[float]]: ...

    def logit_of(self, inputs: Sequence[float]) -> float: ...


SCRIPT = "scripts/train_checkworthiness_context.py"
# Log-odds are clipped so one extreme neighbour cannot dominate.
CLIP = 8.0


def _clip(z: float) -> float:
    return max(-CLIP, min(CLIP, z)) / CLIP


def context_features(
    logits: Sequence[float], speakers: Sequence[str | None] | None = None
) -> list[list[float]]:
    """The features of :data:`CONTEXT_FEATURES` for each sentence of one document, from the
    sentence model's log-odds of its sentences in order and each one's speaker (or ``None``)."""
    count = len(logits)
    if speakers is None:
        speakers = [None] * count
    if len(speakers) != count:
        raise ValueError("One speaker (or None) per sentence.")
    keys = [s.strip().casefold() if s and s.strip() else None for s in speakers]
    clipped = [_clip(z) for z in logits]
    mean = sum(clipped) / count if count else 0.0
    lines_of = Counter(k for k in keys if k is not None)
    totals: dict[str, float] = {}
    for key, value in zip(keys, clipped, strict=True):
        if key is not None:
            totals[key] = totals.get(key, 0.0) + value
    # The length of the speaker's turn each sentence sits in (a turn: consecutive lines of one
    # known speaker).
    turn_lengths = [1] * count
    i = 0
    while i < count:
        j = i + 1
        if keys[i] is not None:
            while j < count and keys[j] == keys[i]:
                j += 1
        for k in range(i, j):
            turn_lengths[k] = j - i
        i = j
    rows = []
    for i, (key, own) in enumerate(zip(keys, clipped, strict=True)):
        previous = clipped[i - 1] if i > 0 else 0.0
        following = clipped[i + 1] if i + 1 < count else 0.0
        known = key is not None
        rows.append(
            [
                own,
                previous,
                following,
                float(i > 0),
                float(i + 1 < count),
                max(clipped[max(0, i - 2) : i + 3]),
                float(known),
                lines_of[key] / count if known else 0.0,
                totals[key] / lines_of[key] - mean if known else 0.0,
                float(known and (i == 0 or keys[i - 1] != key)),
                min(math.log1p(turn_lengths[i]) / 4.0, 1.0) if known else 0.0,
                i / (count - 1) if count > 1 else 0.0,
                float(count == 1),
            ]
        )
    return rows


def model_inputs(
    base: SentenceModel,
    texts: Sequence[str],
    speakers: Sequence[str | None] | None = None,
) -> list[list[float]]:
    """What the stacking model reads for each sentence of one document: the sentence model's
    inputs, then the context features. The training script calls this too."""
    stacked = base.stack_inputs_many(texts)
    logits = [base.logit_of(inputs) for inputs in stacked]
    return [
        [*inputs, *extra]
        for inputs, extra in zip(stacked, context_features(logits, speakers), strict=True)
    ]


@dataclass(frozen=True)
class ContextScorer(Scorer):
    base: SentenceModel
    meta_coef: tuple[float, ...]
    meta_intercept: float
    threshold: float  # chosen on out-of-fold scores of single sentences
    metrics: dict

    def score_many(
        self, texts: Sequence[str], speakers: Sequence[str | None] | None = None
    ) -> list[float]:
        """Probabilities for one document's sentences, in its order, read with their context."""
        texts = list(texts)
        if not texts:
            return []
        return [logistic(self.logit_of(row)) for row in model_inputs(self.base, texts, speakers)]

    @classmethod
    def from_dict(
        cls, data: dict, *, base: SentenceModel, inputs: Sequence[str] = INPUTS
    ) -> ContextScorer:
        require_format(data, what="context ", script=SCRIPT)
        if data["inputs"] != list(inputs) or len(data["coef"]) != len(inputs):
            raise ModelError(
                "The context weights were fitted on other features than this code computes; "
                f"re-run {SCRIPT}."
            )
        return cls(
            base=base,
            meta_coef=tuple(float(c) for c in data["coef"]),
            meta_intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
            metrics=data.get("metrics", {}),
        )


@lru_cache(maxsize=2)
def get_context_scorer(path: Path = CONTEXT_MODEL_PATH) -> ContextScorer:
    """The shipped default scorer, loaded once per process. It stacks on the n-gram model, so
    it refuses to load beside an n-gram weights file other than the one it was fitted with."""
    data = read_model(path)
    require_fitted_on_default(data, what="context", script=SCRIPT)
    return ContextScorer.from_dict(data, base=get_linear_scorer())


@lru_cache(maxsize=2)
def get_context_embedding_scorer(path: Path = CONTEXT_EMBEDDING_MODEL_PATH) -> ContextScorer:
    """The default scorer: the context model over the sentence-embedding scorer, loaded once per
    process. It refuses to load beside n-gram or embedding weights other than those it was
    fitted on."""
    from claims.extraction.embedding import EMBEDDING_MODEL_PATH, get_embedding_scorer

    data = read_model(path)
    require_fitted_on_default(data, what="context-embedding", script=f"{SCRIPT} --base embedding")
    if data.get("embedding_sha256") != sha256_of(EMBEDDING_MODEL_PATH):
        raise ModelError(
            "The context-embedding weights were fitted on another embedding weights file; re-run "
            f"{SCRIPT} --base embedding after scripts/train_checkworthiness_embedding.py."
        )
    return ContextScorer.from_dict(
        data, base=get_embedding_scorer(), inputs=EMBEDDING_CONTEXT_INPUTS
    )
