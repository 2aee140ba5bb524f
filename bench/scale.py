"""6: whether a request's cost depends on the table's size.

Two copies of the desk are served side by side, each by its own gunicorn: one with the small
table (a copy of the benchmark's database taken right after its 10,000 claims and the needles
were made) and one with the large table (the same database grown to 1,000,000 claims, once).
Three latency loads, every list answer built afresh (a cache would hide what the table's size
costs): the filtered list of #1, a full-text search whose answer is the same 50 needle claims
at both sizes, and the claim page of 20 claims spread over the first size's table. Each load
runs at one size and then at the other, the order reversed every other round, three rounds:
each round gives one ratio, p95 at the large size ÷ p95 at the small.
"""

from __future__ import annotations

from bench import rounds
from bench.report import Line, Round
from bench.web import SCALE_SECONDS, WARMUP_SECONDS, Web, failures


def lines(
    *, small: Web, large: Web, claim_ids: list[int], small_size: int, large_size: int
) -> list[Line]:
    small_loads, large_loads = small.scale_loads(claim_ids), large.scale_loads(claim_ids)
    loads = {}
    for label in small_loads:
        loads[f"{label} @small"] = small_loads[label]
        loads[f"{label} @large"] = large_loads[label]
    for run in loads.values():
        run(seconds=WARMUP_SECONDS)
    measured = rounds.in_turn(loads)
    out = []
    for label in small_loads:
        pairs = [{"small": r[f"{label} @small"], "large": r[f"{label} @large"]} for r in measured]
        out.append(
            Line(
                key="6",
                name=f"Scale: p95 of the {label} at {large_size:,} ÷ at {small_size:,}",
                unit="ms",
                target="<= 1.5",
                rounds=[Round(p["large"].p95_ms, p["small"].p95_ms) for p in pairs],
                ceiling_name=f"{small_size:,} claims",
                failed=failures(pairs),
                details={
                    "round_seconds": SCALE_SECONDS,
                    "large": [p["large"].as_dict() for p in pairs],
                    "small": [p["small"].as_dict() for p in pairs],
                },
            )
        )
    return out
