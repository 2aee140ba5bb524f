"""Reviews: one reviewer's verdict on a claim, with a stated confidence, for one assignment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from claims.models import Claim, Confidence, Rating
from verification.models.assignments import Assignment
from verification.models.evidence import Evidence

# The verdict and whose it is: a review's admin page and API record, before its evidence.
REVIEW_RECORD_FIELDS = [
    "claim",
    "assignment",
    "reviewer",
    "review_round",
    "rating",
    "confidence",
    "rationale",
]


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
