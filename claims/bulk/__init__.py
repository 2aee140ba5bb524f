"""Bulk import and export of claims, CSV (and TSV) and JSON Lines: :mod:`.rows` (a file read
as a stream), :mod:`.mapping` (which column holds what), :mod:`.jobs` (import jobs) and
:mod:`.export` (``claims_export``)."""

from claims.bulk.export import CONTENT_TYPES, claims_export
from claims.bulk.jobs import import_job_create, import_job_run, mapping_named
from claims.bulk.mapping import DEFAULT, LIAR, MAPPINGS, ColumnMapping
from claims.bulk.rows import FileFormat

__all__ = [
    "CONTENT_TYPES",
    "DEFAULT",
    "LIAR",
    "MAPPINGS",
    "ColumnMapping",
    "FileFormat",
    "claims_export",
    "import_job_create",
    "import_job_run",
    "mapping_named",
]
