"""What the desk sends out when a verdict changes: endpoints, one delivery per event per endpoint,
and every attempt to deliver it (the delivery log)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from claims.models import Claim
from verification.models import WorkflowEvent


class WebhookEvent(models.TextChoices):
    # The values are verification.signals.VERDICT_EVENTS, the events the desk announces.
    PUBLISHED = "published", "Published"
    CORRECTED = "corrected", "Corrected"
    REOPENED = "reopened", "Reopened"
    WITHDRAWN = "withdrawn", "Withdrawn"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


# Whether an endpoint is on, and why not: read-only wherever endpoints are shown.
ENDPOINT_HEALTH_FIELDS = ["active", "consecutive_failures", "disabled_at", "disabled_reason"]


class Endpoint(models.Model):
    """A URL of the newsroom's sent the events it subscribes to, signed with its secret; disabled
    after ``WEBHOOK_DISABLE_AFTER`` failed deliveries in a row."""

    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(max_length=100, default=new_secret)
    events = models.JSONField(default=list, help_text="Which events it is sent.")
    active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveSmallIntegerField(
        default=0, help_text="Deliveries in a row that failed (reset by one delivered)."
    )
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="webhook_endpoints"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url

    def wants(self, event: str) -> bool:
        return self.active and event in self.events


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"
    ABANDONED = "abandoned", "Abandoned (endpoint disabled)"


# How a delivery is going, in the order its admin page and its API record show it.
DELIVERY_PROGRESS_FIELDS = ["state", "attempts", "next_attempt_at", "delivered_at", "last_error"]


class Delivery(models.Model):
    """One event for one endpoint. ``key`` is its idempotency key: the same for every attempt
    and every "send again", so a receiver that saw it once can ignore it."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=20, choices=WebhookEvent.choices)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    workflow_event = models.ForeignKey(WorkflowEvent, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64, unique=True)
    payload = models.JSONField()
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Attempts since it was queued or last sent again."
    )
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)  # a worker is sending it
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            # Exactly one delivery of an event to an endpoint, however often it is announced.
            models.UniqueConstraint(
                fields=["endpoint", "workflow_event"], name="delivery_once_per_endpoint"
            ),
            models.CheckConstraint(
                condition=~Q(state="delivered") | Q(delivered_at__isnull=False),
                name="delivery_delivered_has_time",
            ),
        ]
        indexes = [
            # The sweep: "pending and due".
            models.Index(fields=["state", "next_attempt_at"], name="delivery_state_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} of claim #{self.claim_id} to {self.endpoint_id}"


class Attempt(models.Model):
    """One try at a delivery: when, what the endpoint answered (or why not), how long it took."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    ok = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.status_code or self.error[:40]} at {self.at:%Y-%m-%d %H:%M:%S}"
