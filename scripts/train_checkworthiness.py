"""Fit the check-worthiness scorer and write its weights file.

    .venv/bin/python scripts/train_checkworthiness.py \
        [--data ../shared/data/claimbuster/train.json] \
        [--out claims/extraction/data/checkworthiness.json.gz]

Reproducible: the held-out fifth (stratified by label) and the cross-validation folds come from
the fixed seed in ``claims.extraction.evaluation``, the solvers are deterministic, and the file
is written with sorted keys and no timestamp, so two runs on one machine write the same bytes.
On another CPU the BLAS kernels numpy picks can move the sixth decimal of a few weights; the
shipped file is "the same model" when every weight is within ``SAME_MODEL_TOLERANCE``
(``claims.extraction.weights.model_differences``), which is what the tests check.

1. Split ClaimBuster's sentences: a stratified fifth is held out, the rest is for training.
2. Fit TF-IDF word and character n-gram vocabularies on the training part.
3. Fit a logistic regression on each, and a naive Bayes on which word n-grams occur; keep their
   out-of-fold scores (5 folds) so the stacking model learns from scores the base models did
   not see their own labels for.
4. Fit the stacking logistic regression on those scores plus the hand-made features; pick the
   F1-maximising threshold on its own out-of-fold probabilities (never on the held-out part).
5. Export vocabulary, idf and coefficients; reload them through the runtime scorer and check it
   reproduces scikit-learn's probabilities; report metrics on the held-out fifth.

The hyperparameters below were chosen by the same cross-validation on the training part; the
alternatives tried are listed in the README. Needs scikit-learn (a development dependency); the
runtime scorer does not. ``scripts/train_checkworthiness_embedding.py`` reuses :func:`fit_linear`
for the optional embedding scorer.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
# One BLAS thread: a multi-threaded sum adds in an order that depends on the core count, which
# moves the sixth decimal the weights are written with, and then the file is not reproducible.
for _threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_threads] = "1"

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_predict  # noqa: E402
from sklearn.naive_bayes import MultinomialNB  # noqa: E402

from claims.extraction import evaluation  # noqa: E402
from claims.extraction.features import (  # noqa: E402
    DENSE_FEATURES,
    char_ngrams,
    dense_features,
    word_ngrams,
)
from claims.extraction.scorer import FORMAT_VERSION, MODEL_PATH, CheckworthinessScorer  # noqa: E402

BASE_C = 5.0  # inverse regularisation of the two n-gram models
META_C = 1.0  # and of the stacking model
MIN_DF = 2  # an n-gram seen in one training sentence only says nothing general
NB_ALPHA = 0.3  # naive Bayes smoothing
FOLDS = 5


@dataclass
class LinearFit:
    """The fitted default model and what the optional embedding scorer stacks on."""

    model: dict  # the weights file's content, without metrics
    out_of_fold: np.ndarray  # (n, 3): word, char and naive Bayes scores, each out of fold
    dense: np.ndarray  # (n, len(DENSE_FEATURES))
    meta_out_of_fold: np.ndarray  # the stacking model's out-of-fold probabilities
    reference: Callable[[list[str]], np.ndarray]  # scikit-learn's probabilities, to check export


def cross_validation_folds() -> StratifiedKFold:
    return StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=evaluation.SEED)


def write_gzipped_json(model: dict, out: Path) -> None:
    """Sorted keys, no white space, no timestamp in the gzip header: same model, same bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as handle:
        handle.write(json.dumps(model, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buffer.getvalue())


def _base_model() -> LogisticRegression:
    return LogisticRegression(C=BASE_C, max_iter=5000, solver="liblinear")


def _export_linear(vectorizer: TfidfVectorizer, model: LogisticRegression) -> dict:
    terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    return {
        "terms": terms,
        "idf": [round(float(v), 6) for v in vectorizer.idf_],
        "coef": [round(float(v), 6) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
    }


def _export_bayes(vectorizer: CountVectorizer, model: MultinomialNB) -> dict:
    terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    log_ratio = model.feature_log_prob_[1] - model.feature_log_prob_[0]
    return {
        "terms": terms,
        "weight": [round(float(v), 6) for v in log_ratio],
        "intercept": round(float(model.class_log_prior_[1] - model.class_log_prior_[0]), 6),
    }


def _bayes_decision(model: MultinomialNB, matrix: object) -> np.ndarray:
    log_proba = model.predict_log_proba(matrix)
    return log_proba[:, 1] - log_proba[:, 0]


def fit_linear(train: list[evaluation.Example], *, verbose: bool = True) -> LinearFit:
    """Steps 2–4 of the module docstring, on the training part only."""
    texts = [e.text for e in train]
    labels = np.array([e.label for e in train])
    folds = cross_validation_folds()
    blocks = {}
    out_of_fold = []
    for name, analyzer in (("word", word_ngrams), ("char", char_ngrams)):
        vectorizer = TfidfVectorizer(analyzer=analyzer, min_df=MIN_DF, sublinear_tf=True)
        matrix = vectorizer.fit_transform(texts)
        out_of_fold.append(
            cross_val_predict(_base_model(), matrix, labels, cv=folds, method="decision_function")
        )
        blocks[name] = (vectorizer, _base_model().fit(matrix, labels))
        if verbose:
            print(f"  {name}: {len(vectorizer.vocabulary_)} n-grams")

    counter = CountVectorizer(analyzer=word_ngrams, min_df=MIN_DF, binary=True)
    occurrences = counter.fit_transform(texts)
    bayes_oof = np.zeros(len(texts))
    for fit_rows, score_rows in folds.split(occurrences, labels):
        fold_model = MultinomialNB(alpha=NB_ALPHA).fit(occurrences[fit_rows], labels[fit_rows])
        bayes_oof[score_rows] = _bayes_decision(fold_model, occurrences[score_rows])
    out_of_fold.append(bayes_oof)
    bayes = MultinomialNB(alpha=NB_ALPHA).fit(occurrences, labels)

    dense = np.array([dense_features(t) for t in texts])
    stacked = np.column_stack([*out_of_fold, dense])
    meta = LogisticRegression(C=META_C, max_iter=5000, solver="liblinear")
    meta_oof = cross_val_predict(meta, stacked, labels, cv=folds, method="predict_proba")[:, 1]
    threshold = evaluation.best_threshold(labels.tolist(), meta_oof.tolist())
    meta.fit(stacked, labels)

    model = {
        "format": FORMAT_VERSION,
        "trained_on": "ClaimBuster two-class train.json, training part of the seeded split",
        "seed": evaluation.SEED,
        "word": _export_linear(*blocks["word"]),
        "char": _export_linear(*blocks["char"]),
        "bayes": _export_bayes(counter, bayes),
        "meta": {
            "inputs": ["word", "char", "bayes", *DENSE_FEATURES],
            "coef": [round(float(v), 6) for v in meta.coef_[0]],
            "intercept": round(float(meta.intercept_[0]), 6),
        },
        "threshold": round(threshold, 6),
    }

    def reference(new_texts: list[str]) -> np.ndarray:
        columns = [m.decision_function(v.transform(new_texts)) for v, m in blocks.values()]
        columns.append(_bayes_decision(bayes, counter.transform(new_texts)))
        inputs = np.column_stack([*columns, np.array([dense_features(t) for t in new_texts])])
        return meta.predict_proba(inputs)[:, 1]

    return LinearFit(model, np.column_stack(out_of_fold), dense, meta_oof, reference)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=evaluation.claimbuster_path())
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()

    examples = evaluation.load_examples(args.data)
    train, heldout = evaluation.stratified_holdout(examples)
    print(f"{len(train)} training and {len(heldout)} held-out sentences (seed {evaluation.SEED}).")
    fit = fit_linear(train)
    model = fit.model
    labels = [e.label for e in train]
    cross_validated = evaluation.evaluate(labels, fit.meta_out_of_fold.tolist(), model["threshold"])

    # The held-out fifth, scored by scikit-learn and by the exported runtime scorer.
    heldout_texts = [e.text for e in heldout]
    heldout_labels = [e.label for e in heldout]
    scorer = CheckworthinessScorer.from_dict(json.loads(json.dumps(model)))
    started = time.perf_counter()
    scores = scorer.score_many(heldout_texts)
    per_sentence_ms = (time.perf_counter() - started) * 1000 / len(heldout_texts)
    drift = float(np.max(np.abs(np.array(scores) - fit.reference(heldout_texts))))
    if drift > 1e-4:
        print(f"The runtime scorer differs from scikit-learn by {drift:.2e}.", file=sys.stderr)
        return 1

    metrics = evaluation.evaluate(heldout_labels, scores, model["threshold"])
    at_half = evaluation.evaluate(heldout_labels, scores, 0.5)
    model["metrics"] = {"heldout": metrics.as_dict(), "heldout_at_0.5": at_half.as_dict()}
    write_gzipped_json(model, args.out)

    threshold = model["threshold"]
    print(
        f"Cross-validated on the training part: F1 {cross_validated.f1:.3f}  "
        f"ROC AUC {cross_validated.roc_auc:.4f}"
    )
    print(f"Held-out fifth ({metrics.n} sentences), threshold {threshold:.3f} from training:")
    print(f"  precision {metrics.precision:.3f}  recall {metrics.recall:.3f}  F1 {metrics.f1:.3f}")
    print(f"  macro F1 {metrics.macro_f1:.3f}  ROC AUC {metrics.roc_auc:.4f}")
    print(
        f"  at 0.5: precision {at_half.precision:.3f}  recall {at_half.recall:.3f}  "
        f"F1 {at_half.f1:.3f}  macro F1 {at_half.macro_f1:.3f}"
    )
    print(f"  runtime scorer: {per_sentence_ms:.3f} ms a sentence, max drift {drift:.1e}")
    print(f"Wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
