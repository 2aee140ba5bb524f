"""``manage.py archive_export CLAIM_ID [-o FILE]``: a claim's verdict, evidence metadata and
archives (WARC + hashes) as one ZIP an outsider can verify (``sha256sum -c SHA256SUMS``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.models import Claim
from config.archive.services.integrity import claim_bundle


class Command(BaseCommand):
    help = "Bundle a claim's verdict, evidence and archives into one verifiable ZIP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("claim_id", type=int)
        parser.add_argument("-o", "--output", type=Path, default=None)

    def handle(self, *args: Any, claim_id: int, output: Path | None, **options: Any) -> None:
        claim = Claim.objects.filter(pk=claim_id).first()
        if claim is None:
            raise CommandError(f"There is no claim #{claim_id}.")
        path = output or Path(f"claim-{claim_id}-archive.zip")
        path.write_bytes(claim_bundle(claim=claim))
        self.stdout.write(f"Wrote {path}.")
