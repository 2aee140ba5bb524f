"""One line per benchmark, the table they make, and the JSON the run writes."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Line:
    """``ratio = figure ÷ ceiling``, checked against ``target`` (``>= x``, ``<= x`` or
    ``report``). ``unavailable`` says why a benchmark has no figure."""

    key: str
    name: str
    unit: str
    target: str
    figure: float | None = None
    ceiling: float | None = None
    ceiling_name: str = ""
    unavailable: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.figure is None or not self.ceiling:
            return None
        return self.figure / self.ceiling

    @property
    def verdict(self) -> str:
        if self.unavailable:
            return "n/a"
        ratio = self.ratio
        if ratio is None:
            return "FAIL"
        if self.details.get("failed"):
            return "FAIL"
        if self.target == "report":
            return "report"
        sign, value = self.target.split()
        ok = ratio >= float(value) if sign == ">=" else ratio <= float(value)
        return "pass" if ok else "FAIL"

    def as_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "verdict": self.verdict,
        }


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if abs(value) >= 1 else f"{value:.3f}"


def table(lines: list[Line]) -> str:
    """A Markdown table: benchmark, figure, ceiling, ratio, target, pass/fail."""
    head = "| # | benchmark | figure | ceiling | ratio | target | result |"
    rows = [head, "|---|---|---|---|---|---|---|"]
    for line in lines:
        if line.unavailable:
            rows.append(
                f"| {line.key} | {line.name} | unavailable: {line.unavailable} | — | — | "
                f"{line.target} | n/a |"
            )
            continue
        ceiling = f"{_number(line.ceiling)} {line.unit}"
        if line.ceiling_name:
            ceiling += f" ({line.ceiling_name})"
        rows.append(
            f"| {line.key} | {line.name} | {_number(line.figure)} {line.unit} | {ceiling} | "
            f"{_number(line.ratio)} | {line.target} | {line.verdict} |"
        )
    return "\n".join(rows)


def write_json(path: Path, lines: list[Line], meta: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"meta": meta, "benchmarks": [line.as_dict() for line in lines]}
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
