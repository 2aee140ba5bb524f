"""Fit the optional embedding check-worthiness scorer and write its weights file.

    .venv/bin/pip install -r requirements-embed.txt   # once: torch (CPU), sentence-transformers
    .venv/bin/python scripts/train_checkworthiness_embedding.py \
        [--data ../shared/data/claimbuster/train.json] \
        [--out claims/extraction/data/checkworthiness-embedding.json.gz]

About 35 minutes on two (shared) CPU cores. Seeded (the split, the folds, the adapters' start, the
batches), single-threaded in its reductions' order, so a rerun on the same machine writes the
same numbers; another CPU may differ in the last digits.

1. Same split as the default scorer. Refit the default's n-gram models (deterministic) to get
   their out-of-fold scores, and check they are the ones in the shipped default weights file.
2. Keep the training part's first cross-validation fold (a fifth of it) for validation; on the
   other four, fit low-rank adapters on the packaged encoder's linear maps and a linear head on
   its sentence embedding (binary cross-entropy, AdamW, warm-up then linear decay).
3. On the validation fold, fit the stacking logistic regression on the head's score plus the
   default's out-of-fold n-gram scores and hand-made features; pick the F1-maximising threshold
   on its out-of-fold probabilities within that fold (never on the held-out fifth).
4. Export adapters, head and stacking weights; reload them through the runtime scorer (a fresh
   encoder with the adapters merged) and check it reproduces the trained model's probabilities;
   report metrics on the held-out fifth.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

# The default's training script, beside this one, sets Django up before claims is imported.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
import torch
import train_checkworthiness as linear_training
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from claims.extraction import evaluation
from claims.extraction.embedding import (
    ADAPTED,
    EMBEDDING_MODEL_PATH,
    EMBEDDING_SCALE,
    ENCODER_PACKAGE,
    FORMAT_VERSION,
    EmbeddingScorer,
    load_encoder,
    sha256_of,
)
from claims.extraction.features import DENSE_FEATURES, normalise
from claims.extraction.scorer import MODEL_PATH, get_linear_scorer, read_model

RANK = 8  # of each adapter
ALPHA = 16.0  # adapters' update is scaled by ALPHA / RANK
EPOCHS = 5  # chosen by the validation fold: 3 epochs gave F1 0.827, 5 gave 0.832
BATCH = 32
LEARNING_RATE = 5e-4
WEIGHT_DECAY = 0.01
WARMUP = 0.06  # share of the steps over which the learning rate rises
META_C = 1.0
DIGITS = 5  # significant digits kept in the weights file


class Adapted(torch.nn.Module):
    """A frozen linear map plus a trainable low-rank update: ``W x + scale · B A x`` (LoRA).

    ``B`` starts at zero, so training starts from the packaged encoder exactly."""

    def __init__(self, base: torch.nn.Linear, generator: torch.Generator) -> None:
        super().__init__()
        self.base = base
        bound = 1 / math.sqrt(base.in_features)
        start = (torch.rand(RANK, base.in_features, generator=generator) * 2 - 1) * bound
        self.a = torch.nn.Parameter(start)
        self.b = torch.nn.Parameter(torch.zeros(base.out_features, RANK))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.a.T @ self.b.T) * (ALPHA / RANK)


def attach_adapters(encoder: object, generator: torch.Generator) -> dict[str, Adapted]:
    """Wrap each encoder layer's linear maps named in ``ADAPTED``; freeze everything else."""
    for parameter in encoder.parameters():
        parameter.requires_grad_(False)
    adapters = {}
    for index, layer in enumerate(encoder[0].auto_model.encoder.layer):
        for path in ADAPTED:
            parent_path, _, name = path.rpartition(".")
            parent = layer.get_submodule(parent_path)
            adapted = Adapted(getattr(parent, name), generator)
            setattr(parent, name, adapted)
            adapters[f"encoder.layer.{index}.{path}"] = adapted
    return adapters


def head_logits(encoder: object, head: torch.nn.Linear, texts: list[str]) -> torch.Tensor:
    features = encoder.preprocess([normalise(t) for t in texts])
    embedding = encoder(features)["sentence_embedding"]
    return head(embedding * EMBEDDING_SCALE).squeeze(-1)


def predict(encoder: object, head: torch.nn.Linear, texts: list[str]) -> np.ndarray:
    encoder.eval()
    with torch.no_grad():
        parts = [head_logits(encoder, head, texts[i : i + 128]) for i in range(0, len(texts), 128)]
    return torch.cat(parts).numpy().astype(float)


def fine_tune(
    encoder: object, texts: list[str], labels: np.ndarray, watch: tuple[list[str], np.ndarray]
) -> tuple[dict[str, Adapted], torch.nn.Linear]:
    """Step 2: adapters and head on ``texts``; ``watch`` (the validation fold) is only printed."""
    torch.manual_seed(evaluation.SEED)
    generator = torch.Generator().manual_seed(evaluation.SEED)
    adapters = attach_adapters(encoder, generator)
    head = torch.nn.Linear(encoder.get_embedding_dimension(), 1)
    parameters = [p for a in adapters.values() for p in (a.a, a.b)] + list(head.parameters())
    optimiser = torch.optim.AdamW(parameters, lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    steps = EPOCHS * math.ceil(len(texts) / BATCH)

    def rate(step: int) -> float:
        return min(1.0, (step + 1) / (WARMUP * steps)) * max(0.0, (steps - step) / steps)

    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, rate)
    loss_function = torch.nn.BCEWithLogitsLoss()
    order_rng = np.random.default_rng(evaluation.SEED)
    print(f"  fine-tuning {sum(p.numel() for p in parameters)} numbers on {len(texts)} sentences")
    for epoch in range(EPOCHS):
        started = time.perf_counter()
        encoder.train()
        order = order_rng.permutation(len(texts))
        for i in range(0, len(order), BATCH):
            rows = order[i : i + BATCH]
            target = torch.tensor(labels[rows], dtype=torch.float32)
            loss = loss_function(head_logits(encoder, head, [texts[r] for r in rows]), target)
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
        watched = predict(encoder, head, watch[0])
        auc = evaluation.roc_auc(watch[1].tolist(), watched.tolist())
        seconds = time.perf_counter() - started
        print(f"  epoch {epoch + 1}: {seconds:.0f} s, validation AUC {auc:.4f}")
    return adapters, head


