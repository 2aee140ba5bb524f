"""Rounds: every benchmark repeats its measurement (not its data set-up) this many times.

Within a round a benchmark measures its figure and its ceiling close together; the rounds give
the line's median ratio and its spread (``bench.report``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

ROUNDS = 3  # ``bench/run.py --rounds`` sets it


def in_turn(loads: dict[str, Callable[[], T]]) -> list[dict[str, T]]:
    """Each load by name, one after another, ``ROUNDS`` times; the order is reversed every
    other round (A B C, C B A, A B C …), so that a machine whose speed drifts during the
    benchmark meets every load alike and none is always first. One dict per round."""
    out: list[dict[str, T]] = []
    names = list(loads)
    for number in range(ROUNDS):
        order = names if number % 2 == 0 else names[::-1]
        measured = {name: loads[name]() for name in order}
        out.append({name: measured[name] for name in names})
    return out
