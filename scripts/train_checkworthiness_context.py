"""Fit the default (context) check-worthiness scorer and write its weights file.

    .venv/bin/python scripts/train_checkworthiness_context.py [--base linear|embedding] \
        [--out claims/extraction/data/checkworthiness-context[-embedding].json.gz]

``--base embedding`` (the default scorer's weights; about 3 minutes on one core) stacks on the
sentence-embedding scorer instead of the n-gram model alone (``--base linear``, about 40 s).

Reads ``../shared/data/clef19/CT19-T1-Training.csv`` (19 debates and speeches) and
``../shared/data/claimbuster/train.json``. Reproducible: fixed folds and seed, a deterministic
solver on one BLAS thread, and the file written without a timestamp.

1. Refit the n-gram model on ClaimBuster's training part (``train_checkworthiness.fit_linear``)
   and check it is the shipped one: its out-of-fold scores are what the ClaimBuster rows of the
   stacking model read, so no row is scored by a model that saw its label. Over the embedding,
   the ClaimBuster rows are the validation fold the encoder was not fine-tuned on (as in
   ``train_checkworthiness_embedding.py``), with the embedding scorer's stacking model's
   out-of-fold log-odds.
2. Score every CLEF debate with the shipped sentence model (neither saw CLEF) and compute the
   context features (:func:`claims.extraction.context.model_inputs`).
3. Honest figures, by nested cross-validation over whole debates: for each debate left out, the
   hyperparameters (regularisation, weight of CLEF rows) are chosen by grouped cross-validation
   on the other 18 debates (plus ClaimBuster's rows), the model is fitted on those, and the left-out
   debate is ranked. MAP, R-precision and P@k are averaged over the 19 debates.
4. The shipped model: hyperparameters chosen the same way on all 19 debates, fitted on
   everything; the threshold maximises F1 on out-of-fold scores of ClaimBuster's training rows;
   the held-out fifth of ClaimBuster, never used above, is scored by the runtime scorer.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

# The default's training script, beside this one, sets Django up (one BLAS thread) first.
import numpy as np
import train_checkworthiness as linear_training
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold, cross_val_predict

from claims.extraction import evaluation
from claims.extraction.context import (
    CONTEXT_EMBEDDING_MODEL_PATH,
    CONTEXT_MODEL_PATH,
    EMBEDDING_CONTEXT_INPUTS,
    FORMAT_VERSION,
    INPUTS,
    ContextScorer,
    SentenceModel,
    context_features,
    model_inputs,
    sha256_of,
)
from claims.extraction.scorer import MODEL_PATH, get_linear_scorer, read_model
from claims.extraction.weights import model_differences

GRID = [(c, w) for c in (0.03, 0.3, 3.0) for w in (1.0, 4.0)]  # (C, weight of a CLEF row)
FOLDS = 4


def clef_rows(
    lines: list[evaluation.DebateLine], base: SentenceModel
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    features, labels, groups = [], [], []
    for name, debate in evaluation.group_debates(lines).items():
        texts = [line.text for line in debate]
        features.extend(model_inputs(base, texts, [line.speaker for line in debate]))
        labels.extend(line.label for line in debate)
        groups.extend([name] * len(debate))
    return np.array(features), np.array(labels), groups


def _logits(probabilities: np.ndarray) -> np.ndarray:
    probabilities = np.clip(probabilities, 1e-9, 1 - 1e-9)
    return np.log(probabilities / (1 - probabilities))


def _alone(inputs: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """Rows of single sentences: their inputs, then the context features of a sentence alone."""
    rows = zip(inputs.tolist(), logits, strict=True)
    return np.array([[*row, *context_features([float(z)])[0]] for row, z in rows])


def claimbuster_rows(
    train: list[evaluation.Example], base: SentenceModel | None
) -> tuple[np.ndarray, np.ndarray]:
    """Step 1: ClaimBuster's rows, none scored by a model that saw its label. ``base`` is the
    embedding scorer, or None for the n-gram model alone."""
    fit = linear_training.fit_linear(train, verbose=False)
    shipped = {k: v for k, v in read_model(MODEL_PATH).items() if k != "metrics"}
    if model_differences(fit.model, shipped):
        raise SystemExit("The refitted n-gram model is not the shipped one; run its script first.")
    labels = np.array([e.label for e in train])
    if base is None:
        inputs = np.column_stack([fit.out_of_fold, fit.dense])
        return _alone(inputs, _logits(fit.meta_out_of_fold)), labels
    texts = [e.text for e in train]
    _, validation = next(linear_training.cross_validation_folds().split(texts, labels))
    heads = [row[0] for row in base.stack_inputs_many([texts[i] for i in validation])]
    inputs = np.column_stack([heads, fit.out_of_fold[validation], fit.dense[validation]])
    meta = LogisticRegression(C=linear_training.META_C, max_iter=5000, solver="liblinear")
    inner = StratifiedKFold(n_splits=5, shuffle=True, random_state=evaluation.SEED)
    probabilities = cross_val_predict(
        meta, inputs, labels[validation], cv=inner, method="predict_proba"
    )[:, 1]
    return _alone(inputs, _logits(probabilities)), labels[validation]


class Data:
    """CLEF rows (with debates) and ClaimBuster rows (single sentences), side by side."""

    def __init__(self, clef, clef_y, groups, cb, cb_y):
        self.clef, self.clef_y, self.groups = clef, clef_y, np.array(groups)
        self.cb, self.cb_y = cb, cb_y

    def fit(self, clef_index, cb_index, c: float, weight: float) -> LogisticRegression:
        x = np.vstack([self.clef[clef_index], self.cb[cb_index]])
        y = np.concatenate([self.clef_y[clef_index], self.cb_y[cb_index]])
        w = np.concatenate([np.full(len(clef_index), weight), np.ones(len(cb_index))])
        model = LogisticRegression(
            C=c, max_iter=5000, solver="liblinear", random_state=evaluation.SEED
        )
        return model.fit(x, y, sample_weight=w)


def mean_ap(labels, scores, groups) -> float:
    return float(
        np.mean(
            [
                evaluation.rank_metrics(
                    labels[groups == g].tolist(), scores[groups == g].tolist()
                ).average_precision
                for g in sorted(set(groups))
            ]
        )
    )


def grouped_cv(data: Data, clef_index: np.ndarray, c: float, weight: float):
    """Out-of-fold scores of the CLEF rows in ``clef_index`` (folds of whole debates) and of
    all ClaimBuster rows (stratified folds), for one setting."""
    clef_folds = GroupKFold(n_splits=FOLDS).split(clef_index, groups=data.groups[clef_index])
    cb_folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=evaluation.SEED).split(
        data.cb, data.cb_y
    )
    clef_oof = np.zeros(len(clef_index))
    cb_oof = np.zeros(len(data.cb))
    all_cb = np.arange(len(data.cb))
    for (clef_fit, clef_score), (cb_fit, cb_score) in zip(clef_folds, cb_folds, strict=True):
        model = data.fit(clef_index[clef_fit], all_cb[cb_fit], c, weight)
        clef_oof[clef_score] = model.decision_function(data.clef[clef_index[clef_score]])
        cb_oof[cb_score] = model.decision_function(data.cb[cb_score])
    return clef_oof, cb_oof


def choose(data: Data, clef_index: np.ndarray) -> tuple[tuple[float, float], dict]:
    """The grid setting with the best grouped-CV MAP on the debates in ``clef_index``."""
    results = {}
    for c, weight in GRID:
        clef_oof, cb_oof = grouped_cv(data, clef_index, c, weight)
        results[(c, weight)] = (
            mean_ap(data.clef_y[clef_index], clef_oof, data.groups[clef_index]),
            cb_oof,
        )
    best = max(GRID, key=lambda s: (results[s][0], -GRID.index(s)))
    return best, results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", choices=["linear", "embedding"], default="linear")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    started = time.perf_counter()
    if args.base == "embedding":
        import torch  # installed with requirements.txt

        from claims.extraction.embedding import EMBEDDING_MODEL_PATH, get_embedding_scorer

        torch.set_num_threads(1)  # one order of every sum: the same scores on every run
        base, inputs, out = get_embedding_scorer(), EMBEDDING_CONTEXT_INPUTS, args.out
        out = out or CONTEXT_EMBEDDING_MODEL_PATH
    else:
        base, inputs, out = get_linear_scorer(), INPUTS, args.out or CONTEXT_MODEL_PATH

    examples = evaluation.load_examples(evaluation.claimbuster_path())
    train, heldout = evaluation.stratified_holdout(examples)
    cb, cb_y = claimbuster_rows(train, base if args.base == "embedding" else None)
    clef, clef_y, groups = clef_rows(evaluation.load_labelled(evaluation.clef_path()), base)
    data = Data(clef, clef_y, groups, cb, cb_y)
    every = np.arange(len(clef))
    debates = sorted(set(groups))
    print(f"{len(debates)} debates ({len(clef)} lines), {len(cb)} ClaimBuster sentences.")

    # 3. Nested: each debate ranked by a model that neither chose its settings on it nor saw it.
    per_debate, baseline, chosen = [], [], []
    # The sentence model alone, unclipped, for comparison (it never saw CLEF).
    width = len(inputs) - len(context_features([0.0])[0])
    linear_logit = np.array([base.logit_of(row[:width]) for row in clef.tolist()])
    for debate in debates:
        inside = every[data.groups != debate]
        outside = every[data.groups == debate]
        setting, _ = choose(data, inside)
        chosen.append(setting)
        model = data.fit(inside, np.arange(len(cb)), *setting)
        labels = clef_y[outside].tolist()
        per_debate.append(
            evaluation.rank_metrics(labels, model.decision_function(clef[outside]).tolist())
        )
        baseline.append(evaluation.rank_metrics(labels, linear_logit[outside].tolist()))
    nested = evaluation.mean_ranking(per_debate)
    linear_only = evaluation.mean_ranking(baseline)

    # 4. The shipped model.
    setting, results = choose(data, every)
    model = data.fit(every, np.arange(len(cb)), *setting)
    cb_oof = results[setting][1]
    threshold = evaluation.best_threshold(cb_y.tolist(), (1 / (1 + np.exp(-cb_oof))).tolist())
    part = "training part" if args.base == "linear" else "validation fold of the training part"
    weights = {
        "format": FORMAT_VERSION,
        "trained_on": "CLEF 2019 CheckThat! Task 1 training debates and ClaimBuster's "
        f"{part} of the seeded split",
        "inputs": list(inputs),
        "coef": [round(float(v), 6) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "threshold": round(threshold, 6),
        "setting": {"C": setting[0], "clef_weight": setting[1]},
        "linear_sha256": sha256_of(MODEL_PATH),
    }
    if args.base == "embedding":
        weights["embedding_sha256"] = sha256_of(EMBEDDING_MODEL_PATH)
    scorer = ContextScorer.from_dict(json.loads(json.dumps(weights)), base=base, inputs=inputs)
    timer = time.perf_counter()
    scores = [scorer.score(e.text) for e in heldout]  # each sentence alone, as ClaimBuster's are
    per_sentence_ms = (time.perf_counter() - timer) * 1000 / len(heldout)
    # A document's sentences are scored together (the encoder takes them in batches).
    document = [e.text for e in heldout]
    timer = time.perf_counter()
    scorer.score_many(document)
    document_ms = (time.perf_counter() - timer) * 1000 / len(document)
    heldout_metrics = evaluation.evaluate([e.label for e in heldout], scores, threshold)

    def ranking(m: evaluation.RankingMetrics) -> dict:
        return {
            "map": round(m.average_precision, 4),
            "r_precision": round(m.r_precision, 4),
            **{f"p@{k}": round(v, 4) for k, v in m.precision_at.items()},
        }

    weights["metrics"] = {
        "clef_leave_one_debate_out": ranking(nested),
        f"clef_{args.base}_model": ranking(linear_only),
        "heldout": heldout_metrics.as_dict(),
    }
    linear_training.write_gzipped_json(weights, out)

    print(f"Settings chosen in the 19 outer folds: {sorted(set(chosen))}; shipped: {setting}")
    for label, m in (
        ("context (nested, leave one debate out)", nested),
        (f"{args.base} model alone", linear_only),
    ):
        cuts = "  ".join(f"P@{k} {v:.3f}" for k, v in m.precision_at.items())
        print(f"  {label}: MAP {m.average_precision:.4f}  R-prec {m.r_precision:.3f}  {cuts}")
    h = heldout_metrics
    print(
        f"Held-out fifth of ClaimBuster ({h.n}), threshold {threshold:.3f}: precision "
        f"{h.precision:.3f}  recall {h.recall:.3f}  F1 {h.f1:.3f}  AUC {h.roc_auc:.4f}"
    )
    print(
        f"Runtime scorer: {per_sentence_ms:.3f} ms a sentence alone, {document_ms:.3f} ms a "
        f"sentence of a {len(document)}-sentence document."
    )
    print(f"Wrote {out} ({out.stat().st_size} bytes) in {time.perf_counter() - started:.0f} s.")
    assert all(math.isfinite(v) for v in weights["coef"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
