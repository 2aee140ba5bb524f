"""``claims_import``: a CSV or JSON Lines file → claims, streamed, with a report line per row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from claims.bulk.fast import (
    Behind,
    Draft,
    SharedKeys,
    record_prepare,
    records_create,
    shared_keys,
)
from claims.bulk.mapping import MAPPINGS, ColumnMapping, RowError, read_row
from claims.bulk.overlap import batches_write_overlapped, overlap_possible
from claims.bulk.readahead import give_way, read_ahead
from claims.bulk.rows import BinaryStream, Row, RowReader
from claims.importing import (
    ImportedClaim,
    ImportOutcome,
    ImportStatus,
    imported_claim_try,
)
from verification.roles import require_editor

DEFAULT_BATCH_SIZE = 1000
# Batches read ahead of the one being written (``claims.bulk.readahead``): reading a batch
# takes a fraction of writing one, so two waiting is always enough; more would only hold
# more rows in memory.
READ_AHEAD = 2
# Rows the read-ahead thread reads between handing the GIL over (``give_way``): about half a
# millisecond of work, so a writer woken by PostgreSQL waits no longer than that for it.
GIVE_WAY_ROWS = 16


@dataclass
class RowResult:
    """What happened to one row."""

    row: int
    line: int
    status: str
    claim: int | None = None
    statement: str = ""
    reason: str = ""
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        # What ``dataclasses.asdict`` gives, written out: it deep-copies field by field, which
        # cost more than a tenth of a second for a 10,000-row report.
        return {
            "row": self.row,
            "line": self.line,
            "status": self.status,
            "claim": self.claim,
            "statement": self.statement,
            "reason": self.reason,
            "notes": list(self.notes),
        }


@dataclass
class BulkReport:
    rows: list[RowResult] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(row.status for row in self.rows)
        return {status: found.get(status, 0) for status in ImportStatus.values}

    def as_dict(self) -> dict[str, Any]:
        return {"counts": self.counts, "rows": [row.as_dict() for row in self.rows]}


def mapping_named(name: str) -> ColumnMapping:
    if name not in MAPPINGS:
        raise ValidationError({"mapping": f"{name!r} is not one of {', '.join(MAPPINGS)}."})
    return MAPPINGS[name]


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _excerpt(text: str, size: int = 120) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _row_read(mapping: ColumnMapping, row: Row) -> ImportedClaim | RowResult:
    """The row's record, or its rejection when it cannot be read."""
    if row.error:
        return RowResult(row.number, row.line, ImportStatus.REJECTED, reason=row.error)
    try:
        return read_row(mapping, row.values)
    except RowError as error:
        return RowResult(row.number, row.line, ImportStatus.REJECTED, reason=str(error))


def _row_result(row: Row, data: ImportedClaim, outcome: ImportOutcome) -> RowResult:
    return RowResult(
        row.number,
        row.line,
        outcome.status,
        claim=outcome.claim_id,
        statement=_excerpt(data.statement),
        reason=outcome.reason,
        notes=outcome.notes,
    )


@dataclass
class _ReadBatch:
    """A batch as read ahead of its writing: each row's record (or its rejection), and the
    database-free part of the bulk path's work on the records (``claims.bulk.fast``)."""

    rows: list[Row]
    reads: list[ImportedClaim | RowResult]
    drafts: list[Draft]
    keys: SharedKeys


def _batch_read(actor: AbstractBaseUser, mapping: ColumnMapping, rows: list[Row]) -> _ReadBatch:
    """Everything of a batch that needs no database; run in the read-ahead thread."""
    reads: list[ImportedClaim | RowResult] = []
    drafts: list[Draft] = []
    for number, row in enumerate(rows, 1):
        read = _row_read(mapping, row)
        reads.append(read)
        if not isinstance(read, RowResult):
            drafts.append(record_prepare(actor, len(drafts), read))
        if number % GIVE_WAY_ROWS == 0:
            give_way()
    return _ReadBatch(rows, reads, drafts, shared_keys(drafts))


