"""``manage.py export_claims [--format csv|jsonl] [--output PATH]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from claims.bulk import FileFormat, claims_export
from claims.models import Claim, ClaimState


class Command(BaseCommand):
    help = (
        "Export claims with their verdicts (consensus rating and confidence, agreement, "
        "verdicts published elsewhere) as CSV or JSON Lines, to a file or standard output. "
        "The 'default' import mapping reads the file back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=FileFormat.values, default=FileFormat.CSV)
        parser.add_argument("--state", choices=ClaimState.values, default=None)
        parser.add_argument("--output", type=Path, default=None, help="Default: standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        claims = Claim.objects.all()
        if options["state"]:
            claims = claims.filter(state=options["state"])
        pieces = claims_export(file_format=options["format"], claims=claims)
        if options["output"] is None:
            for piece in pieces:
                self.stdout.write(piece, ending="")
            return
        count = -1 if options["format"] == FileFormat.CSV else 0  # the CSV header is no claim
        with options["output"].open("w", encoding="utf-8", newline="") as out:
            for piece in pieces:
                out.write(piece)
                count += 1
        self.stderr.write(self.style.SUCCESS(f"{count} claim(s) written to {options['output']}."))
