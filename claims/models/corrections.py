"""What the public was told about a claim, and every change to it since.

A published verdict is never silently replaced: each later change is a :class:`Correction`
with the verdict before and after, the public note, who and when: a ``correction`` (rating or
summary changed), an ``update`` (wording or links; the rating stays) or a ``withdrawal`` (the
fact check taken down). Written only by ``verification.services.corrections`` and
``claim_publish``.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from claims.models.claims import Claim, user_field
from claims.models.verdicts import Rating

# What a correction changed and why, the columns each list of corrections shows side by side.
CORRECTION_CHANGE_FIELDS = [
    "previous_rating",
    "rating",
    "previous_summary",
    "summary",
    "note",
    "review_round",
]


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", "Correction"
    UPDATE = "update", "Update"
    WITHDRAWAL = "withdrawal", "Withdrawal"


class Correction(models.Model):
    """One change to a published verdict, shown to the public with its note."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=12, choices=CorrectionKind.choices)
    previous_rating = models.CharField(max_length=20, choices=Rating.choices)
    previous_summary = models.TextField(blank=True)
    # The verdict after the change; empty for a withdrawal.
    rating = models.CharField(max_length=20, choices=Rating.choices, blank=True)
    summary = models.TextField(blank=True)
    note = models.TextField(help_text="The public explanation of the change.")
    review_round = models.PositiveSmallIntegerField(
        help_text="The review round whose verdict replaced the earlier one."
    )
    made_by = user_field("corrections_made")
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["made_at", "id"]
        indexes = [
            models.Index(fields=["claim", "made_at"], name="correction_claim_made_idx"),
            models.Index(fields=["-made_at"], name="correction_made_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(note=""), name="correction_has_note"),
            models.CheckConstraint(
                condition=models.Q(kind=CorrectionKind.WITHDRAWAL) | ~models.Q(rating=""),
                name="correction_has_rating_unless_withdrawal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of claim #{self.claim_id}, {self.made_at:%Y-%m-%d}"

    @property
    def rating_changed(self) -> bool:
        return self.kind != CorrectionKind.WITHDRAWAL and self.rating != self.previous_rating
