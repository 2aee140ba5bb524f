"""Ingestion's likely duplicates: an appearance that looks like a claim the desk already has,
and the desk's decision on it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from claims.models.claims import Claim, user_field
from claims.models.sources import Appearance


class MatchOutcome(models.TextChoices):
    SUGGESTED = "suggested", "Suggested: likely duplicate, for the desk to decide"
    ATTACHED = "attached", "Attached automatically as a new appearance"
    CONFIRMED = "confirmed", "Confirmed duplicate"
    REJECTED = "rejected", "Not a duplicate"


class ClaimMatch(models.Model):
    """An appearance that looks like an existing claim: above the suggest threshold a likely
    duplicate for the desk to decide at triage; above the attach threshold, why it was attached.
    """

    appearance = models.ForeignKey(Appearance, on_delete=models.CASCADE, related_name="matches")
    existing = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="matched_by")
    score = models.FloatField(help_text="Combined similarity, 0–1.")
    words = models.FloatField(help_text="Word similarity alone, 0–1.")
    shared_figures = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(max_length=10, choices=MatchOutcome.choices)
    decided_by = user_field()
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
