"""Bulk import and export of claims: CSV (and TSV) and JSON Lines.

- :mod:`.rows`: a file's rows, read as a stream.
- :mod:`.mapping`: which column holds which part of a claim (``default``, ``liar``).
- :mod:`.importer`: ``claims_import``, a report line per row, batched transactions, a savepoint
  per row.
- :mod:`.export`: ``claims_export``, claims with their verdicts, streamed.
"""

from claims.bulk.export import CONTENT_TYPES, claims_export
from claims.bulk.importer import (
    BulkReport,
    RowResult,
    claims_import,
    claims_import_report,
    mapping_named,
)
from claims.bulk.mapping import DEFAULT, LIAR, MAPPINGS, ColumnMapping
from claims.bulk.rows import FileFormat, TooLarge

__all__ = [
    "CONTENT_TYPES",
    "DEFAULT",
    "LIAR",
    "MAPPINGS",
    "BulkReport",
    "ColumnMapping",
    "FileFormat",
    "RowResult",
    "TooLarge",
    "claims_export",
    "claims_import",
    "claims_import_report",
    "mapping_named",
]
