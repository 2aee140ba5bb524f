"""The default check-worthiness scorer: the context model (speaker, neighbours, position) over
the sentence-embedding scorer. Its weights are shipped and fit the shipped n-gram and embedding
weights (its recorded figures and its training script: tests/test_checkworthiness_context.py)."""

from __future__ import annotations

import gzip
import json

import pytest
from django.conf import settings

from claims.extraction.context import (
    CONTEXT_EMBEDDING_MODEL_PATH,
    ContextScorer,
    get_context_embedding_scorer,
    sha256_of,
)
from claims.extraction.embedding import EMBEDDING_MODEL_PATH, EmbeddingScorer
from claims.extraction.scorer import MODEL_PATH, ModelError, get_scorer, read_model


def test_the_default_setting_selects_the_context_model_over_the_embedding_scorer():
    assert settings.CHECKWORTHINESS_SCORER == "context-embedding"
    scorer = get_scorer()
    assert isinstance(scorer, ContextScorer) and isinstance(scorer.base, EmbeddingScorer)


def test_weights_are_shipped_and_fit_the_shipped_ngram_and_embedding_weights():
    data = read_model(CONTEXT_EMBEDDING_MODEL_PATH)
    assert data["linear_sha256"] == sha256_of(MODEL_PATH)
    assert data["embedding_sha256"] == sha256_of(EMBEDDING_MODEL_PATH)
    assert 0 < get_context_embedding_scorer().threshold < 1


def test_weights_for_another_embedding_file_are_refused(tmp_path):
    data = read_model(CONTEXT_EMBEDDING_MODEL_PATH)
    data["embedding_sha256"] = "0" * 64
    path = tmp_path / "context-embedding.json.gz"
    path.write_bytes(gzip.compress(json.dumps(data).encode()))
    with pytest.raises(ModelError, match="another embedding weights file"):
        get_context_embedding_scorer.__wrapped__(path)


def test_it_beats_the_context_model_over_ngrams_on_every_recorded_figure():
    """Recomputed from the runtime scorer in tests/test_checkworthiness_context.py."""
    default, pure = get_context_embedding_scorer().metrics, get_scorer("context").metrics
    assert default["heldout"]["f1"] > pure["heldout"]["f1"] + 0.05
    assert default["heldout"]["roc_auc"] > pure["heldout"]["roc_auc"]
    for cut in ("map", "p@5", "p@10"):
        assert default["clef_leave_one_debate_out"][cut] > pure["clef_leave_one_debate_out"][cut]