def _batch_import(
    actor: AbstractBaseUser,
    batch: _ReadBatch,
    *,
    behind: Behind | None = None,
) -> list[RowResult]:
    """One batch, inside its transaction: the plainly new claims in bulk, then the rest row by
    row in file order (``claims.bulk.fast``).

    ``behind``: the batch before, when it may not have committed yet (``claims.bulk.overlap``).
    Its commit is waited for before any row goes row by row (that path reads what the batch
    before wrote), and before anything at all if that batch has rows whose shared rows are not
    known ahead (``SharedKeys.complete``).
    """
    if behind is not None and not behind.keys.complete:
        behind.settle()
        behind = None
    results: dict[int, RowResult] = {}
    readable: list[tuple[Row, ImportedClaim]] = []
    for row, read in zip(batch.rows, batch.reads, strict=True):
        if isinstance(read, RowResult):
            results[row.number] = read
        else:
            readable.append((row, read))
    records = [data for _, data in readable]
    try:
        with transaction.atomic():
            outcomes = records_create(
                actor=actor, records=records, drafts=batch.drafts, behind=behind
            )
    except (DatabaseError, ValidationError):
        # The database refused something of the bulk insert (rolled back with its savepoint):
        # every row goes the row-by-row way, so the bad one gets its own reason.
        outcomes = [None] * len(records)
    if behind is not None and None in outcomes:
        behind.settle()
    for (row, data), outcome in zip(readable, outcomes, strict=True):
        if outcome is None:
            outcome = imported_claim_try(actor=actor, data=data)
        results[row.number] = _row_result(row, data, outcome)
    return [results[row.number] for row in batch.rows]


def claims_import(
    *,
    actor: AbstractBaseUser,
    stream: BinaryStream,
    file_format: str,
    mapping: ColumnMapping,
    batch_size: int = DEFAULT_BATCH_SIZE,
    limit: int | None = None,
) -> Iterator[RowResult]:
    """Import a file's rows as claims; yields one result per row, each batch after it commits.

    1. Editors only. The header (if the mapping has one) is read now: a file without the
       required columns is refused (``ValidationError``) before anything is imported.
    2. Rows are read one at a time from the stream (``claims.bulk.rows``) and imported in
       batches of ``batch_size``, one transaction a batch, so a large file costs one commit a
       batch rather than one a row. Reading a batch (rows → records → the bulk path's rows,
       built and field-validated) needs no database and runs in a thread up to
       ``READ_AHEAD`` batches ahead of the writing (``claims.bulk.readahead``), so it overlaps
       PostgreSQL's work on the batch before.
    3. In each batch the rows that are plainly new claims are written together, one COPY a
       table on PostgreSQL, multi-row INSERTs elsewhere (``claims.bulk.fast``); if the
       database refuses any of them, that savepoint is rolled back and the batch goes row by
       row.
    4. Every other row runs in its own savepoint (``claims.importing.imported_claim_try``):
       created, matched to the claim with the same statement, or rejected with the reason —
       a rejected row leaves nothing behind.
    5. On PostgreSQL, when the caller is not inside a transaction, two batches are written at
       once, each on its own connection, and still commit in file order
       (``claims.bulk.overlap``); otherwise one after the other, on the caller's connection.
    ``limit`` caps the bytes read (``claims.bulk.rows.TooLarge`` past it).
    """
    require_editor(actor, "import claims")
    if batch_size < 1:
        raise ValidationError({"batch_size": "Give a batch size of at least 1."})
    reader = RowReader(
        stream,
        file_format=file_format,
        delimiter=mapping.delimiter,
        quoting=mapping.quoting,
        header=mapping.header,
        required=mapping.required,
        limit=limit,
    )
    return _import_rows(actor, mapping, reader, batch_size)


def _import_rows(
    actor: AbstractBaseUser, mapping: ColumnMapping, rows: Iterable[Row], batch_size: int
) -> Iterator[RowResult]:
    read = (_batch_read(actor, mapping, batch) for batch in _batches(rows, batch_size))
    batches = read_ahead(read, depth=READ_AHEAD)
    if overlap_possible():

        def write(batch: _ReadBatch, behind: Behind | None) -> list[RowResult]:
            return _batch_import(actor, batch, behind=behind)

        for results in batches_write_overlapped(batches, write, lambda b: b.keys):
            yield from results
        return
    for batch in batches:
        with transaction.atomic():
            results = _batch_import(actor, batch)
        # Reported only once committed: a "created" line is a claim that exists.
        yield from results


def claims_import_report(**kwargs: Any) -> BulkReport:
    """:func:`claims_import`, collected into one report."""
    return BulkReport(rows=list(claims_import(**kwargs)))
