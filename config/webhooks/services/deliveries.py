"""One delivery per event per endpoint, sent until it gets through or its attempts run out.

Each attempt is claimed with a conditional UPDATE, so two workers never send it twice. A worker
killed after the receiver answered and before the answer was recorded sends it once more, with
the same key: that is why the key is sent (``X-Claimdesk-Delivery``) and a receiver keeps it."""

from __future__ import annotations

import datetime as dt
import enum
import time
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from claims.claimreview.jsonld import claim_review_jsonld
from claims.exceptions import WorkflowConflict
from claims.models import Claim
from claims.roles import require_editor
from config.fetch import FetchError, fetch
from config.tasks import after_commit
from config.webhooks.models import Attempt, Delivery, DeliveryState, Endpoint
from config.webhooks.services import endpoints, signing
from verification.emails import claim_links
from verification.models import WorkflowEvent

# Idempotency keys are UUIDs derived from the endpoint and the workflow event: stable however
# often the event is announced (and unique under the table's constraint).
_KEYS = uuid.UUID("5b0f3c52-8a7e-4d0b-9f3e-2c1d7a6e4b90")
# The receiver's answer is not read for anything but its status: a little is enough.
ANSWER_MAX_BYTES = 64 * 1024
RETRY_STATUSES = frozenset({408, 429})


class Outcome(enum.Enum):
    DELIVERED = "delivered"
    RETRY = "retry"  # another attempt is due at next_attempt_at
    FAILED = "failed"
    SKIPPED = "skipped"  # not due, someone else is sending it, or nothing to send


def delivery_key(*, endpoint_id: int, workflow_event_id: int) -> str:
    return str(uuid.uuid5(_KEYS, f"{endpoint_id}:{workflow_event_id}"))


def delivery_payload(
    *, claim: Claim, event: str, workflow_event: WorkflowEvent, key: str = ""
) -> dict[str, Any]:
    """What the endpoint is sent: the event, its key, the claim's ids and the ClaimReview
    JSON-LD as the public sees it now (null when the claim has none: reopened, withdrawn)."""
    try:
        review = claim_review_jsonld(claim)
    except ValueError:
        review = None
    links = claim_links(claim)
    return {
        "event": event,
        "id": key,
        "occurred_at": workflow_event.created_at.isoformat(),
        "workflow_event": workflow_event.pk,
        "claim": {
            "id": claim.pk,
            "state": claim.state,
            "url": links["api_url"],
            "admin_url": links["admin_url"],
        },
        "claim_review": review,
    }


def deliveries_record(*, claim: Claim, event: str, workflow_event: WorkflowEvent) -> list[Delivery]:
    """The event's deliveries, one per active endpoint subscribed to it, in the caller's
    transaction, each published after commit; an event announced twice records nothing new."""
    from config.webhooks.tasks import deliver_webhook  # the task module imports this one

    made: list[Delivery] = []
    # A JSON list, read in Python: endpoints are few, and SQLite has no JSON containment lookup.
    subscribed = [e for e in Endpoint.objects.filter(active=True).order_by("pk") if e.wants(event)]
    if not subscribed:
        return made
    common = delivery_payload(claim=claim, event=event, workflow_event=workflow_event)
    for endpoint in subscribed:
        key = delivery_key(endpoint_id=endpoint.pk, workflow_event_id=workflow_event.pk)
        payload = {**common, "id": key}
        try:
            with transaction.atomic():  # a savepoint: a duplicate leaves the move's transaction
                delivery, created = Delivery.objects.get_or_create(
                    endpoint=endpoint,
                    workflow_event=workflow_event,
                    defaults={"event": event, "claim": claim, "key": key, "payload": payload},
                )
        except IntegrityError:  # announced twice at once: the other one recorded it
            continue
        if created:
            made.append(delivery)
            after_commit(deliver_webhook, delivery.pk)
    return made


def retry_delay(attempts: int) -> float:
    """Seconds before the next attempt after ``attempts`` failed ones: doubled each time, capped."""
    base = float(settings.WEBHOOK_RETRY_BACKOFF_SECONDS)
    return min(base * 2 ** max(attempts - 1, 0), float(settings.WEBHOOK_RETRY_BACKOFF_MAX_SECONDS))


def should_retry(*, status: int | None, transient: bool) -> bool:
    """An answer worth waiting for: 5xx, 408 and 429, or no answer (a timeout, a connection
    fault, a name that did not resolve); anything else will be the same next time."""
    if status is not None:
        return status >= 500 or status in RETRY_STATUSES
    return transient


def stale_before(now: dt.datetime) -> dt.datetime:
    """A claim older than this belongs to a worker that died: the fetch's deadline and a margin."""
    margin = settings.WEBHOOK_TIMEOUT + settings.WEBHOOK_STALE_MARGIN_SECONDS
    return now - dt.timedelta(seconds=margin)


