"""What the desk keeps of every cited page: one :class:`Page` per URL, its snapshots (the files
live in the archive storage), its citations and each change the watch found."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from claims.models import Source
from verification.models import Evidence


class ArchiveStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be archived"
    ARCHIVING = "archiving", "Being archived"
    ARCHIVED = "archived", "Archived"
    PARTIAL = "partial", "Partly archived"
    FAILED = "failed", "Could not be archived"


class WatchState(models.TextChoices):
    STEADY = "steady", "As archived"
    CHANGED = "changed", "Changed since archived"
    GONE = "gone", "Gone"


class Page(models.Model):
    """One cited URL: whether it is archived, and what the watch last saw of it."""

    url = models.URLField(max_length=2000, unique=True)
    status = models.CharField(
        max_length=10, choices=ArchiveStatus.choices, default=ArchiveStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The copy the reviewer saw (the first one archived), and the one the watch compares with.
    archived = models.ForeignKey(
        "Snapshot", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    compared = models.ForeignKey(
        "Snapshot", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    watch = models.CharField(max_length=10, choices=WatchState.choices, default=WatchState.STEADY)
    failed_checks = models.PositiveSmallIntegerField(
        default=0, help_text="Checks in a row that found the page missing or unreachable."
    )
    check_every = models.PositiveIntegerField(default=0, help_text="Seconds between checks.")
    next_check_at = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep: "pending and due", "archiving since before T".
            models.Index(fields=["status", "next_attempt_at"], name="page_status_due_idx"),
            # The watch: "archived pages due for a check".
            models.Index(fields=["next_check_at"], name="page_check_due_idx"),
        ]

    def __str__(self) -> str:
        return self.url


class Snapshot(models.Model):
    """One fetch of a page as stored: its files, each under a storage key with its SHA-256."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="snapshots")
    fetched_at = models.DateTimeField()
    final_url = models.URLField(max_length=2000)
    status_code = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=200, blank=True)
    body_sha256 = models.CharField(max_length=64)
    body_size = models.PositiveIntegerField()
    warc_key = models.CharField(max_length=300, blank=True)
    warc_sha256 = models.CharField(max_length=64, blank=True)
    text_key = models.CharField(max_length=300, blank=True)
    text_sha256 = models.CharField(max_length=64, blank=True)
    screenshot_key = models.CharField(max_length=300, blank=True)
    screenshot_sha256 = models.CharField(max_length=64, blank=True)
    problem = models.TextField(blank=True, help_text="What could not be stored, if anything.")
    # Proof from outside the desk, when configured (archive.services.attest): an RFC 3161
    # time-stamp token of body_sha256, stored as a file, and a public web archive's copy.
    timestamp_key = models.CharField(max_length=300, blank=True)
    timestamp_sha256 = models.CharField(max_length=64, blank=True)
    timestamped_at = models.DateTimeField(
        null=True, blank=True, help_text="The time the time-stamping authority vouches for."
    )
    timestamp_authority = models.URLField(max_length=2000, blank=True)
    public_copy_url = models.URLField(max_length=2000, blank=True)
    attest_problem = models.TextField(
        blank=True, help_text="Why a configured time-stamp or public copy is missing."
    )

    class Meta:
        ordering = ["page_id", "-fetched_at", "-id"]
        get_latest_by = "fetched_at"

    def __str__(self) -> str:
        return f"{self.final_url} at {self.fetched_at:%Y-%m-%d %H:%M}"

    @property
    def is_complete(self) -> bool:
        """A WARC and a text: a good screenshot without the WARC is partial, never done."""
        return bool(self.warc_key and self.text_key)

    def files(self) -> list[tuple[str, str]]:
        """(storage key, SHA-256) of every file stored for this snapshot."""
        pairs = [
            (self.warc_key, self.warc_sha256),
            (self.text_key, self.text_sha256),
            (self.screenshot_key, self.screenshot_sha256),
            (self.timestamp_key, self.timestamp_sha256),
        ]
        return [(key, digest) for key, digest in pairs if key]


class Citation(models.Model):
    """A page cited by one evidence item or one source."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="citations")
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.CASCADE, related_name="citations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(evidence__isnull=True) ^ Q(source__isnull=True),
                name="citation_evidence_xor_source",
            ),
            models.UniqueConstraint(fields=["evidence"], name="citation_one_per_evidence"),
            models.UniqueConstraint(fields=["source"], name="citation_one_per_source"),
        ]

    def __str__(self) -> str:
        return f"{self.page} cited by {self.evidence or self.source}"


class ChangeKind(models.TextChoices):
    CHANGED = "changed", "Text changed"
    GONE = "gone", "Page gone"


class PageChange(models.Model):
    """What the watch found: the page's text changed beyond the threshold, or it went away."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    before = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="+")
    after = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_share = models.FloatField(
        null=True, blank=True, help_text="Share of the text's sentences removed or added, 0–1."
    )
    removed = models.JSONField(default=list, blank=True)
    added = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True)
    detected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-detected_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.page}"
