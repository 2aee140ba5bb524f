"""Our quantity parser against quantulum3's own English test cases (read from the installed
package at test time), on the kinds the desk checks: money, counts and percentages."""

import json
from decimal import Decimal
from importlib.resources import files

import pytest

from claims.extraction.quantities import parse_quantities

# quantulum3's unit names → (our kind, our unit or None for any counted noun).
UNITS = {
    "dollar": ("money", "USD"),
    "United States dollar": ("money", "USD"),
    "euro": ("money", "EUR"),
    "pound sterling": ("money", "GBP"),
    "percentage": ("percentage", "%"),
    "dimensionless": ("count", None),
}
# Agreement measured on quantulum3 0.10.0 (README, "Portuguese and Spanish"); a drop fails.
FLOOR = 26 / 44


def _cases() -> list[dict]:
    path = files("quantulum3") / "_lang" / "en_US" / "tests" / "quantities.json"
    return json.loads(path.read_text(encoding="utf-8"))


def agreement() -> tuple[int, int, list[str]]:
    agreed, total, missed = 0, 0, []
    for case in _cases():
        ours = parse_quantities(case["req"])
        for expected in case["res"]:
            if expected["unit"] not in UNITS:
                continue
            kind, unit = UNITS[expected["unit"]]
            total += 1
            value = Decimal(str(expected["value"]))
            if any(
                q.value == value
                and (
                    (q.kind == kind and (unit is None or q.unit == unit))
                    # A bare year is "dimensionless" to quantulum3 and a date ("YYYY") to us.
                    or (kind == "count" and q.unit == "YYYY")
                )
                for q in ours
            ):
                agreed += 1
            else:
                missed.append(f"{case['req']!r}: {expected['surface']!r}")
    return agreed, total, missed


def test_agreement_with_quantulum3_on_money_counts_and_percentages():
    agreed, total, missed = agreement()
    assert total >= 30, "quantulum3's test file no longer has these cases"
    assert agreed / total >= FLOOR, "\n".join(missed)


@pytest.mark.parametrize(
    ("sentence", "value", "unit"),
    [("I want two meters of cotton for £2,000", Decimal(2000), "GBP")],
)
def test_a_peer_case_reads_the_same_figure(sentence, value, unit):
    assert any(q.value == value and q.unit == unit for q in parse_quantities(sentence))