def _due(now: dt.datetime) -> QuerySet[Delivery]:
    """Deliveries pending and due that no live worker holds."""
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale_before(now))
    return Delivery.objects.filter(free, state=DeliveryState.PENDING, next_attempt_at__lte=now)


def delivery_send(*, delivery_id: int) -> Outcome:
    """One attempt at a delivery:

    1. Claim it (conditional UPDATE: pending, due, not held); otherwise nothing to do.
    2. An endpoint disabled meanwhile: the delivery is abandoned.
    3. POST the signed body through ``config.fetch`` (no redirect followed); log the attempt.
    4. A 2xx: delivered. Worth retrying with attempts left: pending after the backoff. Otherwise
       failed, which counts towards disabling the endpoint (``endpoints.endpoint_failed``).
    """
    now = timezone.now()
    if not _due(now).filter(pk=delivery_id).update(claimed_at=now):
        return Outcome.SKIPPED
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.active:
        Delivery.objects.filter(pk=delivery_id).update(
            state=DeliveryState.ABANDONED, claimed_at=None
        )
        return Outcome.SKIPPED
    status, error, transient, took = _post(delivery, endpoint)
    attempts = delivery.attempts + 1
    ok = status is not None and 200 <= status < 300
    Attempt.objects.create(
        delivery=delivery, at=now, status_code=status, error=error, duration_ms=took, ok=ok
    )
    changes: dict[str, Any] = {"attempts": attempts, "claimed_at": None, "last_error": error}
    if ok:
        changes |= {"state": DeliveryState.DELIVERED, "delivered_at": timezone.now()}
        outcome = Outcome.DELIVERED
    elif should_retry(status=status, transient=transient) and (
        attempts < settings.WEBHOOK_MAX_ATTEMPTS
    ):
        delay = dt.timedelta(seconds=retry_delay(attempts))
        changes |= {"next_attempt_at": timezone.now() + delay}
        outcome = Outcome.RETRY
    else:
        changes |= {"state": DeliveryState.FAILED}
        outcome = Outcome.FAILED
    Delivery.objects.filter(pk=delivery_id, claimed_at=now).update(**changes)
    if outcome is Outcome.DELIVERED:
        endpoints.endpoint_delivered(endpoint_id=endpoint.pk)
    elif outcome is Outcome.FAILED:
        endpoints.endpoint_failed(endpoint_id=endpoint.pk, reason=error)
    return outcome


def _post(delivery: Delivery, endpoint: Endpoint) -> tuple[int | None, str, bool, int]:
    """(status or None, error text, worth retrying, milliseconds) of one signed POST."""
    body = signing.payload_body(delivery.payload)
    headers = {
        "Content-Type": "application/json",
        signing.SIGNATURE_HEADER: signing.signature_header(secret=endpoint.secret, body=body),
        signing.EVENT_HEADER: delivery.event,
        signing.DELIVERY_HEADER: delivery.key,
    }
    started = time.monotonic()
    try:
        answer = fetch(
            endpoint.url,
            method="POST",
            body=body,
            headers=headers,
            accept=("*/*", ""),
            max_bytes=ANSWER_MAX_BYTES,
            timeout=settings.WEBHOOK_TIMEOUT,
            errors=True,
        )
    except FetchError as failure:
        status, error, transient = failure.status, str(failure), failure.transient
    else:
        status, transient = answer.status, False
        error = "" if answer.status < 300 else f"HTTP {answer.status}"
    return status, error, transient, int((time.monotonic() - started) * 1000)


def delivery_redeliver(*, actor: AbstractBaseUser, delivery: Delivery) -> Delivery:
    """An editor's "send again": the same key and payload, a fresh set of attempts. Refused
    while it is being sent, or when its endpoint is disabled."""
    from config.webhooks.tasks import deliver_webhook

    require_editor(actor, "send a webhook again")
    with transaction.atomic():
        locked = Delivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
        if not locked.endpoint.active:
            raise WorkflowConflict(
                f"The endpoint {locked.endpoint} is disabled; re-enable it before sending again."
            )
        if locked.claimed_at is not None and locked.claimed_at >= stale_before(timezone.now()):
            raise WorkflowConflict(f"Delivery #{locked.pk} is being sent right now.")
        locked.state, locked.attempts = DeliveryState.PENDING, 0
        locked.next_attempt_at, locked.claimed_at, locked.delivered_at = timezone.now(), None, None
        locked.save()
        after_commit(deliver_webhook, locked.pk)
    return locked


def deliveries_due(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Deliveries to send now: pending and due, not held by a live worker."""
    due = _due(now or timezone.now())
    return list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
