"""``manage.py import_claimreview PATH_OR_URL...``: import fact checks published elsewhere."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.claimreview import claimreview_import
from claims.management.actors import add_user_argument, command_actor
from claims.models import ImportStatus


class Command(BaseCommand):
    help = (
        "Import ClaimReview markup from files or URLs: JSON-LD (objects, lists, @graph), Google "
        "Fact Check Tools records, DataCommons feeds, or HTML pages carrying the markup. Each "
        "review creates a claim in state 'new' (or is matched to the claim with the same "
        "statement), with its appearances and the publisher's verdict beside it. Prints a line "
        "per review."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="+", help="Files to import, or http(s) URLs to fetch and import."
        )
        parser.add_argument(
            "--source-url",
            default=None,
            help="Where an HTML page was found (its relative links resolve against it).",
        )
        add_user_argument(parser, "importing")

    def handle(
        self,
        *args: Any,
        paths: list[str],
        source_url: str | None,
        user: str | None,
        **options: Any,
    ) -> None:
        actor = command_actor(user)
        totals = dict.fromkeys(ImportStatus.values, 0)
        for path in paths:
            fetched = re.match(r"https?://", path, re.IGNORECASE) is not None
            try:
                report = claimreview_import(
                    actor=actor,
                    payload=None if fetched else _read(Path(path)),
                    source_url=source_url,
                    url=path if fetched else None,
                )
            except PermissionDenied as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"{path}:")
            for problem in report.problems:
                self.stdout.write(self.style.WARNING(f"  {problem}"))
            for item in report.items:
                where = f" → claim #{item.claim}" if item.claim else ""
                line = f"  {item.index}. [{item.status}{where}] {item.statement}"
                if item.reason:
                    line += f" — {item.reason}"
                self.stdout.write(line)
                for note in item.notes:
                    self.stdout.write(f"       note: {note}")
            for status, count in report.counts.items():
                totals[status] += count
        self.stdout.write(
            self.style.SUCCESS(
                f"{totals['created']} created, {totals['matched']} matched, "
                f"{totals['rejected']} rejected."
            )
        )


def _read(path: Path) -> str:
    """The file's text, up to ``FETCH_MAX_BYTES`` (the limit on a ClaimReview page fetched)."""
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
    limit = settings.FETCH_MAX_BYTES
    with path.open("rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise CommandError(
            f"{path} is over the {limit:,}-byte limit; nothing was imported from it."
        )
    return raw.decode("utf-8", errors="replace")
