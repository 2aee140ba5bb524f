"""The email outbox: one row per message the desk sends, written with the event that causes it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from claims.models import Claim
from verification.models.assignments import Assignment


class EmailKind(models.TextChoices):
    ASSIGNMENT = "assignment", "Assignment"
    REMINDER = "reminder", "Reminder before the due date"
    OVERDUE = "overdue", "Overdue reminder"
    ESCALATION = "escalation", "Escalation to editors"
    WITHDRAWN = "withdrawn", "Assignment withdrawn"
    READY_FOR_SIGNOFF = "ready_for_signoff", "Ready for sign-off"
    PUBLISHED = "published", "Published"
    CORRECTED = "corrected", "Published verdict corrected"
    DIGEST = "digest", "Daily digest"
    NEW_LOGIN = "new_login", "Login from a new device"
    SOURCE_CHANGED = "source_changed", "Cited page changed or gone"  # archive.emails
    WEBHOOK_DISABLED = "webhook_disabled", "Webhook endpoint disabled"  # webhooks.emails


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class EmailLog(models.Model):
    """One email the desk sends, written in the same transaction as the event that causes it.

    The row is the outbox: a Celery task delivers it after commit, and a periodic sweep finds
    rows still pending (the broker was down) or stuck sending (the worker died). ``key`` names
    the event ("assignment:42"), so the same event can never produce a second message.
    """

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=EmailKind.choices)
    recipient = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="emails",
    )
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField()
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        default=timezone.now, help_text="When a pending email is due to be (re)tried."
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep: "pending and due since before T", "sending since before T".
            models.Index(fields=["status", "next_attempt_at"], name="email_status_due_idx"),
            models.Index(fields=["status", "claimed_at"], name="email_status_claimed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} ({self.status})"
