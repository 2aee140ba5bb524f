"""``manage.py demo_data``: load the demo desk (idempotent) and print the admin logins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from verification.demo import load_demo, login_lines, seed_article_path


class Command(BaseCommand):
    help = (
        "Create the demo desk: an administrator, two editors, three reviewers, and one news "
        "story's claims spread over the workflow. Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--article",
            type=Path,
            default=None,
            help=f"The seed article to store as a second source (default: {seed_article_path()}).",
        )

    def handle(self, *args: Any, article: Path | None = None, **options: Any) -> None:
        report = load_demo(article_path=article)
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(
            f"Demo desk: {len(report.created_users)} user(s) and "
            f"{len(report.created_claims)} claim(s) created, "
            f"{report.skipped_claims} claim(s) already present and left alone."
        )
        for line in login_lines():
            self.stdout.write(line)
