"""The held-out split and the metrics the check-worthiness scorer is judged by, in pure Python so
the training scripts and the tests share them without scikit-learn."""

from __future__ import annotations

import csv
import io
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
    """The score cut that maximises F1 of class 1 (on out-of-fold training scores), in one
    sweep down the sorted scores."""
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


# --- Ranking: which sentences of a debate to check first (CLEF CheckThat! Task 1) -------------


@dataclass(frozen=True)
class DebateLine:
    """One labelled sentence of a debate or speech, in the debate's order."""

    debate: str
    line: int
    speaker: str | None
    text: str
    label: int


def clef_path() -> Path:
    """``../shared/data/clef19/CT19-T1-Training.csv`` relative to the project root."""
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "clef19" / "CT19-T1-Training.csv"


def group_debates(lines: Sequence[DebateLine]) -> dict[str, list[DebateLine]]:
    """Each debate's lines in line-number order, debates in name order."""
    debates: dict[str, list[DebateLine]] = {}
    for line in lines:
        debates.setdefault(line.debate, []).append(line)
    return {name: sorted(debates[name], key=lambda x: x.line) for name in sorted(debates)}


def average_precision(ranked_labels: Sequence[int]) -> float:
    """Mean of the precision at each relevant item's rank (0 when nothing is relevant), as the
    CheckThat! scorer computes it."""
    hits = 0
    total = 0.0
    for rank, label in enumerate(ranked_labels, start=1):
        if label:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def precision_at(ranked_labels: Sequence[int], k: int) -> float:
    """Share of check-worthy lines among the first ``k`` (divided by ``k`` even when the debate
    is shorter, as the task's scorer does)."""
    return sum(ranked_labels[:k]) / k


def r_precision(ranked_labels: Sequence[int]) -> float:
    """Precision at R, R being how many lines are check-worthy."""
    relevant = sum(ranked_labels)
    return sum(ranked_labels[:relevant]) / relevant if relevant else 0.0


RANK_CUTS = (5, 10, 20)


@dataclass(frozen=True)
class RankingMetrics:
    average_precision: float
    r_precision: float
    precision_at: dict[int, float]
    n: int
    positives: int


