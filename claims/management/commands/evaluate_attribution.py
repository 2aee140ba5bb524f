"""``manage.py evaluate_attribution``: attribution's recall and precision on the passages, per
split and language, with what was missed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.extraction.attribution.evaluation import SPLITS, Score, evaluate
from claims.extraction.attribution.nlp import engine, pipeline


class Command(BaseCommand):
    help = (
        "Find the speakers of the attribution passages (tune, heldout, blind) and print recall "
        "(expected speakers found) and precision (speakers found that were expected), per "
        "split and language, and the time per passage. --min-recall / --min-precision make "
        "it fail below a threshold; --engine rules|spacy overrides ATTRIBUTION_ENGINE."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--split", choices=SPLITS, action="append", help="Default: all.")
        parser.add_argument("--engine", choices=("rules", "spacy"))
        parser.add_argument("--min-recall", type=float, default=0.0)
        parser.add_argument("--min-precision", type=float, default=0.0)
        parser.add_argument("--verbose-misses", action="store_true", help="List each miss.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["engine"]:
            settings.ATTRIBUTION_ENGINE = options["engine"]
        if settings.ATTRIBUTION_ENGINE == "spacy" and pipeline() is None:
            raise CommandError("spaCy or its English model is not installed.")
        self.stdout.write(f"engine: {engine().__name__}")
        failed = []
        for split in options["split"] or SPLITS:
            score = evaluate(split)
            self._line(split, score)
            for lang in ("en", "pt", "es"):
                if lang in score.languages:
                    self._line(f"  {lang}", score.languages[lang])
            if options["verbose_misses"]:
                for miss in score.misses:
                    self.stdout.write(f"    missed {miss}")
                for extra in score.extras:
                    self.stdout.write(f"    not expected {extra}")
            if score.recall < options["min_recall"] or score.precision < options["min_precision"]:
                failed.append(split)
        if failed:
            raise CommandError(f"Below the threshold on: {', '.join(failed)}.")

    def _line(self, label: str, score: Score) -> None:
        per = 1000 * score.seconds / score.passages if score.passages else 0.0
        self.stdout.write(
            f"{label:8} passages {score.passages:3}  speakers {score.expected:3}  "
            f"recall {score.recall:.3f}  precision {score.precision:.3f}  "
            f"({score.correct} found of {score.expected} expected, {score.found} found in all; "
            f"{per:.1f} ms a passage)"
        )
