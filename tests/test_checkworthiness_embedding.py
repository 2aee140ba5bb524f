"""The sentence-embedding scorer (the default's base; ``CHECKWORTHINESS_SCORER=embedding`` alone):
its shipped weights, its figures, and a clear error when torch cannot be imported."""

from __future__ import annotations

import pytest

from claims.extraction import evaluation
from claims.extraction.embedding import EMBEDDING_MODEL_PATH, read_embedding_model, sha256_of
from claims.extraction.scorer import MODEL_PATH, get_scorer
from tests.subprocesses import DJANGO_SETUP, run_python


def test_embedding_weights_are_shipped_small_and_fit_the_shipped_default_weights():
    assert EMBEDDING_MODEL_PATH.stat().st_size < 3 * 1024 * 1024
    data = read_embedding_model(EMBEDDING_MODEL_PATH)
    assert data["linear_sha256"] == sha256_of(MODEL_PATH)


def test_without_torch_the_embedding_scorers_say_what_to_install_or_choose():
    run_python(
        "-c",
        "import sys\nsys.modules['torch'] = None  # as if it were not installed\n"
        + DJANGO_SETUP
        + "from claims.extraction.scorer import ModelError, get_scorer\n"
        "for kind in ('embedding', 'context-embedding'):\n"
        "    try:\n"
        "        get_scorer(kind).score('Taxes rose 5 percent in 2020.')\n"
        "    except ModelError as error:\n"
        "        assert 'requirements.txt' in str(error) and 'context' in str(error), error\n"
        "    else:\n"
        "        raise AssertionError(kind)\n"
        "assert get_scorer('context').score('Taxes rose 5 percent in 2020.') > 0\n",
    )


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