def rank_metrics(labels: Sequence[int], scores: Sequence[float]) -> RankingMetrics:
    """How well ``scores`` rank one debate's lines: highest score first, ties in line order."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    ranked_labels = [labels[i] for i in order]
    return RankingMetrics(
        average_precision=average_precision(ranked_labels),
        r_precision=r_precision(ranked_labels),
        precision_at={k: precision_at(ranked_labels, k) for k in RANK_CUTS},
        n=len(labels),
        positives=sum(labels),
    )


def mean_ranking(per_debate: Sequence[RankingMetrics]) -> RankingMetrics:
    """The macro average over debates (MAP, mean R-precision, mean P@k)."""
    count = len(per_debate)
    return RankingMetrics(
        average_precision=sum(m.average_precision for m in per_debate) / count,
        r_precision=sum(m.r_precision for m in per_debate) / count,
        precision_at={k: sum(m.precision_at[k] for m in per_debate) / count for k in RANK_CUTS},
        n=sum(m.n for m in per_debate),
        positives=sum(m.positives for m in per_debate),
    )


# --- Labelled files anyone can bring: CLEF's CSV/TSV layout or ClaimBuster's JSON -------------


class LabelledFileError(ValueError):
    """The file is not labelled sentences in a layout this module reads."""


CSV_COLUMNS = ("line_number", "speaker", "text", "label", "file_name")


def _label(value: object, where: str) -> int:
    text = str(value).strip()
    if text not in {"0", "1"}:
        raise LabelledFileError(f"{where}: the label is {value!r}; it must be 0 or 1.")
    return int(text)


def _line_number(value: object, where: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise LabelledFileError(
            f"{where}: the line number {value!r} is not a whole number."
        ) from None


def _json_lines(rows: object, name: str) -> list[DebateLine]:
    if not isinstance(rows, list):
        raise LabelledFileError(f"{name}: the JSON must be a list of {{text, label}} objects.")
    lines = []
    for index, row in enumerate(rows):
        where = f"{name}, item {index + 1}"
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or "label" not in row:
            raise LabelledFileError(f"{where}: each item needs a text string and a label.")
        number = row.get("line_number", row.get("sentence_id", index))
        debate = row.get("file_name") or row.get("debate") or ""
        lines.append(
            DebateLine(
                debate=str(debate),
                line=_line_number(number, where),
                speaker=(str(row["speaker"]).strip() or None) if row.get("speaker") else None,
                text=row["text"],
                label=_label(row["label"], where),
            )
        )
    return lines


def _table_lines(text: str, name: str) -> list[DebateLine]:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") >= first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise LabelledFileError(f"{name}: the file is empty.")
    header = [c.strip().lower() for c in rows[0]]
    if {"text", "label"} <= set(header):
        body, columns = rows[1:], header
    elif len(rows[0]) >= 4 and rows[0][0].strip().isdigit():
        # CLEF's per-debate files: line number, speaker, text, label, no header.
        body, columns = rows, list(CSV_COLUMNS[: len(rows[0])])
    else:
        raise LabelledFileError(
            f"{name}: expected a header with text and label columns ({', '.join(CSV_COLUMNS)}) "
            "or CLEF's line_number, speaker, text, label rows."
        )
    default_debate = "" if "file_name" in columns else Path(name).name
    lines = []
    for index, row in enumerate(body, start=2 if body is not rows else 1):
        if not any(cell.strip() for cell in row):
            continue
        where = f"{name}, line {index}"
        if len(row) != len(columns):
            raise LabelledFileError(
                f"{where}: {len(row)} fields where the header has {len(columns)}."
            )
        record = dict(zip(columns, row, strict=True))
        speaker = record.get("speaker", "").strip()
        lines.append(
            DebateLine(
                debate=record.get("file_name", default_debate).strip() or default_debate,
                line=_line_number(record.get("line_number", index), where),
                speaker=speaker or None,
                text=record["text"],
                label=_label(record["label"], where),
            )
        )
    return lines


def load_labelled(path: Path) -> list[DebateLine]:
    """Labelled sentences from a JSON list (ClaimBuster's ``{sentence_id, text, label}``,
    optionally ``speaker`` and ``file_name``) or CSV/TSV in CLEF's layout; else
    :class:`LabelledFileError` naming the line at fault."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise LabelledFileError(f"{path}: {error.strerror or error}.") from None
    except UnicodeDecodeError:
        raise LabelledFileError(f"{path}: the file is not UTF-8 text.") from None
    if text.lstrip().startswith(("[", "{")):
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as error:
            raise LabelledFileError(
                f"{path}: not valid JSON ({error.msg}, line {error.lineno})."
            ) from None
        lines = _json_lines(rows, str(path))
    else:
        lines = _table_lines(text, str(path))
    if not lines:
        raise LabelledFileError(f"{path}: no labelled sentences.")
    return lines


@dataclass(frozen=True)
class FileReport:
    """What ``manage.py evaluate_checkworthiness`` prints for one labelled file."""

    sentences: Metrics
    debates: dict[str, RankingMetrics]  # only the file's debates with a check-worthy line
    mean: RankingMetrics | None


def heldout_lines(lines: Sequence[DebateLine]) -> list[DebateLine]:
    """The seeded held-out fifth of a ClaimBuster-style file, as the training scripts hold it."""
    ordered = sorted(lines, key=lambda x: x.line)
    _, heldout = stratified_holdout([Example(text=x.text, label=x.label) for x in ordered])
    return [
        DebateLine(debate="", line=i, speaker=None, text=e.text, label=e.label)
        for i, e in enumerate(heldout)
    ]


def evaluate_lines(lines: Sequence[DebateLine], scorer: object) -> FileReport:
    """Score ``lines`` as ingestion does (each debate as one document, in order with its
    speakers; lines outside a debate one by one); precision, recall, F1 and ROC AUC over every
    line, and the ranking metrics of each debate with a check-worthy line and their means."""
    labels: list[int] = []
    scores: list[float] = []
    debates: dict[str, RankingMetrics] = {}
    for name, debate in group_debates(lines).items():
        if name:
            found = scorer.score_many([x.text for x in debate], [x.speaker for x in debate])
        else:
            found = [scorer.score(x.text) for x in debate]
        debate_labels = [x.label for x in debate]
        labels.extend(debate_labels)
        scores.extend(found)
        if name and any(debate_labels):
            debates[name] = rank_metrics(debate_labels, found)
    if len(set(labels)) < 2:
        raise LabelledFileError("The file needs both check-worthy (1) and other (0) lines.")
    return FileReport(
        sentences=evaluate(labels, scores, scorer.threshold),
        debates=debates,
        mean=mean_ranking(list(debates.values())) if debates else None,
    )
