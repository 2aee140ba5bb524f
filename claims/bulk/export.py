"""Claims with their verdicts, out as CSV or JSON Lines, streamed a chunk of claims at a time.

One row a claim (:data:`EXPORT_COLUMNS`): the desk's verdict, the places it appeared and the
verdicts published elsewhere; in CSV the lists are JSON text and topics "; "-separated. The
``default`` import mapping reads these columns back. Cells a spreadsheet would run as formulas
are written as text (``config.untrusted.csv_cell``). Every verdict is in every row: exports are
the editors', who see every verdict.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from claims.bulk.rows import FileFormat
from claims.models import Appearance, Claim, ExternalReview
from config.untrusted import csv_cell

EXPORT_COLUMNS = [
    "id",
    "statement",
    "state",
    "priority",
    "topics",
    "speaker",
    "speaker_role",
    "speaker_kind",
    "consensus_rating",
    "consensus_confidence",
    "agreement",
    "published_at",
    "created_at",
    "appearances",
    "external_reviews",
]
CHUNK_SIZE = 500
CONTENT_TYPES = {
    FileFormat.CSV: "text/csv; charset=utf-8",
    FileFormat.JSONL: "application/x-ndjson; charset=utf-8",
}


def claims_for_export(claims: QuerySet[Claim] | None = None) -> QuerySet[Claim]:
    """The claims with everything a row shows, in a fixed number of queries per chunk."""
    claims = claims if claims is not None else Claim.objects.all()
    return claims.order_by("pk").prefetch_related(
        "topics",
        Prefetch(
            "appearances",
            queryset=Appearance.objects.select_related("source", "speaker").order_by("pk"),
        ),
        Prefetch("external_reviews", queryset=ExternalReview.objects.order_by("pk")),
    )


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _place(appearance: Appearance) -> dict[str, Any]:
    source, speaker = appearance.source, appearance.speaker
    return {
        "url": source.url or "",
        "title": source.title,
        "publisher": source.publisher,
        "published_on": _iso(source.published_on),
        "kind": source.kind,
        "quote": appearance.quote,
        "attribution": appearance.attribution,
        "speaker": (
            {"name": speaker.name, "role": speaker.role, "kind": speaker.kind}
            if speaker is not None
            else None
        ),
    }


def claim_export_row(claim: Claim) -> dict[str, Any]:
    """One claim as an export row (lists and numbers as such; CSV flattens them)."""
    appearances = list(claim.appearances.all())
    speaker = next((a.speaker for a in appearances if a.speaker is not None), None)
    return {
        "id": claim.pk,
        "statement": claim.statement,
        "state": claim.state,
        "priority": claim.priority,
        "topics": [topic.name for topic in claim.topics.all()],
        "speaker": speaker.name if speaker else "",
        "speaker_role": speaker.role if speaker else "",
        "speaker_kind": speaker.kind if speaker else "",
        "consensus_rating": claim.consensus_rating,
        "consensus_confidence": claim.consensus_confidence,
        "agreement": claim.agreement,
        "published_at": _iso(claim.published_at),
        "created_at": claim.created_at.isoformat(),
        "appearances": [_place(a) for a in appearances],
        "external_reviews": [
            {
                "publisher": review.publisher,
                "publisher_url": review.publisher_url,
                "url": review.url,
                "external_id": review.external_id,
                "title": review.title,
                "rating_text": review.rating_text,
                "rating": review.rating,
                "published_on": _iso(review.published_on),
                "language": review.language,
            }
            for review in claim.external_reviews.all()
        ],
    }


def _csv_cell(value: Any, column: str) -> str:
    if value is None:
        return ""
    if column == "topics":
        return "; ".join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def claims_export(
    *, file_format: str, claims: QuerySet[Claim] | None = None, chunk_size: int = CHUNK_SIZE
) -> Iterator[str]:
    """The export as text pieces (a header, then a piece a row), for a streaming response or a
    file; claims are read ``chunk_size`` at a time, so memory stays flat."""
    rows = (
        claim_export_row(claim)
        for claim in claims_for_export(claims).iterator(chunk_size=chunk_size)
    )
    if file_format == FileFormat.JSONL:
        for row in rows:
            yield json.dumps(row, ensure_ascii=False) + "\n"
        return
    if file_format != FileFormat.CSV:
        raise ValueError(f"{file_format!r} is not an export format.")
    yield from csv_pieces(
        EXPORT_COLUMNS,
        ([_csv_cell(row[column], column) for column in EXPORT_COLUMNS] for row in rows),
    )


def csv_pieces(header: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV text a row at a time (the header first), formulas written as text (``csv_cell``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(header)
    yield flush()
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
        yield flush()
