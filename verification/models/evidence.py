"""Evidence on a claim, graded on the Admiralty (NATO) scale."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from claims.models import Claim


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


# What a person gives for a piece of evidence, in the order the forms show it: the arguments of
# ``evidence_add`` besides the claim, and the fields the claim's timeline follows.
EVIDENCE_DETAILS = (
    "title",
    "url",
    "document_ref",
    "publisher",
    "excerpt",
    "stance",
    "source_reliability",
    "credibility",
    "origin_key",
)


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
