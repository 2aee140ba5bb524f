"""Where events come from: ``verification.signals.verdict_changed``, sent inside the transaction
of every move that changes what the public is told about a claim."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from claims.models import Claim
from config.webhooks.services.deliveries import deliveries_record
from verification.models import WorkflowEvent
from verification.signals import verdict_changed


@receiver(verdict_changed, dispatch_uid="webhooks.verdict_changed")
def verdict_changed_received(
    sender: Any, *, claim: Claim, event: str, workflow_event: WorkflowEvent, **kwargs: Any
) -> None:
    deliveries_record(claim=claim, event=event, workflow_event=workflow_event)
