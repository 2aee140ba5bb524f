"""Articles handed to the desk for extraction: one ``IngestJob`` each, and how far it got."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from claims.models.sources import Source


class IngestKind(models.TextChoices):
    TEXT = "text", "Pasted text"
    FILE = "file", "Uploaded file"
    URL = "url", "URL"


class IngestStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class IngestJob(models.Model):
    """One article handed to the desk for extraction, run by a worker, and how far it got.

    Created by ``claims.extraction.jobs.ingest_job_create``; moved queued → running → done or
    failed only by ``ingest_job_run`` (the Celery task ``claims.tasks.ingest_source``), which
    claims the row with a conditional UPDATE so two workers never run the same job.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=IngestKind.choices)
    input = models.TextField(help_text="The pasted or uploaded text, or the URL.")
    title = models.CharField(max_length=500, blank=True)
    # What the desk knows of the article beyond its text; empty means "as the document says".
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    # How to read the input (claims.extraction.documents.Format); an upload's extension says.
    format = models.CharField(max_length=10, default="auto")
    status = models.CharField(
        max_length=10, choices=IngestStatus.choices, default=IngestStatus.QUEUED
    )
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
    error = models.TextField(blank=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="ingest_jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set on every status or progress change: the sweep reads it to find jobs left behind.
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep: "queued or running jobs not touched since T".
            models.Index(fields=["status", "updated_at"], name="ingestjob_status_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"Ingest #{self.pk}: {self.label}"

    @property
    def label(self) -> str:
        """What was given, in a few words: the title, else the URL, else the text's start."""
        text = self.title or self.input.strip().split("\n", 1)[0]
        return text if len(text) <= 80 else text[:77] + "…"

    @property
    def is_finished(self) -> bool:
        return self.status in (IngestStatus.DONE, IngestStatus.FAILED)
