"""The held-out split and the metrics the check-worthiness scorer is judged by.

Pure Python on purpose: the training script and the test that re-checks the shipped weights
use the same split and the same arithmetic, and the test needs no scikit-learn.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

# The seed behind the held-out fifth (and the cross-validation folds in training).
SEED = 20231107
HELDOUT_FRACTION = 0.2


@dataclass(frozen=True)
class Example:
    text: str
    label: int


def claimbuster_path() -> Path:
    """``../shared/data/claimbuster/train.json`` relative to the project root."""
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "claimbuster" / "train.json"


def load_examples(path: Path) -> list[Example]:
    """The labelled sentences, in the file's order of sentence ids (the file's own order may
    change between copies; the ids do not)."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows.sort(key=lambda row: int(row["sentence_id"]))
    return [Example(text=row["text"], label=int(row["label"])) for row in rows]


def stratified_holdout(
    examples: Sequence[Example], *, seed: int = SEED, fraction: float = HELDOUT_FRACTION
) -> tuple[list[Example], list[Example]]:
    """(training, held-out): a shuffled ``fraction`` of each class is held out."""
    rng = random.Random(seed)
    train: list[Example] = []
    heldout: list[Example] = []
    for label in sorted({e.label for e in examples}):
        members = [e for e in examples if e.label == label]
        rng.shuffle(members)
        cut = round(len(members) * fraction)
        heldout.extend(members[:cut])
        train.extend(members[cut:])
    return train, heldout


@dataclass(frozen=True)
class Metrics:
    precision: float
    recall: float
    f1: float
    macro_f1: float
    roc_auc: float
    threshold: float
    n: int

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in self.__dict__.items()}


def roc_auc(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Area under the ROC curve: the chance a random positive outscores a random negative
    (ties count half), computed from ranks."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    positives = sum(labels)
    negatives = len(labels) - positives
    rank_sum = sum(r for r, y in zip(ranks, labels, strict=True) if y == 1)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(labels: Sequence[int], scores: Sequence[float], threshold: float) -> Metrics:
    """Precision, recall and F1 of the check-worthy class (1) at ``threshold``, the macro F1
    over both classes, and ROC AUC."""
    predicted = [s >= threshold for s in scores]
    tp = sum(1 for p, y in zip(predicted, labels, strict=True) if p and y == 1)
    fp = sum(1 for p, y in zip(predicted, labels, strict=True) if p and y == 0)
    fn = sum(1 for p, y in zip(predicted, labels, strict=True) if not p and y == 1)
    tn = len(labels) - tp - fp - fn
    precision, recall, f1 = _f1(tp, fp, fn)
    _, _, f1_negative = _f1(tn, fn, fp)
    return Metrics(
        precision=precision,
        recall=recall,
        f1=f1,
        macro_f1=(f1 + f1_negative) / 2,
        roc_auc=roc_auc(labels, scores),
        threshold=threshold,
        n=len(labels),
    )


def best_threshold(labels: Sequence[int], scores: Sequence[float]) -> float:
    """The score cut that maximises F1 of class 1 (used on out-of-fold training scores only).

    One sweep down the sorted scores: at each distinct score, everything at or above it is
    predicted check-worthy.
    """
    pairs = sorted(zip(scores, labels, strict=True), reverse=True)
    positives = sum(labels)
    tp = fp = 0
    best_f1, best = -1.0, pairs[0][0]
    for i, (score, label) in enumerate(pairs):
        tp += label
        fp += 1 - label
        if i + 1 < len(pairs) and pairs[i + 1][0] == score:
            continue
        _, _, f1 = _f1(tp, fp, positives - tp)
        if f1 > best_f1:
            best_f1, best = f1, score
    return float(best)
