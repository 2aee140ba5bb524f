"""Delivering a stored email exactly once, whatever the worker, broker or mail server do.

The ``send_email`` task calls :func:`email_deliver`; the pending-work sweep calls
:func:`emails_to_redeliver`. Both are plain functions so tests can drive them without Celery.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import random
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F
from django.utils import timezone

from verification.models import EmailLog, EmailStatus


class Outcome(enum.Enum):
    SENT = "sent"
    NOTHING_TO_DO = "nothing to do"  # already sent, failed, or another worker has it
    RETRY = "retry"  # a transient fault: try again later
    FAILED = "failed"  # a permanent fault, or out of attempts


@dataclass(frozen=True)
class Delivery:
    outcome: Outcome
    error: str = ""
    retry_in: float = 0.0


def _is_transient(exc: BaseException) -> bool:
    """4xx answers, dropped connections and timeouts pass; 5xx answers and bad input do not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(exc, smtplib.SMTPException):
        # The server lacks what the settings ask for (STARTTLS, AUTH): retrying cannot help.
        # (Every SMTPException is an OSError, so this test must come before the next one.)
        return False
    return isinstance(exc, OSError)  # refused connection, timeout, name lookup


def retry_delay(attempts: int) -> float:
    """Exponential backoff with full jitter, so retries from many workers spread out."""
    ceiling = min(
        settings.EMAIL_RETRY_BACKOFF_MAX_SECONDS,
        settings.EMAIL_RETRY_BACKOFF_SECONDS * 2 ** max(0, attempts - 1),
    )
    return random.uniform(ceiling / 2, ceiling)


def email_deliver(*, email_id: int, now: dt.datetime | None = None) -> Delivery:
    """Send one stored email if it is still pending.

    1. Claim the row with a conditional UPDATE (pending → sending): if another worker or an
       earlier run got there first, there is nothing to do.
    2. Send it over the configured backend, with the row's stable Message-ID.
    3. Record the result: sent; back to pending for a transient fault (the caller retries with
       backoff) unless attempts are used up; failed for a permanent fault.
    """
    now = now or timezone.now()
    claimed = EmailLog.objects.filter(pk=email_id, status=EmailStatus.PENDING).update(
        status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return Delivery(Outcome.NOTHING_TO_DO)
    email = EmailLog.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        headers={"Message-ID": email.message_id, "X-Claimdesk-Key": email.key},
    )
    message.attach_alternative(email.body_html, "text/html")
    connection = get_connection(fail_silently=False)
    message.connection = connection
    try:
        connection.open()
        message.send(fail_silently=False)
    except Exception as exc:
        _close_quietly(connection)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if _is_transient(exc) and email.attempts < settings.EMAIL_MAX_ATTEMPTS:
            delay = retry_delay(email.attempts)
            EmailLog.objects.filter(pk=email_id).update(
                status=EmailStatus.PENDING,
                last_error=error,
                next_attempt_at=now + dt.timedelta(seconds=delay),
            )
            return Delivery(Outcome.RETRY, error, delay)
        EmailLog.objects.filter(pk=email_id).update(status=EmailStatus.FAILED, last_error=error)
        return Delivery(Outcome.FAILED, error)
    # Recorded before the connection closes: the server has taken the message, so a fault
    # while saying goodbye (QUIT) must not make it look unsent and send it again, and a
    # worker killed from here on has the shortest window in which it could be sent twice.
    EmailLog.objects.filter(pk=email_id).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    _close_quietly(connection)
    return Delivery(Outcome.SENT)


def _close_quietly(connection: BaseEmailBackend) -> None:
    """Close the mail connection; the message's fate is already known, so errors are noise."""
    with contextlib.suppress(smtplib.SMTPException, OSError):
        connection.close()


def emails_to_redeliver(*, now: dt.datetime | None = None) -> list[int]:
    """Emails the sweep must hand to a worker again.

    - pending for longer than the grace period: their task was never published (broker down
      at commit) or was lost;
    - sending for longer than a task may run: the worker died between claiming and recording.
      They go back to pending first, so exactly one worker can claim them again.
    """
    now = now or timezone.now()
    grace = dt.timedelta(seconds=settings.EMAIL_SWEEP_GRACE_SECONDS)
    stuck_after = dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 30)
    # Due since they were claimed, which (with the default settings) is further back than the
    # grace period: they go to a worker in this very sweep, not a sweep or two later.
    EmailLog.objects.filter(status=EmailStatus.SENDING, claimed_at__lt=now - stuck_after).update(
        status=EmailStatus.PENDING,
        next_attempt_at=F("claimed_at"),
        last_error="The worker was lost while sending; sent again.",
    )
    return list(
        EmailLog.objects.filter(status=EmailStatus.PENDING, next_attempt_at__lt=now - grace)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[: settings.EMAIL_SWEEP_BATCH]
    )
