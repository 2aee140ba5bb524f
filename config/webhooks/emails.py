"""The webhooks' email: an endpoint was disabled (``templates/emails/webhook_disabled/``), to
the editor who registered it, stored in verification's outbox
(:func:`verification.emails.email_queue`): sent after commit, once per disabling."""

from __future__ import annotations

from django.urls import reverse

from config.webhooks.models import Endpoint
from verification.emails import desk_link, email_queue
from verification.models import EmailKind, EmailLog


def email_webhook_disabled(*, endpoint: Endpoint) -> EmailLog | None:
    """Tell the editor who registered ``endpoint`` that the desk stopped sending to it: why,
    since when, and where to look at its deliveries and turn it back on."""
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
