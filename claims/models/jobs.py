"""What every job a worker runs for the desk has: who handed it in, where it stands, and when
it started, last moved and finished (``ImportJob`` for files of claims, ``IngestJob`` for
articles)."""

from __future__ import annotations

from django.db import models

from claims.models.claims import user_field

# How a job went and by whom, then when: the end of a job's admin page and of its API record.
JOB_RECORD_FIELDS = ["error", "attempts", "created_by", "created_at", "started_at", "finished_at"]


class JobStatus(models.TextChoices):
    """Where a job stands."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(models.Model):
    """The fields and facts a worker's job shares with every other kind of job."""

    created_by = user_field()
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set on every status or progress change: the sweep reads it to find jobs left behind.
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep: "queued or running jobs not touched since T".
            models.Index(fields=["status", "updated_at"], name="%(class)s_status_updated_idx"),
        ]

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
