"""``manage.py import_claims PATH``: the file becomes an import job, as at the API and in the
admin, run here by ``import_job_run``; stopped halfway, a worker resumes it after its last chunk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.bulk import MAPPINGS, FileFormat, import_job_create, import_job_run
from claims.management.actors import add_user_argument, command_actor
from claims.models import ImportJobStatus, ImportStatus


class Command(BaseCommand):
    help = (
        "Import claims from a CSV (or TSV) or JSON Lines file with a column mapping ('liar' "
        "reads the LIAR data set's TSV), committed a chunk of rows at a time; prints a line "
        "per row: created, matched (same statement as an existing claim) or rejected with the "
        "reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=FileFormat.values, default=FileFormat.CSV)
        parser.add_argument("--mapping", choices=list(MAPPINGS), default="default")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help="Rows committed at a time (default: BULK_IMPORT_CHUNK_ROWS).",
        )
        parser.add_argument(
            "--quiet-rows", action="store_true", help="Print only rejected rows and the totals."
        )
        add_user_argument(parser, "importing")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        actor = command_actor(options["user"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if options["batch_size"] is not None and options["batch_size"] < 1:
            raise CommandError("Give a batch size of at least 1.")
        try:
            with path.open("rb") as stream:
                job = import_job_create(
                    actor=actor,
                    upload=File(stream, name=path.name),
                    file_format=options["format"],
                    mapping=options["mapping"],
                    publish=False,
                )
        except (PermissionDenied, ValidationError) as error:
            raise CommandError("; ".join(getattr(error, "messages", [str(error)]))) from error
        job = import_job_run(job_id=job.pk, chunk_size=options["batch_size"]) or job
        lines = job.rows.order_by("row")
        if options["quiet_rows"]:
            lines = lines.filter(status=ImportStatus.REJECTED)
        for line in lines.iterator():
            where = f" → claim #{line.claim_id}" if line.claim_id else ""
            detail = line.reason or line.statement
            self.stdout.write(f"row {line.row} (line {line.line}) [{line.status}{where}] {detail}")
        if job.status == ImportJobStatus.FAILED:
            raise CommandError(f"Import job #{job.pk} failed: {job.error}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{job.created_count} created, {job.matched_count} matched, "
                f"{job.rejected_count} rejected."
            )
        )
