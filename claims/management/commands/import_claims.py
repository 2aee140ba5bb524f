"""``manage.py import_claims PATH --format csv|jsonl --mapping default|liar``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.bulk import MAPPINGS, FileFormat, claims_import, mapping_named
from claims.bulk.importer import DEFAULT_BATCH_SIZE
from claims.importing import ImportStatus
from claims.management.actors import add_user_argument, command_actor


class Command(BaseCommand):
    help = (
        "Import claims from a CSV (or TSV) or JSON Lines file with a column mapping ('liar' "
        "reads the LIAR data set's TSV). The file is read as a stream and committed in "
        "batches; prints a line per row: created, matched (same statement as an existing "
        "claim) or rejected with the reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--format", choices=FileFormat.values, default=FileFormat.CSV)
        parser.add_argument("--mapping", choices=list(MAPPINGS), default="default")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument(
            "--quiet-rows", action="store_true", help="Print only rejected rows and the totals."
        )
        add_user_argument(parser, "importing")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        actor = command_actor(options["user"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        counts = dict.fromkeys(ImportStatus.values, 0)
        with path.open("rb") as stream:
            try:
                for result in claims_import(
                    actor=actor,
                    stream=stream,
                    file_format=options["format"],
                    mapping=mapping_named(options["mapping"]),
                    batch_size=options["batch_size"],
                ):
                    counts[result.status] += 1
                    if options["quiet_rows"] and result.status != ImportStatus.REJECTED:
                        continue
                    where = f" → claim #{result.claim}" if result.claim else ""
                    line = f"row {result.row} (line {result.line}) [{result.status}{where}]"
                    detail = result.reason or result.statement
                    self.stdout.write(f"{line} {detail}")
            except (PermissionDenied, ValidationError) as error:
                raise CommandError("; ".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts['created']} created, {counts['matched']} matched, "
                f"{counts['rejected']} rejected."
            )
        )
