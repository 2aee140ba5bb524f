"""The default check-worthiness scorer: the context model (speaker, neighbours, position) over
the sentence-embedding scorer. Its weights are shipped, fit the shipped n-gram and embedding
weights, reproduce their recorded figures, and are what the training script writes."""

from __future__ import annotations

import gzip
import json

import pytest
from django.conf import settings

from claims.extraction import evaluation
from claims.extraction.context import (
    CONTEXT_EMBEDDING_MODEL_PATH,
    ContextScorer,
    get_context_embedding_scorer,
    sha256_of,
)
from claims.extraction.embedding import EMBEDDING_MODEL_PATH, EmbeddingScorer
from claims.extraction.scorer import MODEL_PATH, ModelError, get_scorer, read_model
from claims.extraction.weights import model_differences
from tests.subprocesses import run_python


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


def test_a_debate_line_is_read_with_its_speaker_and_neighbours():
    scorer = get_context_embedding_scorer()
    lines = [
        "Good evening and welcome to the debate.",
        "Senator, what is your plan?",
        "We cut taxes for 95 percent of working families.",
        "And the deficit fell by half in four years.",
    ]
    speakers = ["MODERATOR", "MODERATOR", "SMITH", "SMITH"]
    in_context = scorer.score_many(lines, speakers)
    assert in_context == scorer.score_many(lines, speakers)
    assert in_context != [scorer.score(line) for line in lines]
    assert min(in_context[2:]) > max(in_context[:2])


def test_recorded_heldout_metrics_are_recomputed_by_the_runtime_scorer():
    path = evaluation.claimbuster_path()
    if not path.exists():
        pytest.skip(f"ClaimBuster's data is not at {path}.")
    _, heldout = evaluation.stratified_holdout(evaluation.load_examples(path))
    scorer = get_context_embedding_scorer()
    metrics = evaluation.evaluate(
        [e.label for e in heldout], [scorer.score(e.text) for e in heldout], scorer.threshold
    )
    recorded = scorer.metrics["heldout"]
    for name in ("precision", "recall", "f1", "roc_auc"):
        assert recorded[name] == pytest.approx(getattr(metrics, name), abs=0.002), name
    # Better than the pure-Python context model on every figure it records.
    assert metrics.f1 > 0.8 and metrics.roc_auc > 0.96
    assert scorer.metrics["clef_leave_one_debate_out"]["map"] > 0.26


def test_the_training_script_rewrites_the_shipped_weights(tmp_path):
    """``--base embedding`` refits the shipped weights: the same settings chosen and every
    weight within the scripts' tolerance."""
    if not (evaluation.claimbuster_path().exists() and evaluation.clef_path().exists()):
        pytest.skip("ClaimBuster's or CLEF's data is not in ../shared.")
    out = tmp_path / "context-embedding.json.gz"
    run_python(
        "scripts/train_checkworthiness_context.py",
        "--base",
        "embedding",
        "--out",
        str(out),
        timeout=900,
    )
    refit, shipped = read_model(out), read_model(CONTEXT_EMBEDDING_MODEL_PATH)
    assert refit["setting"] == shipped["setting"]
    differences = model_differences(refit, shipped)
    assert differences == [], differences[:5]
