"""The SQL pieces the overview's figures are built from.

Medians: on PostgreSQL ``percentile_cont(0.5)`` computes them in the database, one value per
group, however many rows there are. Other databases (SQLite, the laptop default) have no
ordered-set aggregates; there one ``values_list`` query brings the pairs of times and Python
takes the median. Either way a median costs one query, so the page's query count does not grow
with the desk; only the SQLite fallback's transfer does, which a laptop-sized desk can afford.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import (
    Aggregate,
    CharField,
    Count,
    DateTimeField,
    Expression,
    F,
    FloatField,
    Func,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, NullIf


def published_verdict(prefix: str = "") -> Coalesce:
    """The verdict a published claim carries: the rating the signing editor chose when there is
    one, else the consensus of the reviews (``prefix`` reaches the claim from a related row,
    e.g. ``"claim__"``)."""
    return Coalesce(
        NullIf(F(f"{prefix}published_rating"), Value("")),
        F(f"{prefix}consensus_rating"),
        output_field=CharField(),
    )


class EpochSeconds(Func):
    """Seconds from the second expression to the first (PostgreSQL: ``end - start`` is an
    interval, and ``EXTRACT(EPOCH …)`` reads it in seconds)."""

    template = "EXTRACT(EPOCH FROM (%(expressions)s))::double precision"
    arg_joiner = " - "
    output_field = FloatField()


class Median(Aggregate):
    """PostgreSQL's continuous median of a numeric expression."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass(frozen=True)
class Span:
    """The median length of a set of time spans, and how many spans it is taken over."""

    seconds: float
    count: int


def now_value(now: dt.datetime) -> Value:
    return Value(now, output_field=DateTimeField())


def _expression(value: str | Expression) -> Expression:
    return F(value) if isinstance(value, str) else value


def median_seconds(
    queryset: QuerySet,
    *,
    start: str | Expression,
    end: str | Expression,
    group_by: str | None = None,
) -> dict[Hashable, Span]:
    """The median of ``end − start`` in seconds over the rows, in one query.

    With ``group_by`` (a field name) the result maps each group's value to its :class:`Span`
    (median and number of spans); without it, the one span is under the key ``None``. Rows
    where either time is missing are left out; a group with no rows left is absent.
    """
    queryset = queryset.order_by()
    start, end = _expression(start), _expression(end)
    if connections[queryset.db].vendor == "postgresql":
        seconds = EpochSeconds(end, start)
        figures = {"median": Median(seconds), "count": Count(seconds)}
        if group_by is None:
            rows = [queryset.aggregate(**figures)]
        else:
            rows = queryset.values(group_by).annotate(**figures)
        return {
            row[group_by] if group_by is not None else None: Span(row["median"], row["count"])
            for row in rows
            if row["median"] is not None
        }
    return _median_in_python(queryset, start=start, end=end, group_by=group_by)


def _median_in_python(
    queryset: QuerySet, *, start: Expression, end: Expression, group_by: str | None
) -> dict[Hashable, Span]:
    fields: list[Any] = ["_median_start", "_median_end"]
    if group_by is not None:
        fields.insert(0, group_by)
    rows = queryset.annotate(_median_start=start, _median_end=end).values_list(*fields)
    spans: dict[Hashable, list[float]] = defaultdict(list)
    for row in rows:
        key = row[0] if group_by is not None else None
        began, ended = row[-2], row[-1]
        if began is not None and ended is not None:
            spans[key].append((ended - began).total_seconds())
    return {key: Span(statistics.median(values), len(values)) for key, values in spans.items()}
