"""How the desk's Celery tasks are published and retried, for both apps: a task is published
after the commit that made its work (a broker that is down costs a warning, and the periodic
sweep finds the committed work), and a task that only touches the database retries a
transient fault with backoff."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from celery import Task
from django.db import DatabaseError, transaction
from kombu.exceptions import KombuError, OperationalError

logger = logging.getLogger(__name__)

# Faults worth retrying: the database restarted or a connection dropped.
TRANSIENT = (DatabaseError, ConnectionError, TimeoutError)
# How a task that only reads and writes the database retries a transient fault: exponential
# backoff from 5 s with full jitter, capped at 5 minutes, 8 attempts.
RETRY_TRANSIENT = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


def safe_delay(task: Task, *args: Any, countdown: float | None = None) -> bool:
    """Publish a task, or log that the sweep will do the work when the broker is back.

    Called after commit, so the work's durable record (a queued claim, a pending email row)
    already exists whether or not the broker takes the message.
    """
    try:
        task.apply_async(args, countdown=countdown)
    except (KombuError, OperationalError, OSError) as exc:
        logger.warning("Broker unavailable, %s%r left to the sweep: %s", task.name, args, exc)
        return False
    return True


def after_commit(task: Task, *args: Any) -> None:
    """Publish ``task`` once the current transaction commits (at once outside one): a worker
    never sees work that was rolled back, and a broker that is down then costs nothing but a
    warning (:func:`safe_delay`): the work's row is committed, and the sweep finds it."""
    transaction.on_commit(partial(safe_delay, task, *args))
