"""One line per benchmark, the table they make, and the JSON the run writes.

Every line is measured in rounds (three unless the run is told otherwise): each round gives a
figure and its ceiling, taken minutes or seconds apart under the same conditions. The line's
ratio is the median of the rounds' ratios; its spread is their lowest and highest, so that a
pass can be told from noise. The figure and ceiling the table shows are the median round's.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Round:
    """One round of a benchmark: its figure and the ceiling measured beside it."""

    figure: float
    ceiling: float

    @property
    def ratio(self) -> float | None:
        return self.figure / self.ceiling if self.ceiling else None


@dataclass
class Line:
    """``ratio = figure ÷ ceiling`` per round, the median checked against ``target``
    (``>= x``, ``<= x`` or ``report``). ``unavailable`` says why a benchmark has no figure;
    ``failed`` why its figures do not count (errors in the load, a check that did not hold)."""

    key: str
    name: str
    unit: str
    target: str
    rounds: list[Round] = field(default_factory=list)
    ceiling_name: str = ""
    unavailable: str = ""
    failed: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def median_round(self) -> Round | None:
        """The round whose ratio is the median (the lower middle one for an even count)."""
        measured = sorted((r for r in self.rounds if r.ratio is not None), key=lambda r: r.ratio)
        return measured[(len(measured) - 1) // 2] if measured else None

    @property
    def figure(self) -> float | None:
        middle = self.median_round
        return middle.figure if middle else None

    @property
    def ceiling(self) -> float | None:
        middle = self.median_round
        return middle.ceiling if middle else None

    @property
    def ratio(self) -> float | None:
        middle = self.median_round
        return middle.ratio if middle else None

    @property
    def spread(self) -> tuple[float, float] | None:
        ratios = [r.ratio for r in self.rounds if r.ratio is not None]
        return (min(ratios), max(ratios)) if ratios else None

    @property
    def verdict(self) -> str:
        if self.unavailable:
            return "n/a"
        ratio = self.ratio
        if ratio is None or self.failed:
            return "FAIL"
        if self.target == "report":
            return "report"
        sign, value = self.target.split()
        ok = ratio >= float(value) if sign == ">=" else ratio <= float(value)
        return "pass" if ok else "FAIL"

    def as_dict(self) -> dict[str, Any]:
        spread = self.spread
        return {
            **asdict(self),
            "rounds": [
                {**asdict(r), "ratio": None if r.ratio is None else round(r.ratio, 3)}
                for r in self.rounds
            ],
            "figure": self.figure,
            "ceiling": self.ceiling,
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "spread": None if spread is None else [round(x, 3) for x in spread],
            "verdict": self.verdict,
        }


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if abs(value) >= 1 else f"{value:.3f}"


def table(lines: list[Line]) -> str:
    """A Markdown table: benchmark, figure, ceiling, ratio (median of the rounds), spread,
    target, pass/fail."""
    head = "| # | benchmark | figure | ceiling | ratio | spread | target | result |"
    rows = [head, "|---|---|---|---|---|---|---|---|"]
    for line in lines:
        if line.unavailable:
            rows.append(
                f"| {line.key} | {line.name} | unavailable: {line.unavailable} | — | — | — | "
                f"{line.target} | n/a |"
            )
            continue
        ceiling = f"{_number(line.ceiling)} {line.unit}"
        if line.ceiling_name:
            ceiling += f" ({line.ceiling_name})"
        spread = line.spread
        spread_text = f"{_number(spread[0])}–{_number(spread[1])}" if spread else "—"
        verdict = line.verdict + (f": {line.failed}" if line.failed else "")
        rows.append(
            f"| {line.key} | {line.name} | {_number(line.figure)} {line.unit} | {ceiling} | "
            f"{_number(line.ratio)} | {spread_text} ({len(line.rounds)}) | {line.target} | "
            f"{verdict} |"
        )
    return "\n".join(rows)


def write_json(path: Path, lines: list[Line], meta: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"meta": meta, "benchmarks": [line.as_dict() for line in lines]}
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
