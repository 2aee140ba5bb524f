"""How the desk's Celery tasks are published and retried: after the commit that made their work
(a broker that is down costs a warning; the sweep finds the committed work), and with backoff
on a transient database fault."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from celery import Task
from django.db import DatabaseError, transaction
from django.db.models import Model
from django.utils import timezone
from kombu.exceptions import KombuError, OperationalError

logger = logging.getLogger(__name__)

# Faults worth retrying: the database restarted or a connection dropped.
TRANSIENT = (DatabaseError, ConnectionError, TimeoutError)
# Exponential backoff from 5 s with full jitter, capped at 5 minutes, 8 attempts.
RETRY_TRANSIENT = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


def safe_delay(task: Task, *args: Any, countdown: float | None = None) -> bool:
    """Publish a task, or log that the sweep will do the work when the broker is back (called
    after commit: the work's durable record exists whether or not the broker takes it)."""
    try:
        task.apply_async(args, countdown=countdown)
    except (KombuError, OperationalError, OSError) as exc:
        logger.warning("Broker unavailable, %s%r left to the sweep: %s", task.name, args, exc)
        return False
    return True


def after_commit(task: Task, *args: Any) -> None:
    """Publish ``task`` once the current transaction commits (at once outside one): a worker
    never sees work that was rolled back (:func:`safe_delay`)."""
    transaction.on_commit(partial(safe_delay, task, *args))


def publish_when_due(task: Task, model: type[Model], pk: int) -> None:
    """Publish ``task`` for row ``pk`` again for when its ``next_attempt_at`` comes (its retry's
    backoff); the sweep catches it if the message is lost."""
    due = model._default_manager.filter(pk=pk).values_list("next_attempt_at", flat=True).first()
    if due is not None:
        safe_delay(task, pk, countdown=max(0.0, (due - timezone.now()).total_seconds()))
