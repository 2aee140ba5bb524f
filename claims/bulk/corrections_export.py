"""The desk's corrections as CSV: one row a change to a published verdict, for the record or
a transparency report. Cells a spreadsheet would run as formulas are written as text
(``config.untrusted.csv_cell``), as in the claims export."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from claims.bulk.export import csv_pieces
from claims.models import Correction
from claims.models.corrections import CORRECTION_CHANGE_FIELDS

CORRECTION_COLUMNS = [
    "id",
    "claim",
    "statement",
    "kind",
    "made_at",
    "made_by",
    *CORRECTION_CHANGE_FIELDS,
]


def corrections_csv(corrections: QuerySet[Correction]) -> Iterator[str]:
    """A header, then a piece a row, read 500 at a time."""
    rows = corrections.select_related("claim", "made_by").order_by("made_at", "pk")
    return csv_pieces(CORRECTION_COLUMNS, (_row(c) for c in rows.iterator(chunk_size=500)))


def _row(c: Correction) -> list[str]:
    values = [
        c.pk,
        c.claim_id,
        c.claim.statement,
        c.kind,
        c.made_at.isoformat(),
        c.made_by.get_username() if c.made_by else "",
        *(getattr(c, name) for name in CORRECTION_CHANGE_FIELDS),
    ]
    return [str(value) for value in values]
