"""The webhooks' email (``templates/emails/webhook_disabled/``), through verification's outbox."""

from __future__ import annotations

from django.urls import reverse

from config.webhooks.models import Endpoint
from verification.emails import desk_link, email_queue
from verification.models import EmailKind, EmailLog


def email_webhook_disabled(*, endpoint: Endpoint) -> EmailLog | None:
    """Tell the editor who registered ``endpoint`` that the desk stopped sending to it, once."""
    stamp = endpoint.disabled_at.isoformat() if endpoint.disabled_at else "now"
    return email_queue(
        key=f"webhook_disabled:{endpoint.pk}:{stamp}",
        kind=EmailKind.WEBHOOK_DISABLED,
        user=endpoint.created_by,
        context={
            "endpoint": endpoint,
            "endpoint_url": desk_link(
                reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])
            ),
        },
    )
