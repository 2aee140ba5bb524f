"""Assignments: a claim given to one reviewer for one review round, and the moves it makes
(accept, decline, submit, expire, withdraw)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from claims.models import Claim


class AssignmentState(models.TextChoices):
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    SUBMITTED = "submitted", "Submitted"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_ASSIGNMENT_STATES = (AssignmentState.OFFERED, AssignmentState.ACCEPTED)

# Who gave it, when it moved, why, and the reminders: in an assignment's admin page and API record.
ASSIGNMENT_RECORD_FIELDS = [
    "assigned_by",
    "created_at",
    "responded_at",
    "closed_at",
    "reason",
    "reminders_sent",
]


class Assignment(ConcurrentTransitionMixin, models.Model):
    """A claim given to one reviewer for one review round, with a due date."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    review_round = models.PositiveSmallIntegerField(default=1)
    state = FSMField(
        max_length=12,
        choices=AssignmentState.choices,
        default=AssignmentState.OFFERED,
        protected=True,
    )
    due_at = models.DateTimeField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments_made",
        help_text="Empty when assigned automatically.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was declined, withdrawn or expired.")
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            # One open assignment per reviewer per claim.
            models.UniqueConstraint(
                fields=["claim", "reviewer"],
                condition=Q(state__in=["offered", "accepted"]),
                name="assignment_one_open_per_reviewer",
            ),
        ]
        indexes = [
            # Reviewer load: "open assignments of reviewer X" and the overdue sweep.
            models.Index(fields=["reviewer", "state"], name="assignment_reviewer_state_idx"),
            models.Index(fields=["state", "due_at"], name="assignment_state_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} → {self.reviewer} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_ASSIGNMENT_STATES

    def is_overdue(self, now: timezone.datetime | None = None) -> bool:
        return self.is_open and self.due_at < (now or timezone.now())

    @transition(field=state, source=AssignmentState.OFFERED, target=AssignmentState.ACCEPTED)
    def accept(self) -> None:
        self.responded_at = timezone.now()

    @transition(field=state, source=AssignmentState.OFFERED, target=AssignmentState.DECLINED)
    def decline(self) -> None:
        self.responded_at = self.closed_at = timezone.now()

    @transition(field=state, source=list(OPEN_ASSIGNMENT_STATES), target=AssignmentState.SUBMITTED)
    def submit(self) -> None:
        self.closed_at = timezone.now()
        self.responded_at = self.responded_at or self.closed_at

    @transition(field=state, source=list(OPEN_ASSIGNMENT_STATES), target=AssignmentState.EXPIRED)
    def expire(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=state, source=list(OPEN_ASSIGNMENT_STATES), target=AssignmentState.WITHDRAWN)
    def withdraw(self) -> None:
        self.closed_at = timezone.now()
