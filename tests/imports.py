"""Running an import job from a test: the file stored, then imported by the task's own function
(``import_job_run``), in the test process, a chunk at a time."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.base import ContentFile

from claims.bulk import import_job_create, import_job_run
from claims.models import ImportJob


def jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(row) + "\n" for row in rows).encode()


def import_file(
    actor: Any,
    body: bytes,
    *,
    file_format: str = "csv",
    mapping: str = "default",
    chunk_size: int | None = None,
) -> ImportJob:
    """Import ``body`` as a job and return the job once it has run."""
    job = import_job_create(
        actor=actor,
        upload=ContentFile(body, name=f"rows.{file_format}"),
        file_format=file_format,
        mapping=mapping,
        publish=False,
    )
    ran = import_job_run(job_id=job.pk, chunk_size=chunk_size)
    assert ran is not None
    return ran


def report(job: ImportJob) -> list[tuple]:
    """The job's report lines: (row, line, status, statement, reason, notes)."""
    return [
        (r.row, r.line, r.status, r.statement, r.reason, r.notes) for r in job.rows.order_by("row")
    ]
