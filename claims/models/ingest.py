"""Articles handed to the desk for extraction: one ``IngestJob`` each, and how far it got."""

from __future__ import annotations

from django.db import models

from claims.models.jobs import Job, JobStatus
from claims.models.sources import Source

# Where an ingest job stands: the status every job has.
IngestStatus = JobStatus


class IngestKind(models.TextChoices):
    TEXT = "text", "Pasted text"
    FILE = "file", "Uploaded file"
    URL = "url", "URL"


class IngestJob(Job):
    """One article handed to the desk for extraction, run by a worker (``ingest_job_run``, which
    claims the row with a conditional UPDATE), and how far it got."""

    kind = models.CharField(max_length=10, choices=IngestKind.choices)
    input = models.TextField(help_text="The pasted or uploaded text, or the URL.")
    title = models.CharField(max_length=500, blank=True)
    # What the desk knows of the article beyond its text; empty means "as the document says".
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    # How to read the input (claims.extraction.documents.Format); an upload's extension says.
    format = models.CharField(max_length=10, default="auto")
    attempts = models.PositiveSmallIntegerField(default=0)
    done = models.PositiveIntegerField(default=0, help_text="Sentences considered so far.")
    total = models.PositiveIntegerField(default=0, help_text="Sentences in the article.")
    created_count = models.PositiveIntegerField(default=0, help_text="New claims in state new.")
    attached_count = models.PositiveIntegerField(
        default=0, help_text="New appearances of existing claims."
    )
    suggested_count = models.PositiveIntegerField(
        default=0, help_text="New claims noted as a possible duplicate of an existing one."
    )
    skipped_count = models.PositiveIntegerField(
        default=0, help_text="Sentences extracted before, or matching a published claim."
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="ingest_jobs"
    )

    def __str__(self) -> str:
        return f"Ingest #{self.pk}: {self.label}"

    @property
    def label(self) -> str:
        """What was given, in a few words: the title, else the URL, else the text's start."""
        text = self.title or self.input.strip().split("\n", 1)[0]
        return text if len(text) <= 80 else text[:77] + "…"
