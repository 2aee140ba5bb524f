"""Whether a refit weights file is the shipped one (the training scripts' and tests' check)."""

from __future__ import annotations

# How far a refit weight may be from the shipped one and still be the same model. The fit is
# deterministic on one machine, but the BLAS kernels numpy picks for a CPU sum in another order,
# which moves the 6th decimal of a few weights; 1e-4 is far below anything that changes a score.
SAME_MODEL_TOLERANCE = 1e-4


def model_differences(refit: object, shipped: object, path: str = "") -> list[str]:
    """Where two weights files differ beyond :data:`SAME_MODEL_TOLERANCE`: a number too far
    off, a string, a key or a length that is not the same. Empty: the same model."""
    if isinstance(refit, bool) or isinstance(shipped, bool) or isinstance(refit, str):
        return [] if refit == shipped else [f"{path}: {refit!r} != {shipped!r}"]
    if isinstance(refit, int | float) and isinstance(shipped, int | float):
        close = abs(refit - shipped) <= SAME_MODEL_TOLERANCE
        return [] if close else [f"{path}: {refit} != {shipped}"]
    if isinstance(refit, dict) and isinstance(shipped, dict):
        if set(refit) != set(shipped):
            return [f"{path}: keys {sorted(set(refit) ^ set(shipped))} differ"]
        return [
            d for k in sorted(refit) for d in model_differences(refit[k], shipped[k], f"{path}/{k}")
        ]
    if isinstance(refit, list) and isinstance(shipped, list):
        if len(refit) != len(shipped):
            return [f"{path}: {len(refit)} items != {len(shipped)}"]
        return [
            d
            for i, (a, b) in enumerate(zip(refit, shipped, strict=True))
            for d in model_differences(a, b, f"{path}[{i}]")
        ]
    return [] if refit == shipped else [f"{path}: {refit!r} != {shipped!r}"]
