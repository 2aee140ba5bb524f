"""What was said, where, and by whom.

A :class:`Claim` is the checkable statement in neutral words; each place it was made is an
:class:`Appearance` in a :class:`Source`, with the verbatim quote and its character span. The
claim's workflow state is an FSM field whose moves are declared here and driven only by the
services in ``claims.services`` and ``verification.services``.
"""

from __future__ import annotations

import hashlib
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords


class Topic(models.Model):
    """A subject a claim is about and a reviewer can be expert in ("military aid", "casualties")."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SourceKind(models.TextChoices):
    ARTICLE = "article", "Article"
    TRANSCRIPT = "transcript", "Transcript"
    SOCIAL_POST = "social_post", "Social media post"
    REPORT = "report", "Report"
    OTHER = "other", "Other"


def content_hash_of(text: str) -> str:
    """SHA-256 of the text after Unicode NFC normalisation and whitespace folding.

    Two copies of an article that differ only in line wrapping or trailing spaces hash alike,
    so the same text is never stored twice.
    """
    folded = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


class Source(models.Model):
    """A document claims appear in: an article, a transcript, a social post, a report."""

    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.ARTICLE)
    url = models.URLField(max_length=2000, unique=True, null=True, blank=True)
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=16, default="en")
    text = models.TextField(blank=True)
    # NULL when there is no text (a URL-only source), so the unique index ignores those rows.
    content_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") & ~Q(content_hash=""), name="source_no_empty_keys"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SpeakerKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"


class Speaker(models.Model):
    """A person or organisation a claim is attributed to, with the role the source gives."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SpeakerKind.choices, default=SpeakerKind.PERSON)
    role = models.CharField(
        max_length=300, blank=True, help_text="Role or affiliation, as the source gives it."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "role"], name="speaker_unique_name_role"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


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


class Rating(models.TextChoices):
    """The verdict scale. The first five are ordinal (see ``ordinal``); unverifiable is not."""

    TRUE = "true", "True"
    MOSTLY_TRUE = "mostly_true", "Mostly true"
    MIXED = "mixed", "Mixed"
    MOSTLY_FALSE = "mostly_false", "Mostly false"
    FALSE = "false", "False"
    UNVERIFIABLE = "unverifiable", "Unverifiable"

    @property
    def ordinal(self) -> int | None:
        """5 for true down to 1 for false (the ClaimReview 1–5 scale); None for unverifiable."""
        return RATING_ORDINAL.get(self)

    @property
    def is_firm(self) -> bool:
        return self != Rating.UNVERIFIABLE


RATING_ORDINAL: dict[str, int] = {
    Rating.TRUE: 5,
    Rating.MOSTLY_TRUE: 4,
    Rating.MIXED: 3,
    Rating.MOSTLY_FALSE: 2,
    Rating.FALSE: 1,
}


class Confidence(models.TextChoices):
    """How sure a reviewer is that their rating is right, each level with a probability band."""

    LOW = "low", "Low (55–70%)"
    MODERATE = "moderate", "Moderate (70–90%)"
    HIGH = "high", "High (90–99%)"

    @property
    def band(self) -> tuple[float, float]:
        return CONFIDENCE_BANDS[self]

    @property
    def rank(self) -> int:
        return list(Confidence).index(self)


CONFIDENCE_BANDS: dict[str, tuple[float, float]] = {
    Confidence.LOW: (0.55, 0.70),
    Confidence.MODERATE: (0.70, 0.90),
    Confidence.HIGH: (0.90, 0.99),
}


class Claim(ConcurrentTransitionMixin, models.Model):
    """A checkable statement, in neutral words, and where it stands in the review workflow.

    The ``state`` field is protected: only the declared transitions below change it, and each
    is called from a service that records a :class:`verification.models.WorkflowEvent`.
    ``ConcurrentTransitionMixin`` turns the save into a compare-and-set on the old state, so
    two people moving the same claim at once cannot both win.
    """

    statement = models.TextField(help_text="The claim in neutral words.")
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    checkworthiness = models.FloatField(
        null=True, blank=True, help_text="0–1, filled by extraction; empty for hand-entered claims."
    )
    state = FSMField(
        max_length=20, choices=ClaimState.choices, default=ClaimState.NEW, protected=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_claims",
    )
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
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="published_claims",
    )
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
        self._start_new_round()
        self.published_at = None
        self.published_by = None

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


