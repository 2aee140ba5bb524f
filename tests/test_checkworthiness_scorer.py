"""The shipped check-worthiness scorer: offline, pure Python, and as good as the README says.

The held-out fifth of ClaimBuster's sentences is rebuilt here with the training script's seed
and scored by the runtime scorer, so the metrics are recomputed, not read back.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from claims.extraction import evaluation
from claims.extraction.scorer import (
    MODEL_PATH,
    CheckworthinessScorer,
    get_linear_scorer,
    get_scorer,
    read_model,
)
from claims.extraction.weights import model_differences
from tests.subprocesses import assert_loads_none_of, run_python

# The targets for the held-out fifth. The default scorer meets the AUC one; its class-1
# F1 (0.758) does not reach 0.85 — see the README's "Check-worthiness" section.
TARGET_ROC_AUC = 0.94
# The figures the README reports for the shipped weights, to the digits it prints them with.
REPORTED = {"precision": 0.691, "recall": 0.840, "f1": 0.758, "macro_f1": 0.833, "roc_auc": 0.941}


@pytest.fixture(scope="module")
def heldout() -> list[evaluation.Example]:
    path = evaluation.claimbuster_path()
    if not path.exists():
        pytest.skip(f"ClaimBuster's data is not at {path}.")
    _, heldout = evaluation.stratified_holdout(evaluation.load_examples(path))
    return heldout


@pytest.fixture(scope="module")
def heldout_metrics(heldout) -> evaluation.Metrics:
    scorer = get_linear_scorer()
    scores = scorer.score_many(e.text for e in heldout)
    return evaluation.evaluate([e.label for e in heldout], scores, scorer.threshold)


def test_weights_file_is_shipped_small_and_loads_offline():
    assert MODEL_PATH.exists()
    assert MODEL_PATH.stat().st_size < 5 * 1024 * 1024
    scorer = get_scorer()
    assert 0 < scorer.threshold < 1


def test_heldout_fifth_is_a_stratified_fifth_of_the_data(heldout):
    everything = evaluation.load_examples(evaluation.claimbuster_path())
    assert abs(len(heldout) - len(everything) / 5) <= 1
    share = sum(e.label for e in heldout) / len(heldout)
    assert abs(share - sum(e.label for e in everything) / len(everything)) < 0.001


def test_heldout_roc_auc_meets_the_target(heldout_metrics):
    assert heldout_metrics.roc_auc >= TARGET_ROC_AUC


def test_heldout_metrics_are_the_ones_the_readme_reports(heldout_metrics):
    for name, reported in REPORTED.items():
        assert getattr(heldout_metrics, name) == pytest.approx(reported, abs=0.0005), name


def test_metrics_recorded_in_the_weights_file_are_the_recomputed_ones(heldout_metrics):
    recorded = get_linear_scorer().metrics["heldout"]
    for name in ("precision", "recall", "f1", "macro_f1", "roc_auc"):
        assert recorded[name] == pytest.approx(getattr(heldout_metrics, name), abs=0.001)


NUMERIC = [
    "Unemployment fell from 7.8 percent to 4.7 percent during those eight years.",
    "The state spent $3.2 billion on prisons last year, twice what it spent in 2005.",
    "More than 40,000 people were killed in traffic accidents in 2021.",
    "We cut taxes for 95 percent of working families.",
    "The program costs about $200 million a year and serves 1.5 million children.",
]
NARRATIVE = [
    "Thank you all for being here tonight.",
    "I think we need to do better.",
    "That is a very good question.",
    "Let me tell you what I believe.",
    "We will never give up on this country.",
]


def test_sentences_stating_figures_outrank_narrative_and_opinion():
    scorer = get_scorer()
    numeric = [scorer.score(s) for s in NUMERIC]
    narrative = [scorer.score(s) for s in NARRATIVE]
    assert min(numeric) > max(narrative)
    assert all(scorer.is_checkworthy(s) for s in numeric)
    assert not any(scorer.is_checkworthy(s) for s in narrative)


def test_scores_are_probabilities_and_deterministic():
    scorer = get_linear_scorer()
    for sentence in NUMERIC + NARRATIVE + ["", "   ", "?"]:
        score = scorer.score(sentence)
        assert 0.0 <= score <= 1.0
        assert scorer.score(sentence) == score


def test_scoring_needs_neither_scikit_learn_nor_numpy():
    assert_loads_none_of(
        ("sklearn", "numpy", "scipy"),
        "from claims.extraction.scorer import get_scorer\n"
        "assert 0 <= get_scorer('linear').score('Taxes rose 5 percent in 2020.') <= 1\n",
    )


def test_the_training_script_rewrites_the_shipped_weights(tmp_path: Path):
    """Same seed, same data → the same model, every weight within the scripts' tolerance (the
    sixth decimal may move on another CPU's BLAS kernels); so the shipped weights are the
    script's output."""
    pytest.importorskip("sklearn")
    if not evaluation.claimbuster_path().exists():
        pytest.skip("ClaimBuster's data is not in ../shared.")
    out = tmp_path / "checkworthiness.json.gz"
    run_python("scripts/train_checkworthiness.py", "--out", str(out), timeout=300)
    differences = model_differences(read_model(out), read_model(MODEL_PATH))
    assert differences == [], differences[:5]


def test_the_setting_selects_the_linear_scorer_by_default(settings):
    settings.CHECKWORTHINESS_SCORER = "linear"
    assert isinstance(get_scorer(), CheckworthinessScorer)


def test_an_unknown_scorer_setting_is_a_configuration_error(settings):
    settings.CHECKWORTHINESS_SCORER = "bert"
    with pytest.raises(ImproperlyConfigured, match="CHECKWORTHINESS_SCORER"):
        get_scorer()
