"""``manage.py ingest PATH_OR_URL``: store an article and propose its claims for triage, inline
(printing the candidates), or ``--async`` as a queued job; ``--job ID`` shows a job."""

from __future__ import annotations

import datetime as dt
import mimetypes
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.extraction.attribution import Cue
from claims.extraction.candidates import Candidate, ranked
from claims.extraction.documents import DocumentError, Format
from claims.extraction.ingest import Action, IngestResult, Outcome, source_ingest
from claims.extraction.jobs import Counts, ingest_job_create
from claims.extraction.quantities import date_label
from claims.extraction.transcripts import timecode
from claims.management.actors import add_user_argument, command_actor
from claims.models import IngestJob, IngestKind, QuantityKind, SourceKind


class Command(BaseCommand):
    help = (
        "Read an article (a .txt, .md or .html file, or an http(s) URL) or a transcript (.vtt, "
        ".srt, .tsv, .csv, or --kind transcript), store it as a source "
        "once, and create its check-worthy sentences as claims in state 'new', with quantities, "
        "speakers and a check-worthiness score. Prints the candidates, most check-worthy first. "
        "Running it again on the same article creates nothing new. With --async, queues the "
        "article for a Celery worker and prints the job's id; --job ID shows a job's progress."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "location", nargs="?", help="A file path, or an http:// or https:// URL."
        )
        parser.add_argument(
            "--title", default="", help="The source's title (default: the document's own)."
        )
        add_user_argument(parser, "submitting the claims")
        parser.add_argument(
            "--format",
            choices=[Format.AUTO, Format.TEXT, Format.MARKDOWN, Format.HTML],
            default=Format.AUTO,
            help="How to read a file (default: by its extension, else by its content).",
        )
        parser.add_argument(
            "--kind",
            choices=[SourceKind.ARTICLE, SourceKind.TRANSCRIPT],
            default=None,
            help="transcript: read the file as a transcript (SPEAKER: text lines, CLEF rows, "
            "WebVTT or SRT), each line's speaker its claims' speaker (default: .vtt, .srt, "
            ".tsv and .csv files are transcripts, other files articles).",
        )
        parser.add_argument(
            "--async",
            action="store_true",
            dest="queue",
            help="Queue an ingest job for a Celery worker instead of extracting here (editors).",
        )
        parser.add_argument(
            "--job", type=int, default=None, help="Show ingest job ID's status and counts."
        )

    def handle(
        self,
        *args: Any,
        location: str | None,
        title: str,
        user: str | None,
        format: str,
        kind: str | None,
        queue: bool,
        job: int | None,
        **options: Any,
    ) -> None:
        if job is not None:
            self._show_job(job)
            return
        if not location:
            raise CommandError("Give a file path or a URL to ingest (or --job ID).")
        actor = command_actor(user)
        if kind == SourceKind.TRANSCRIPT:
            format = Format.TRANSCRIPT
        is_url = location.lower().startswith(("http://", "https://"))
        path = None if is_url else Path(location)
        if path is not None and not path.is_file():
            raise CommandError(f"No such file: {location}")
        try:
            if queue:
                self._queue(actor, location if is_url else None, path, title, format)
                return
            result = source_ingest(
                actor=actor, url=location if is_url else None, path=path, title=title, format=format
            )
        except (DocumentError, PermissionDenied) as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self._report(result)

    # --- --async and --job ----------------------------------------------------------------

    def _queue(
        self, actor: AbstractBaseUser, url: str | None, path: Path | None, title: str, format: str
    ) -> None:
        if path is not None:
            with path.open("rb") as handle:
                declared, _ = mimetypes.guess_type(path.name)
                upload = UploadedFile(
                    handle, name=path.name, content_type=declared, size=path.stat().st_size
                )
                job = ingest_job_create(actor=actor, upload=upload, title=title, format=format)
        else:
            job = ingest_job_create(actor=actor, url=url, title=title, format=format)
        self.stdout.write(self.style.SUCCESS(f"Queued ingest job #{job.pk}: {job.label}"))
        self.stdout.write(
            "A Celery worker extracts it (if none is running, it waits in the queue). Follow it "
            f"with:\n  python manage.py ingest --job {job.pk}\n"
            f"  GET /api/v1/ingest/{job.pk}/\n"
            f"  the admin's page /admin/claims/ingestjob/{job.pk}/change/"
        )

    def _show_job(self, job_id: int) -> None:
        job = IngestJob.objects.select_related("source").filter(pk=job_id).first()
        if job is None:
            raise CommandError(f"No ingest job #{job_id}.")
        progress = f", {job.done}/{job.total} sentences" if job.total else ""
        self.stdout.write(f"Ingest job #{job.pk} ({IngestKind(job.kind).label}): {job.label}")
        self.stdout.write(f"Status: {job.get_status_display()}{progress}")
        if job.source_id is not None:
            self.stdout.write(f"Source #{job.source_id}: {job.source.title}")
        if job.is_finished and not job.error:
            counts = Counts(
                job.created_count, job.attached_count, job.suggested_count, job.skipped_count
            )
            self.stdout.write(counts.summary())
        if job.error:
            self.stdout.write(self.style.ERROR(f"Error: {job.error}"))

    # --- Inline ----------------------------------------------------------------------------

    def _report(self, result: IngestResult) -> None:
        source = result.source
        verb = "Stored" if result.source_created else "Already stored as"
        self.stdout.write(f"{verb} source #{source.pk} ({source.language}): {source.title}")
        for note in result.notes:
            self.stdout.write(self.style.WARNING(note))
        by_candidate = {id(o.candidate): o for o in result.outcomes}
        for candidate in ranked([o.candidate for o in result.outcomes]):
            if not candidate.heading:
                self.stdout.write(self._line(candidate, by_candidate[id(candidate)]))
        self.stdout.write(self.style.SUCCESS(Counts.of(result).summary()))

    def _line(self, candidate: Candidate, outcome: Outcome) -> str:
        where = f" #{outcome.claim.pk}" if outcome.claim is not None else ""
        said = ""
        if candidate.cue == Cue.TRANSCRIPT:
            at = (
                f"[{timecode(dt.timedelta(seconds=candidate.time))}] "
                if candidate.time is not None
                else ""
            )
            said = f"{at}{candidate.speaker.name if candidate.speaker else '>>'}: "
        lines = [f"{candidate.score:.2f}  [{outcome.action}{where}]  {said}{candidate.statement}"]
        if outcome.match is not None and outcome.action == Action.CREATED:
            lines.append(
                f"        likely duplicate of claim #{outcome.match.claim.pk} "
                f"(similarity {outcome.match.score:.2f}): {outcome.match.claim}"
            )
        for quantity in candidate.quantities:
            about = "about " if quantity.approximate else ""
            upto = f"–{quantity.high:f}" if quantity.high is not None else ""
            per = f" per {quantity.period}" if quantity.period else ""
            figure = (
                date_label(quantity.value, quantity.unit)
                if quantity.kind == QuantityKind.DATE
                else f"{about}{quantity.value:f}{upto} {quantity.unit}{per}"
            )
            lines.append(f"        quantity: {figure} ({quantity.kind}, “{quantity.text}”)")
        if candidate.speaker is not None and candidate.cue != Cue.TRANSCRIPT:
            role = f", {candidate.speaker.role}" if candidate.speaker.role else ""
            lines.append(
                f"        speaker: {candidate.speaker.name}{role} ({candidate.speaker.kind}; "
                f"{candidate.attribution})"
            )
        if candidate.note:
            lines.append(f"        note: {candidate.note}")
        return "\n".join(lines)
