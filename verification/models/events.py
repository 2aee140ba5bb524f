"""The workflow's record: one event per move of a claim or an assignment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from claims.models import Claim
from verification.models.assignments import Assignment


class WorkflowAction(models.TextChoices):
    """What a workflow event records; claim moves share their transition's name."""

    CREATE = "create", "Created"
    TRIAGE = "triage", "Triaged"
    DISMISS = "dismiss", "Dismissed"
    RESTORE = "restore", "Restored"
    START_RESEARCH = "start_research", "Research started"
    SUBMIT_FOR_SIGNOFF = "submit_for_signoff", "Ready for sign-off"
    SEND_BACK = "send_back", "Sent back"
    PUBLISH = "publish", "Published"
    REOPEN = "reopen", "Reopened"
    CORRECT = "correct", "Verdict corrected"  # services.corrections
    UPDATE = "update", "Published verdict updated"
    RETRACT = "retract", "Fact check withdrawn"
    ASSIGN = "assign", "Assigned"
    ACCEPT = "accept", "Assignment accepted"
    DECLINE = "decline", "Assignment declined"
    WITHDRAW = "withdraw", "Assignment withdrawn"
    EXPIRE = "expire", "Assignment expired"
    REVIEW = "review", "Review submitted"
    SOURCE_CHANGED = "source_changed", "Cited page changed"  # archive.services.watch
    SOURCE_GONE = "source_gone", "Cited page gone"


class WorkflowEvent(models.Model):
    """One move of a claim or an assignment: who, from what, to what, when and why."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when the system acted.",
    )
    action = models.CharField(max_length=40, choices=WorkflowAction.choices)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # A claim's timeline, oldest first.
            models.Index(fields=["claim", "created_at"], name="event_claim_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state or '—'} → {self.to_state or '—'}"
