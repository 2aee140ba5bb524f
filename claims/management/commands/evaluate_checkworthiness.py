"""``manage.py evaluate_checkworthiness FILE``: how well the check-worthiness scorer does on a
labelled file (CLEF CheckThat! CSV/TSV or ClaimBuster JSON), scored as ingestion scores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.extraction.evaluation import (
    RANK_CUTS,
    LabelledFileError,
    RankingMetrics,
    evaluate_lines,
    heldout_lines,
    load_labelled,
)
from claims.extraction.scorer import SCORER_KINDS, ModelError, get_scorer


class Command(BaseCommand):
    help = (
        "Measure the check-worthiness scorer on a labelled file (CLEF CheckThat! CSV/TSV or "
        "ClaimBuster JSON): precision/recall/F1/AUC, and MAP, R-precision and P@5/10/20 per "
        "debate and on average for files with debates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The labelled file.")
        parser.add_argument(
            "--scorer",
            choices=SCORER_KINDS,
            help="Which scorer to measure (default: the CHECKWORTHINESS_SCORER setting).",
        )
        parser.add_argument(
            "--heldout",
            action="store_true",
            help="Score only the seeded held-out fifth the training scripts kept aside "
            "(for ClaimBuster's train.json).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["scorer"] or settings.CHECKWORTHINESS_SCORER
        try:
            lines = load_labelled(options["file"])
            if options["heldout"]:
                lines = heldout_lines(lines)
            report = evaluate_lines(lines, get_scorer(kind))
        except (LabelledFileError, ModelError) as error:
            raise CommandError(str(error)) from error
        m = report.sentences
        self.stdout.write(f"Scorer: {kind}; {m.n} sentences, threshold {m.threshold:.3f}")
        self.stdout.write(
            f"precision {m.precision:.3f}  recall {m.recall:.3f}  F1 {m.f1:.3f}  "
            f"macro F1 {m.macro_f1:.3f}  ROC AUC {m.roc_auc:.4f}"
        )
        if report.mean is None:
            return
        header = (
            "debate".ljust(36)
            + "lines  pos     AP  R-prec"
            + "".join(f"  P@{k:<3}" for k in RANK_CUTS)
        )
        self.stdout.write(header)
        for name, debate in report.debates.items():
            self.stdout.write(self._row(name, debate))
        self.stdout.write(self._row(f"mean of {len(report.debates)} debates (MAP)", report.mean))

    @staticmethod
    def _row(name: str, m: RankingMetrics) -> str:
        cuts = "".join(f"  {m.precision_at[k]:.3f}" for k in RANK_CUTS)
        return (
            f"{name[:35].ljust(36)}{m.n:5d} {m.positives:4d}  {m.average_precision:.4f}"
            f"  {m.r_precision:.3f}{cuts}"
        )
