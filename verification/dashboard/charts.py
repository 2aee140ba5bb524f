"""Server-rendered SVG charts: the geometry is computed here, the markup is in
``templates/admin/dashboard/`` (``_bars.svg.html`` and ``_columns.svg.html``).

No script and no chart library, so the page works offline and in any browser. Each chart has a
``<title>`` and a ``<desc>`` and is drawn beside a table of the same numbers, whose links are the
keyboard's way to the lists behind them (the bars link there too, for the mouse, but are left
out of the tab order so that a keyboard user does not pass every figure twice).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ChartItem:
    """One figure to draw: a label, a value, the list behind it, and an optional limit (a
    reviewer's capacity) drawn as a mark across the bar."""

    label: str
    value: float
    url: str = ""
    value_text: str = ""
    limit: float | None = None

    @property
    def text(self) -> str:
        return self.value_text or f"{self.value:g}"


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 × 10ⁿ at or above ``value`` (an axis' top), 1 for nothing."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


# --- Horizontal bars: states, ratings, reviewers' load -------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    full_label: str
    value_text: str
    url: str
    y: float  # the bar's top
    text_y: float  # the baseline of the row's label and value
    width: float
    text_x: float  # where the value is written, just past the bar's end
    limit_x: float | None
    limit_top: float
    limit_bottom: float
    over_limit: bool


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]

    @property
    def label_x(self) -> int:
        return self.label_width - 8


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    items: Sequence[ChartItem],
    width: int = 520,
    label_width: int = 150,
) -> BarChart:
    row_height, bar_height, value_room = 26, 16, 70
    plot = width - label_width - value_room
    top = nice_ceiling(max([1, *(i.value for i in items), *(i.limit or 0 for i in items)]))
    bars = []
    for index, item in enumerate(items):
        length = plot * item.value / top
        y = index * row_height + (row_height - bar_height) / 2
        limit_x = None if item.limit is None else label_width + plot * item.limit / top
        bars.append(
            Bar(
                label=clip(item.label, label_width // 7),
                full_label=item.label,
                value_text=item.text,
                url=item.url,
                y=y,
                text_y=y + bar_height - 4,
                width=round(length, 1),
                text_x=round(
                    label_width + max(length, limit_x - label_width if limit_x else 0) + 6, 1
                ),
                limit_x=None if limit_x is None else round(limit_x, 1),
                limit_top=y - 3,
                limit_bottom=y + bar_height + 3,
                over_limit=item.limit is not None and item.value > item.limit,
            )
        )
    return BarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=width,
        height=max(1, len(items)) * row_height,
        label_width=label_width,
        bar_height=bar_height,
        bars=bars,
    )


# --- Columns over time: verdicts per week ---------------------------------------------------


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    label: str  # under the axis; empty where it would crowd its neighbours
    label_x: float
    label_y: float
    full_label: str
    value_text: str
    url: str


@dataclass(frozen=True)
class Tick:
    y: float
    text: str

    @property
    def text_y(self) -> float:
        return self.y + 4


@dataclass(frozen=True)
class ColumnChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    left: int
    right: int
    baseline: float
    ticks: list[Tick]
    columns: list[Column]

    @property
    def tick_x(self) -> int:
        return self.left - 6


def column_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    items: Sequence[ChartItem],
    axis_labels: Sequence[str],
    width: int = 640,
    height: int = 220,
) -> ColumnChart:
    """Columns left to right; ``axis_labels`` are the short labels under the axis (thinned so
    that at most about ten show)."""
    left, top_margin, bottom_margin = 36, 10, 28
    # A few weeks make narrow columns, not slabs: the chart shrinks to fit them.
    slot = min((width - left - 8) / max(1, len(items)), 56)
    width = max(240, round(left + slot * len(items) + 8))
    right = width - 8
    baseline = height - bottom_margin
    plot_height = baseline - top_margin
    top = nice_ceiling(max([1, *(i.value for i in items)]))
    every = max(1, math.ceil(len(items) / 10))
    columns = []
    for index, item in enumerate(items):
        column_height = plot_height * item.value / top
        x = left + index * slot
        columns.append(
            Column(
                x=round(x + slot * 0.1, 1),
                y=round(baseline - column_height, 1),
                width=round(slot * 0.8, 1),
                height=round(column_height, 1),
                label=axis_labels[index] if index % every == 0 else "",
                label_x=round(x + slot / 2, 1),
                label_y=baseline + 16,
                full_label=item.label,
                value_text=item.text,
                url=item.url,
            )
        )
    # Counts: a tick only where it is a whole number.
    ticks = [
        Tick(y=round(baseline - plot_height * fraction, 1), text=f"{top * fraction:g}")
        for fraction in (0, 0.5, 1)
        if float(top * fraction).is_integer()
    ]
    return ColumnChart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=width,
        height=height,
        left=left,
        right=right,
        baseline=baseline,
        ticks=ticks,
        columns=columns,
    )
