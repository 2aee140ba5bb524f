"""``manage.py archive_verify``: re-hash every stored archive and report any that no longer
match what was recorded (exit status 1 when one does)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from config.archive.models import Snapshot
from config.archive.services.integrity import archives_verify


class Command(BaseCommand):
    help = "Re-hash every stored archive file and report those that no longer match."

    def handle(self, *args: Any, **options: Any) -> None:
        total = Snapshot.objects.count()
        bad = list(archives_verify())
        for mismatch in bad:
            self.stdout.write(
                f"snapshot {mismatch.snapshot_id}: {mismatch.key}: {mismatch.problem}"
            )
        if bad:
            raise CommandError(f"{len(bad)} stored file(s) of {total} snapshot(s) do not match.")
        self.stdout.write(f"All files of {total} snapshot(s) match their recorded SHA-256.")