class Attribution(models.TextChoices):
    SAID = "said", "The speaker said it"
    REPORTED = "reported", "The source reports it"
    ASSERTED = "asserted", "The author asserts it"


class Appearance(models.Model):
    """One place a claim was made: the verbatim quote at an exact span of a source's text."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="appearances")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="appearances")
    quote = models.TextField()
    start = models.PositiveIntegerField(help_text="Offset of the quote's first character.")
    end = models.PositiveIntegerField(help_text="Offset just past the quote's last character.")
    speaker = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.PROTECT, related_name="appearances"
    )
    attribution = models.CharField(max_length=10, choices=Attribution.choices)
    note = models.TextField(
        blank=True, help_text='Hedges the source attaches ("impossible to confirm").'
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["source_id", "start"]
        constraints = [
            # The span's length must be the quote's; that the characters match is checked in
            # claims.services, which can read the source's text.
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("quote")), name="appearance_span_matches_quote"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="appearance_span_nonempty"
            ),
            models.UniqueConstraint(
                fields=["claim", "source", "start", "end"], name="appearance_unique_span"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} [{self.start}:{self.end}]"


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


class ImportJobStatus(models.TextChoices):
    """Where an import job stands."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportJob(models.Model):
    """A CSV or JSON Lines file of claims handed to the desk, imported by a worker a chunk of
    rows at a time, and how far it got.

    Created by ``claims.bulk.jobs.import_job_create``; run by ``import_job_run`` (the Celery
    task ``claims.tasks.import_claims``), which commits each chunk's claims, report lines and
    ``rows_done`` together, so a run that dies is resumed after the last committed row.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="imports/%Y/%m/")
    name = models.CharField(max_length=200, blank=True, help_text="The file's name as given.")
    file_format = models.CharField(max_length=10)  # claims.bulk.rows.FileFormat
    mapping = models.CharField(max_length=20)  # a name in claims.bulk.mapping.MAPPINGS
    status = models.CharField(
        max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Runs started since the last chunk was committed."
    )
    rows_total = models.PositiveIntegerField(null=True, blank=True, help_text="Rows in the file.")
    rows_done = models.PositiveIntegerField(default=0, help_text="Rows imported and committed.")
    created_count = models.PositiveIntegerField(default=0)
    matched_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set on every status or progress change: the sweep reads it to find jobs left behind.
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep: "queued or running jobs not touched since T".
            models.Index(fields=["status", "updated_at"], name="importjob_status_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"Import #{self.pk}: {self.name or self.file.name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)


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


class MatchOutcome(models.TextChoices):
    SUGGESTED = "suggested", "Suggested: likely duplicate, for the desk to decide"
    ATTACHED = "attached", "Attached automatically as a new appearance"
    CONFIRMED = "confirmed", "Confirmed duplicate"
    REJECTED = "rejected", "Not a duplicate"


class ClaimMatch(models.Model):
    """Ingestion's matching: an appearance that looks like an existing claim.

    Above the suggest threshold the appearance gets a new claim and this row proposes the
    existing one as its likely duplicate, for the desk to confirm or reject at triage; above the
    attach threshold the appearance was attached to the existing claim and this row says why.
    """

    appearance = models.ForeignKey(Appearance, on_delete=models.CASCADE, related_name="matches")
    existing = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="matched_by")
    score = models.FloatField(help_text="Combined similarity, 0–1.")
    words = models.FloatField(help_text="Word similarity alone, 0–1.")
    shared_figures = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(max_length=10, choices=MatchOutcome.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appearance", "existing"], name="match_unique_pair"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=1), name="match_score_0_1"),
        ]

    def __str__(self) -> str:
        return f"{self.appearance} ~ claim #{self.existing_id} ({self.score:.2f})"
