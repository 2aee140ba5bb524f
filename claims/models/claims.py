"""The claim: a checkable statement in neutral words, its topics and figures, and where it stands
in the review workflow (an FSM field moved only by the services)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from claims.models.verdicts import Confidence, Rating


def user_field(related_name: str = "+") -> models.ForeignKey:
    """The user who made or decided a row; the row stays, naming no one, if the user goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


class Topic(models.Model):
    """A subject a claim is about and a reviewer can be expert in ("military aid", "casualties")."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClaimState(models.TextChoices):
    NEW = "new", "New"
    TRIAGED = "triaged", "Triaged"
    DISMISSED = "dismissed", "Dismissed"
    IN_RESEARCH = "in_research", "In research"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class Claim(ConcurrentTransitionMixin, models.Model):
    """A checkable statement, in neutral words, and where it stands in the review workflow.

    ``state`` changes only by the transitions below, each called from a service that records a
    ``WorkflowEvent``; ``ConcurrentTransitionMixin`` makes the save a compare-and-set on the old
    state, so two people moving the same claim at once cannot both win.
    """

    statement = models.TextField(help_text="The claim in neutral words.")
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    checkworthiness = models.FloatField(
        null=True, blank=True, help_text="0–1, filled by extraction; empty for hand-entered claims."
    )
    language = models.CharField(
        max_length=16,
        blank=True,
        help_text="ISO 639-1 code of the statement's language; empty when not known.",
    )
    state = FSMField(
        max_length=20, choices=ClaimState.choices, default=ClaimState.NEW, protected=True
    )
    submitted_by = user_field("submitted_claims")
    required_reviews = models.PositiveSmallIntegerField(
        default=1, help_text="Independent reviews needed before sign-off; set at triage."
    )
    # Bumped by "send back" and "reopen": reviews and assignments of earlier rounds stay in the
    # record but no longer count towards the current verdict.
    review_round = models.PositiveSmallIntegerField(default=1)
    consensus_rating = models.CharField(max_length=20, choices=Rating.choices, blank=True)
    consensus_confidence = models.CharField(max_length=10, choices=Confidence.choices, blank=True)
    agreement = models.FloatField(
        null=True,
        blank=True,
        help_text="Krippendorff's alpha (ordinal) of this claim's current reviews, against the "
        "desk's expected disagreement; empty with fewer than two firm ratings.",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = user_field("published_claims")
    # What the signing editor published: the consensus unless they chose otherwise, and the
    # summary a reader sees beside it (ClaimReview's reviewBody).
    published_rating = models.CharField(max_length=20, choices=Rating.choices, blank=True)
    published_summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(checkworthiness__isnull=True)
                | Q(checkworthiness__gte=0, checkworthiness__lte=1),
                name="claim_checkworthiness_0_1",
            ),
            models.CheckConstraint(
                condition=Q(required_reviews__gte=1), name="claim_required_reviews_positive"
            ),
            models.CheckConstraint(
                condition=~Q(state=ClaimState.PUBLISHED) | Q(published_at__isnull=False),
                name="claim_published_has_date",
            ),
        ]
        indexes = [
            # The desk's queues: "claims in state X, newest first".
            models.Index(fields=["state", "-created_at"], name="claim_state_created_idx"),
        ]

    def __str__(self) -> str:
        return self.statement if len(self.statement) <= 80 else self.statement[:77] + "…"

    @property
    def has_public_verdict(self) -> bool:
        """A verdict is out: published, or published and reopened for another round."""
        return self.published_at is not None

    @property
    def is_under_review_again(self) -> bool:
        return self.published_at is not None and self.state != ClaimState.PUBLISHED

    @property
    def is_locked(self) -> bool:
        """A published claim is read-only until it is reopened."""
        return self.state == ClaimState.PUBLISHED

    # --- Declared transitions. Call them only through the services. -------------------------

    @transition(field=state, source=ClaimState.NEW, target=ClaimState.TRIAGED)
    def triage(self) -> None:
        pass

    @transition(field=state, source=ClaimState.NEW, target=ClaimState.DISMISSED)
    def dismiss(self) -> None:
        pass

    @transition(field=state, source=ClaimState.DISMISSED, target=ClaimState.NEW)
    def restore(self) -> None:
        pass

    @transition(field=state, source=ClaimState.TRIAGED, target=ClaimState.IN_RESEARCH)
    def start_research(self) -> None:
        pass

    @transition(field=state, source=ClaimState.IN_RESEARCH, target=ClaimState.IN_REVIEW)
    def submit_for_signoff(self) -> None:
        pass

    @transition(field=state, source=ClaimState.IN_REVIEW, target=ClaimState.IN_RESEARCH)
    def send_back(self) -> None:
        self._start_new_round()

    @transition(field=state, source=ClaimState.IN_REVIEW, target=ClaimState.PUBLISHED)
    def publish(self) -> None:
        pass

    @transition(field=state, source=ClaimState.PUBLISHED, target=ClaimState.IN_RESEARCH)
    def reopen(self) -> None:
        # The published verdict stays public ("under review again") until the new round's
        # sign-off replaces it as a correction (``claims.models.corrections``).
        self._start_new_round()

    @transition(field=state, source=ClaimState.PUBLISHED, target=ClaimState.DISMISSED)
    def retract(self) -> None:
        # The fact check is taken down: nothing is public but the withdrawal notice.
        self.published_at = None
        self.published_by = None
        self.published_rating = ""
        self.published_summary = ""

    def _start_new_round(self) -> None:
        # Earlier rounds' reviews stay on record; the verdict is rebuilt from the new round.
        self.review_round += 1
        self.consensus_rating = ""
        self.consensus_confidence = ""
        self.agreement = None


class QuantityKind(models.TextChoices):
    MONEY = "money", "Money"
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    DURATION = "duration", "Duration"
    WEIGHT = "weight", "Weight"
    DATE = "date", "Date"
    OTHER = "other", "Other"


class Period(models.TextChoices):
    NONE = "", "—"
    DAY = "day", "per day"
    WEEK = "week", "per week"
    MONTH = "month", "per month"
    YEAR = "year", "per year"


class Quantity(models.Model):
    """A figure a claim states: "$3.8 billion a year" is 3.8e9 USD per year, exact."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="quantities")
    kind = models.CharField(max_length=12, choices=QuantityKind.choices, default=QuantityKind.COUNT)
    value = models.DecimalField(max_digits=24, decimal_places=6)
    unit = models.CharField(max_length=40, help_text='"USD", "people", "months", "lb", "%".')
    period = models.CharField(max_length=10, choices=Period.choices, blank=True, default="")
    approximate = models.BooleanField(default=False, help_text='"about", "roughly", "nearly".')
    text = models.CharField(max_length=200, blank=True, help_text="The figure as written.")

    class Meta:
        verbose_name_plural = "quantities"
        ordering = ["id"]

    def __str__(self) -> str:
        about = "about " if self.approximate else ""
        per = f" per {self.period}" if self.period else ""
        return f"{about}{self.value.normalize():f} {self.unit}{per}"
