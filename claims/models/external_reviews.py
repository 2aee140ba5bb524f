"""Verdicts other fact-checkers published on a claim, shown beside the desk's own."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from claims.models.claims import Claim, user_field
from claims.models.verdicts import Rating


class ExternalReviewOrigin(models.TextChoices):
    CLAIMREVIEW = "claimreview", "ClaimReview markup"
    GOOGLE_FACT_CHECK = "google_fact_check", "Google Fact Check Tools record"
    BULK = "bulk", "Bulk import"


class ExternalReview(models.Model):
    """A verdict another fact-checker published on a claim (ClaimReview markup, a Google Fact
    Check record, a data set's label), shown beside the desk's reviews, never counted in the
    consensus. ``rating_text`` keeps the publisher's words; ``rating`` reads them on the desk's
    scale (``claims.claimreview.ratings``)."""

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
    imported_by = user_field()
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The table it was made in, when it belonged to verification (migrations: claims 0009).
        db_table = "verification_externalreview"
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