def rounded(tensor: torch.Tensor) -> list | float:
    """The tensor as nested lists of floats kept to ``DIGITS`` significant digits."""

    def walk(value: list | float) -> list | float:
        if isinstance(value, list):
            return [walk(v) for v in value]
        return float(f"{value:.{DIGITS}g}")

    return walk(tensor.detach().tolist())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=evaluation.claimbuster_path())
    parser.add_argument("--out", type=Path, default=EMBEDDING_MODEL_PATH)
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)

    train, heldout = evaluation.stratified_holdout(evaluation.load_examples(args.data))
    fit = linear_training.fit_linear(train, verbose=False)
    shipped = {k: v for k, v in read_model(MODEL_PATH).items() if k != "metrics"}
    if json.loads(json.dumps(fit.model)) != shipped:
        message = "The shipped default weights differ from what the default training writes"
        print(f"{message}; run scripts/train_checkworthiness.py first.", file=sys.stderr)
        return 1

    texts = [e.text for e in train]
    labels = np.array([e.label for e in train])
    fit_rows, validation_rows = next(linear_training.cross_validation_folds().split(texts, labels))
    validation_texts = [texts[i] for i in validation_rows]
    validation_labels = labels[validation_rows]
    encoder = load_encoder()
    adapters, head = fine_tune(
        encoder,
        [texts[i] for i in fit_rows],
        labels[fit_rows],
        (validation_texts, validation_labels),
    )

    stacked = np.column_stack(
        [
            predict(encoder, head, validation_texts),
            fit.out_of_fold[validation_rows],
            fit.dense[validation_rows],
        ]
    )
    meta = LogisticRegression(C=META_C, max_iter=5000, solver="liblinear")
    inner = StratifiedKFold(n_splits=5, shuffle=True, random_state=evaluation.SEED)
    meta_oof = cross_val_predict(
        meta, stacked, validation_labels, cv=inner, method="predict_proba"
    )[:, 1]
    threshold = evaluation.best_threshold(validation_labels.tolist(), meta_oof.tolist())
    cross_validated = evaluation.evaluate(validation_labels.tolist(), meta_oof.tolist(), threshold)
    meta.fit(stacked, validation_labels)

    model = {
        "format": FORMAT_VERSION,
        "encoder": ENCODER_PACKAGE,
        "trained_on": "ClaimBuster two-class train.json, training part of the seeded split",
        "seed": evaluation.SEED,
        "linear_sha256": sha256_of(MODEL_PATH),
        "adapters": {
            "rank": RANK,
            "scale": ALPHA / RANK,
            "layers": {n: {"A": rounded(a.a), "B": rounded(a.b)} for n, a in adapters.items()},
        },
        "head": {
            "coef": rounded(head.weight[0]),
            "intercept": rounded(head.bias[0]),
        },
        "meta": {
            "inputs": ["embedding", "word", "char", "bayes", *DENSE_FEATURES],
            "coef": [round(float(v), 6) for v in meta.coef_[0]],
            "intercept": round(float(meta.intercept_[0]), 6),
        },
        "threshold": round(threshold, 6),
        "cross_validation": cross_validated.as_dict(),
    }

    heldout_texts = [e.text for e in heldout]
    heldout_labels = [e.label for e in heldout]
    linear = get_linear_scorer()
    reference = meta.predict_proba(
        np.column_stack(
            [
                predict(encoder, head, heldout_texts),
                np.array([linear.stack_inputs(t) for t in heldout_texts]),
            ]
        )
    )[:, 1]
    scorer = EmbeddingScorer.from_dict(json.loads(json.dumps(model)), linear=linear)
    started = time.perf_counter()
    scores = scorer.score_many(heldout_texts)
    batched_ms = (time.perf_counter() - started) * 1000 / len(heldout_texts)
    started = time.perf_counter()
    for text in heldout_texts[:200]:
        scorer.score(text)
    single_ms = (time.perf_counter() - started) * 1000 / 200
    drift = float(np.max(np.abs(np.array(scores) - reference)))
    if drift > 1e-3:
        print(f"The runtime scorer differs from the trained model by {drift:.2e}.", file=sys.stderr)
        return 1

    metrics = evaluation.evaluate(heldout_labels, scores, threshold)
    model["metrics"] = {"heldout": metrics.as_dict()}
    linear_training.write_gzipped_json(model, args.out)

    print(
        f"Cross-validated on the validation fold ({cross_validated.n} sentences): "
        f"F1 {cross_validated.f1:.3f}  ROC AUC {cross_validated.roc_auc:.4f}"
    )
    print(f"Held-out fifth ({metrics.n} sentences), threshold {threshold:.3f} from training:")
    print(f"  precision {metrics.precision:.3f}  recall {metrics.recall:.3f}  F1 {metrics.f1:.3f}")
    print(f"  macro F1 {metrics.macro_f1:.3f}  ROC AUC {metrics.roc_auc:.4f}")
    print(
        f"  runtime scorer: {single_ms:.1f} ms a sentence alone, {batched_ms:.1f} ms in batches; "
        f"max drift {drift:.1e}"
    )
    print(f"Wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
