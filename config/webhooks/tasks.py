"""The webhooks' Celery tasks: thin and idempotent. Each attempt is claimed with a conditional
UPDATE (``webhooks.services.deliveries``), so a redelivery, a retry or the sweep never sends one
attempt twice."""

from __future__ import annotations

from celery import shared_task

from config.tasks import RETRY_TRANSIENT, publish_when_due, safe_delay
from config.webhooks.models import Delivery
from config.webhooks.services.deliveries import Outcome, deliveries_due, delivery_send


@shared_task(**RETRY_TRANSIENT)
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at a delivery (:func:`~webhooks.services.deliveries.delivery_send`); one to
    be tried again is published for when its backoff ends."""
    outcome = delivery_send(delivery_id=delivery_id)
    if outcome is Outcome.RETRY:
        publish_when_due(deliver_webhook, Delivery, delivery_id)
    return outcome.value


@shared_task
def webhook_sweep() -> int:
    """Run by beat: publish the deliveries that are due and that nobody is sending (a publish
    the broker lost, a worker that died, a countdown that vanished with its worker)."""
    due = deliveries_due()
    for delivery_id in due:
        safe_delay(deliver_webhook, delivery_id)
    return len(due)
