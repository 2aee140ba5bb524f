"""Registering, changing, disabling and re-enabling endpoints: editors only, whichever door."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims.roles import require_editor
from config.fetch import FetchError, checked_url
from config.webhooks.models import DeliveryState, Endpoint, WebhookEvent, new_secret


def _clean_url(url: str) -> str:
    """The URL's form, checked as config.fetch checks it (its address: at each delivery)."""
    url = url.strip()
    try:
        checked_url(url)
    except FetchError as error:
        raise ValidationError({"url": str(error)}) from error
    return url


def _clean_events(events: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(events))
    unknown = [event for event in chosen if event not in WebhookEvent.values]
    if unknown:
        raise ValidationError({"events": f"Not an event: {', '.join(map(repr, unknown))}."})
    if not chosen:
        raise ValidationError({"events": "Choose at least one event."})
    return [event for event in WebhookEvent.values if event in chosen]  # in the usual order


def endpoint_create(
    *,
    actor: AbstractBaseUser,
    url: str,
    events: Iterable[str],
    secret: str = "",
    description: str = "",
) -> Endpoint:
    """An editor registers an endpoint; its secret is generated unless one is given."""
    require_editor(actor, "register a webhook endpoint")
    return Endpoint.objects.create(
        url=_clean_url(url),
        events=_clean_events(events),
        secret=secret.strip() or new_secret(),
        description=description.strip(),
        created_by=actor,
    )


def endpoint_update(
    *,
    actor: AbstractBaseUser,
    endpoint: Endpoint,
    url: str | None = None,
    events: Iterable[str] | None = None,
    secret: str | None = None,
    description: str | None = None,
) -> Endpoint:
    """An editor changes an endpoint; what is not given stays, an empty secret makes a new one.
    Deliveries already made keep their payload and key."""
    require_editor(actor, "change a webhook endpoint")
    if url is not None:
        endpoint.url = _clean_url(url)
    if events is not None:
        endpoint.events = _clean_events(events)
    if secret is not None:
        endpoint.secret = secret.strip() or new_secret()
    if description is not None:
        endpoint.description = description.strip()
    endpoint.save()
    return endpoint


def endpoint_delete(*, actor: AbstractBaseUser, endpoint: Endpoint) -> None:
    """An editor removes an endpoint, and with it its delivery log."""
    require_editor(actor, "remove a webhook endpoint")
    endpoint.delete()


def endpoint_enable(*, actor: AbstractBaseUser, endpoint: Endpoint) -> Endpoint:
    """An editor turns a disabled endpoint back on, its failure count at zero."""
    require_editor(actor, "re-enable a webhook endpoint")
    Endpoint.objects.filter(pk=endpoint.pk).update(
        active=True, disabled_at=None, disabled_reason="", consecutive_failures=0
    )
    endpoint.refresh_from_db()
    return endpoint


def endpoint_delivered(*, endpoint_id: int) -> None:
    """A delivery got through: the endpoint's run of failures is over."""
    Endpoint.objects.filter(pk=endpoint_id, consecutive_failures__gt=0).update(
        consecutive_failures=0
    )


def endpoint_failed(*, endpoint_id: int, reason: str) -> bool:
    """A delivery failed for good: one failure more in the endpoint's run; at
    ``WEBHOOK_DISABLE_AFTER`` it is disabled (:func:`endpoint_disable`). True if it was."""
    endpoints = Endpoint.objects.filter(pk=endpoint_id)
    endpoints.update(consecutive_failures=F("consecutive_failures") + 1)
    endpoint = endpoints.get()
    if endpoint.active and endpoint.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER:
        return endpoint_disable(
            endpoint=endpoint,
            reason=f"{endpoint.consecutive_failures} deliveries in a row failed; "
            f"the last: {reason}",
        )
    return False


def endpoint_disable(*, endpoint: Endpoint, reason: str) -> bool:
    """Stop sending to an endpoint, once (a conditional UPDATE from active): its waiting
    deliveries are abandoned and its editor is told (the outbox). True if this call did it."""
    from config.webhooks.emails import email_webhook_disabled  # it reads this app's models

    now = timezone.now()
    with transaction.atomic():
        disabled = Endpoint.objects.filter(pk=endpoint.pk, active=True).update(
            active=False, disabled_at=now, disabled_reason=reason
        )
        if not disabled:
            return False
        endpoint.deliveries.filter(state=DeliveryState.PENDING).update(
            state=DeliveryState.ABANDONED, claimed_at=None
        )
        endpoint.refresh_from_db()
        email_webhook_disabled(endpoint=endpoint)
    return True
