"""Reviewers: their expertise, how much open work they take, and whether they are in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from claims.models import Topic


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
