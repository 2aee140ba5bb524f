"""Files of claims handed to the desk for bulk import: one ``ImportJob`` each, how far it got,
and an ``ImportRow`` report line for every row."""

from __future__ import annotations

from django.db import models

from claims.models.claims import Claim
from claims.models.jobs import Job, JobStatus

# Where an import job stands: the status every job has.
ImportJobStatus = JobStatus


class ImportJob(Job):
    """A CSV or JSON Lines file of claims, imported by a worker a chunk of rows at a time
    (``claims.bulk.jobs``), and how far it got."""

    file = models.FileField(upload_to="imports/%Y/%m/")
    name = models.CharField(max_length=200, blank=True, help_text="The file's name as given.")
    file_format = models.CharField(max_length=10)  # claims.bulk.rows.FileFormat
    mapping = models.CharField(max_length=20)  # a name in claims.bulk.mapping.MAPPINGS
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Runs started since the last chunk was committed."
    )
    rows_total = models.PositiveIntegerField(null=True, blank=True, help_text="Rows in the file.")
    rows_done = models.PositiveIntegerField(default=0, help_text="Rows imported and committed.")
    created_count = models.PositiveIntegerField(default=0)
    matched_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Import #{self.pk}: {self.name or self.file.name}"


class ImportStatus(models.TextChoices):
    """What became of one imported record (a row of a file, an item of ClaimReview markup)."""

    CREATED = "created", "Created"
    MATCHED = "matched", "Matched an existing claim"
    REJECTED = "rejected", "Rejected"


class ImportRow(models.Model):
    """The report line of one row of an import job's file: what became of it."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    row = models.PositiveIntegerField(help_text="Data rows counted from 1 (not the header).")
    line = models.PositiveIntegerField(help_text="The file's line the row ends on.")
    status = models.CharField(max_length=10, choices=ImportStatus.choices)
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    statement = models.CharField(max_length=120, blank=True)
    reason = models.TextField(blank=True, help_text="Why the row was rejected.")
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["job", "row"]
        constraints = [
            # A chunk is committed once: a row reported twice is a bug, refused here.
            models.UniqueConstraint(fields=["job", "row"], name="importrow_unique_row"),
        ]

    def __str__(self) -> str:
        return f"Row {self.row}: {self.status}"
