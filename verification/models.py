"""Who checks a claim, with what evidence, to what verdict and with what confidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from claims.models import Claim, ClaimState, Confidence, Rating, Topic


class Availability(models.TextChoices):
    AVAILABLE = "available", "Available"
    AWAY = "away", "Away"


class ReviewerProfile(models.Model):
    """A reviewer's expertise, how much open work they take, and whether they are in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    expertise = models.ManyToManyField(Topic, blank=True, related_name="experts")
    capacity = models.PositiveSmallIntegerField(
        default=3, help_text="Most open (offered or accepted) assignments at once."
    )
    availability = models.CharField(
        max_length=10, choices=Availability.choices, default=Availability.AVAILABLE
    )
    reminders_enabled = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["user__username"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="reviewer_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.user.get_username()


class AssignmentState(models.TextChoices):
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    SUBMITTED = "submitted", "Submitted"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_ASSIGNMENT_STATES = (AssignmentState.OFFERED, AssignmentState.ACCEPTED)


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


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    CONTEXT = "context", "Context"


class SourceReliability(models.TextChoices):
    """Admiralty (NATO) grading of the source's reliability."""

    A = "A", "A — Completely reliable"
    B = "B", "B — Usually reliable"
    C = "C", "C — Fairly reliable"
    D = "D", "D — Not usually reliable"
    E = "E", "E — Unreliable"
    F = "F", "F — Reliability cannot be judged"


class InformationCredibility(models.IntegerChoices):
    """Admiralty (NATO) grading of the information's credibility."""

    CONFIRMED = 1, "1 — Confirmed by other sources"
    PROBABLY_TRUE = 2, "2 — Probably true"
    POSSIBLY_TRUE = 3, "3 — Possibly true"
    DOUBTFUL = 4, "4 — Doubtful"
    IMPROBABLE = 5, "5 — Improbable"
    CANNOT_JUDGE = 6, "6 — Truth cannot be judged"


class Evidence(models.Model):
    """A document that bears on a claim, graded on the Admiralty scale."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(max_length=2000, blank=True)
    document_ref = models.CharField(
        max_length=300, blank=True, help_text="Archive, file or call number when there is no URL."
    )
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    excerpt = models.TextField(blank=True)
    stance = models.CharField(max_length=10, choices=Stance.choices)
    source_reliability = models.CharField(max_length=1, choices=SourceReliability.choices)
    credibility = models.PositiveSmallIntegerField(choices=InformationCredibility.choices)
    origin_key = models.CharField(
        max_length=300,
        blank=True,
        help_text="Reprints of one wire story share this key and count as one origin.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["claim_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(document_ref=""), name="evidence_has_url_or_document"
            ),
            models.CheckConstraint(
                condition=Q(credibility__gte=1, credibility__lte=6), name="evidence_credibility_1_6"
            ),
            models.CheckConstraint(
                condition=Q(source_reliability__in=list(SourceReliability.values)),
                name="evidence_reliability_a_f",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def grade(self) -> str:
        """The Admiralty code, e.g. "B2"."""
        return f"{self.source_reliability}{self.credibility}"


class Review(models.Model):
    """One reviewer's verdict on a claim, for one assignment."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="reviews")
    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="review")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    review_round = models.PositiveSmallIntegerField(default=1)
    rating = models.CharField(max_length=20, choices=Rating.choices)
    confidence = models.CharField(max_length=10, choices=Confidence.choices)
    rationale = models.TextField()
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="cited_by")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[evidence])

    class Meta:
        ordering = ["claim_id", "created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="review_has_rationale"),
        ]
        indexes = [
            # Consensus and the desk's agreement: "reviews of claim X in round N".
            models.Index(fields=["claim", "review_round"], name="review_claim_round_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.get_rating_display()} ({self.confidence})"


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
    ASSIGN = "assign", "Assigned"
    ACCEPT = "accept", "Assignment accepted"
    DECLINE = "decline", "Assignment declined"
    WITHDRAW = "withdraw", "Assignment withdrawn"
    EXPIRE = "expire", "Assignment expired"
    REVIEW = "review", "Review submitted"


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


__all__ = [
    "Assignment",
    "AssignmentState",
    "Availability",
    "ClaimState",
    "EmailKind",
    "EmailLog",
    "EmailStatus",
    "Evidence",
    "ExternalReview",
    "ExternalReviewOrigin",
    "InformationCredibility",
    "Review",
    "ReviewerProfile",
    "SourceReliability",
    "Stance",
    "WorkflowAction",
    "WorkflowEvent",
]


class EmailKind(models.TextChoices):
    ASSIGNMENT = "assignment", "Assignment"
    REMINDER = "reminder", "Reminder before the due date"
    OVERDUE = "overdue", "Overdue reminder"
    ESCALATION = "escalation", "Escalation to editors"
    WITHDRAWN = "withdrawn", "Assignment withdrawn"
    READY_FOR_SIGNOFF = "ready_for_signoff", "Ready for sign-off"
    PUBLISHED = "published", "Published"
    DIGEST = "digest", "Daily digest"
    NEW_LOGIN = "new_login", "Login from a new device"


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


class ExternalReviewOrigin(models.TextChoices):
    CLAIMREVIEW = "claimreview", "ClaimReview markup"
    GOOGLE_FACT_CHECK = "google_fact_check", "Google Fact Check Tools record"
    BULK = "bulk", "Bulk import"


class ExternalReview(models.Model):
    """A verdict another fact-checker published on a claim: imported ClaimReview markup, a Google
    Fact Check Tools record, or a dataset's label (the LIAR set's PolitiFact ratings).

    It stands beside the desk's own reviews and never counts towards the consensus: an imported
    claim is the desk's to triage and check, with this verdict shown alongside. ``rating_text``
    keeps the publisher's own words ("Pants on Fire", "Engañoso"); ``rating`` is their reading on
    the desk's scale (``claims.claimreview.ratings``), unverifiable when the words are unknown.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="external_reviews")
    publisher = models.CharField(max_length=200)
    publisher_url = models.URLField(max_length=2000, blank=True)
    url = models.URLField(max_length=2000, blank=True, help_text="The published fact check.")
    external_id = models.CharField(
        max_length=200,
        blank=True,
        help_text="The publisher's or the data set's id for the verdict, when it has no URL.",
    )
    title = models.CharField(max_length=500, blank=True)
    rating_text = models.TextField(help_text="The verdict in the publisher's words.")
    rating = models.CharField(max_length=20, choices=Rating.choices)
    # The publisher's numeric scale, as published (often reversed or 0-based: kept to show why
    # ``rating`` reads it as it does).
    rating_value = models.FloatField(null=True, blank=True)
    best_rating = models.FloatField(null=True, blank=True)
    worst_rating = models.FloatField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    published_on = models.DateField(null=True, blank=True)
    origin = models.CharField(max_length=20, choices=ExternalReviewOrigin.choices)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["claim_id", "published_on", "id"]
        constraints = [
            # Importing the same fact check twice records it once. Blank URL and id are values,
            # not NULLs, so a verdict without either is still recorded once per publisher.
            models.UniqueConstraint(
                fields=["claim", "publisher", "url", "external_id"],
                name="external_review_unique_per_claim",
            ),
            models.CheckConstraint(
                condition=Q(rating__in=list(Rating.values)), name="external_review_rating_valid"
            ),
            models.CheckConstraint(condition=~Q(publisher=""), name="external_review_publisher"),
        ]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.rating_text}"
