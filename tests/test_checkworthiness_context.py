"""The context check-worthiness scorer over the n-gram model (``CHECKWORTHINESS_SCORER=context``),
which reads a sentence with its speaker, neighbours and position: shipped weights,
reproducible, pure Python, and what extraction calls. The default stacks the same context model
on the embedding scorer (tests/test_checkworthiness_context_embedding.py)."""

from __future__ import annotations

import pytest

from claims.extraction import candidates as candidates_module
from claims.extraction import evaluation
from claims.extraction.candidates import extract_candidates
from claims.extraction.context import (
    CONTEXT_EMBEDDING_MODEL_PATH,
    CONTEXT_MODEL_PATH,
    ContextScorer,
    context_features,
    get_context_embedding_scorer,
    get_context_scorer,
    sha256_of,
)
from claims.extraction.documents import document_from_text
from claims.extraction.scorer import MODEL_PATH, get_linear_scorer, get_scorer, read_model
from claims.extraction.weights import model_differences
from tests.subprocesses import assert_loads_none_of, run_python

# Both context models: over the n-gram model, and over the embedding scorer (the default).
BASES = [
    pytest.param(get_context_scorer, CONTEXT_MODEL_PATH, [], 0.0005, id="over-ngrams"),
    pytest.param(
        get_context_embedding_scorer,
        CONTEXT_EMBEDDING_MODEL_PATH,
        ["--base", "embedding"],
        0.002,
        id="over-embedding",
    ),
]


def test_the_setting_selects_the_context_scorer_over_the_ngram_model():
    scorer = get_scorer("context")
    assert isinstance(scorer, ContextScorer) and scorer.base is get_linear_scorer()


def test_weights_are_shipped_and_fit_the_shipped_ngram_weights():
    data = read_model(CONTEXT_MODEL_PATH)
    assert data["linear_sha256"] == sha256_of(MODEL_PATH)
    assert 0 < get_context_scorer().threshold < 1


def test_context_features_read_speakers_turns_neighbours_and_position():
    rows = context_features([2.0, -1.0, 4.0, 0.0], ["MOD", "SMITH", "SMITH", None])
    own, previous, following = 0, 1, 2
    share, turn_start, position, alone = 7, 9, 11, 12
    assert rows[1][previous] == pytest.approx(2.0 / 8) and rows[1][following] == 0.5
    assert [r[share] for r in rows] == [0.25, 0.5, 0.5, 0.0]
    assert [r[turn_start] for r in rows] == [1.0, 1.0, 0.0, 0.0]
    assert [r[position] for r in rows] == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert rows[0][own] == 0.25 and not any(r[alone] for r in rows)
    assert context_features([1.0])[0][alone] == 1.0


@pytest.mark.parametrize(("load", "path", "args", "tolerance"), BASES)
def test_a_line_scores_differently_in_context_than_alone(load, path, args, tolerance):
    scorer = load()
    lines = [
        "Good evening and welcome to the debate.",
        "Senator, what is your plan?",
        "We cut taxes for 95 percent of working families.",
        "And the deficit fell by half in four years.",
    ]
    speakers = ["MODERATOR", "MODERATOR", "SMITH", "SMITH"]
    in_context = scorer.score_many(lines, speakers)
    assert in_context == scorer.score_many(lines, speakers)  # deterministic
    assert in_context != [scorer.score(line) for line in lines]
    assert min(in_context[2:]) > max(in_context[:2])


def test_extraction_scores_an_article_in_one_call_with_its_speakers(monkeypatch):
    calls = []
    real = get_context_scorer()

    class Recording:
        threshold = real.threshold

        def score_many(self, texts, speakers=None):
            calls.append((list(texts), list(speakers)))
            return real.score_many(texts, speakers)

    monkeypatch.setattr(candidates_module, "get_scorer", lambda: Recording())
    text = (
        "The mayor spoke on Monday.\n\n"
        '"We built 1,200 homes last year," said Maria Lopez, the mayor.\n\n'
        "The council meets again in May."
    )
    found = extract_candidates(document_from_text(text))
    assert len(calls) == 1
    texts, speakers = calls[0]
    assert texts == [c.statement for c in found]
    assert "Maria Lopez" in speakers
    assert [c.score for c in found] == real.score_many(texts, speakers)


def test_scoring_in_context_needs_neither_scikit_learn_nor_numpy():
    assert_loads_none_of(
        ("sklearn", "numpy", "scipy", "torch"),
        "from claims.extraction.scorer import get_scorer\n"
        "s = get_scorer('context').score_many(['Hello.', 'Taxes rose 5 percent.'], ['A', 'B'])\n"
        "assert type(get_scorer('context')).__name__ == 'ContextScorer'\n",
    )


@pytest.mark.parametrize(("load", "path", "args", "tolerance"), BASES)
def test_recorded_heldout_metrics_are_recomputed_by_the_runtime_scorer(load, path, args, tolerance):
    claimbuster = evaluation.claimbuster_path()
    if not claimbuster.exists():
        pytest.skip(f"ClaimBuster's data is not at {claimbuster}.")
    _, heldout = evaluation.stratified_holdout(evaluation.load_examples(claimbuster))
    scorer = load()
    metrics = evaluation.evaluate(
        [e.label for e in heldout], [scorer.score(e.text) for e in heldout], scorer.threshold
    )
    recorded = scorer.metrics["heldout"]
    for name in ("precision", "recall", "f1", "roc_auc"):
        assert recorded[name] == pytest.approx(getattr(metrics, name), abs=tolerance), name


@pytest.mark.parametrize(("load", "path", "args", "tolerance"), BASES)
def test_the_training_script_rewrites_the_shipped_weights(tmp_path, load, path, args, tolerance):
    """The script refits the shipped weights: the same settings chosen, every weight within
    the scripts' tolerance (another CPU's BLAS may move a sixth decimal), the same metrics."""
    pytest.importorskip("sklearn")
    if not (evaluation.claimbuster_path().exists() and evaluation.clef_path().exists()):
        pytest.skip("ClaimBuster's or CLEF's data is not in ../shared.")
    out = tmp_path / "context.json.gz"
    run_python("scripts/train_checkworthiness_context.py", *args, "--out", str(out), timeout=900)
    refit, shipped = read_model(out), read_model(path)
    assert refit["setting"] == shipped["setting"]
    differences = model_differences(refit, shipped)
    assert differences == [], differences[:5]
