"""Bulk import and export of claims: CSV (and TSV) and JSON Lines.

- :mod:`.rows`: a file's rows, read as a stream.
- :mod:`.mapping`: which column holds which part of a claim (``default``, ``liar``).
- :mod:`.jobs`: import jobs: the file stored, imported by a worker a chunk at a time
  (``import_job_create``, ``import_job_run``), with a report line per row.
- :mod:`.export`: ``claims_export``, claims with their verdicts, streamed.
"""

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
