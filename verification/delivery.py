"""Delivering a stored email exactly once, whatever the worker, broker or mail server do, through
``EMAIL_BACKEND``. Plain functions, called by the tasks (``send_email``, the assigning tasks, the
sweep) and by tests without Celery."""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import random
import smtplib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
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


# The emails a :func:`committed_emails` block has committed; None outside one.
_committed: ContextVar[list[int] | None] = ContextVar("committed_emails", default=None)


@contextlib.contextmanager
def committed_emails() -> Iterator[list[int]]:
    """Inside the block, a committed email joins the yielded list instead of going to a
    ``send_email`` task, for the caller to deliver (if it dies first, the sweep does)."""
    token = _committed.set([])
    try:
        yield _committed.get()
    finally:
        _committed.reset(token)


def collect(email_id: int) -> bool:
    """Add a just-committed email to the enclosing :func:`committed_emails` block, if any."""
    collected = _committed.get()
    if collected is None:
        return False
    collected.append(email_id)
    return True


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
    """Send one stored email if it is still pending (see :func:`emails_deliver`)."""
    return emails_deliver(email_ids=[email_id], now=now)[email_id]


def emails_deliver(
    *, email_ids: Iterable[int], now: dt.datetime | None = None
) -> dict[int, Delivery]:
    """Send stored emails that are still pending, one after another over one connection.

    1. Claim each row with a conditional UPDATE (pending → sending); if another worker got
       there first, there is nothing to do.
    2. Send it as :class:`EmailMultiAlternatives` with the row's stable Message-ID.
    3. Record the result: sent; pending again for a transient fault (with backoff) unless
       attempts are used up; else failed. After a fault the connection is closed.

    An email's "sent" is committed with the next one's claim (one commit), or after the last.
    """
    now = now or timezone.now()
    ids = list(dict.fromkeys(email_ids))
    # What each message says, read at once: a stored email's message never changes; who sends
    # it is settled row by row by step 1.
    stored = EmailLog.objects.in_bulk(ids)
    results: dict[int, Delivery] = {}
    connection: BaseEmailBackend | None = None
    outbox = _Outbox(now)
    try:
        for email_id in ids:
            email = stored.get(email_id)
            if email is None:
                results[email_id] = Delivery(Outcome.NOTHING_TO_DO)
                continue
            results[email_id], connection = _deliver_one(email, connection, outbox)
        outbox.record_sent()
    finally:
        if connection is not None:
            _close_quietly(connection)
    return results


class _Outbox:
    """Steps 1 and 3 of :func:`emails_deliver`: the last "sent" waits for the next claim, so
    both are one commit, in the same order as with a commit each but half the disk waits."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.sent: int | None = None  # accepted by the server, "sent" not yet recorded

    def claim(self, email_id: int) -> bool:
        """Pending → sending, counting the attempt (False if not pending), in the transaction
        that records the previous email's "sent"."""
        with transaction.atomic(using=EmailLog.objects.db):
            self.record_sent()
            return bool(
                EmailLog.objects.filter(pk=email_id, status=EmailStatus.PENDING).update(
                    status=EmailStatus.SENDING, claimed_at=self.now, attempts=F("attempts") + 1
                )
            )

    def record_sent(self) -> None:
        if self.sent is None:
            return
        email_id, self.sent = self.sent, None
        EmailLog.objects.filter(pk=email_id).update(
            status=EmailStatus.SENT, sent_at=timezone.now(), last_error=""
        )


def _deliver_one(
    email: EmailLog, connection: BaseEmailBackend | None, outbox: _Outbox
) -> tuple[Delivery, BaseEmailBackend | None]:
    """Deliver one row over ``connection`` (opened if None): the outcome, and the connection
    if still fit for the next message."""
    email_id = email.pk
    if not outbox.claim(email_id):
        return Delivery(Outcome.NOTHING_TO_DO), connection
    try:
        if connection is None:
            connection = get_connection(fail_silently=False)
            connection.open()
        connection.send_messages([email_message(email)])
    except Exception as exc:
        if connection is not None:
            _close_quietly(connection)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        # Counted by step 1's UPDATE, after ``email`` was read.
        attempts = EmailLog.objects.filter(pk=email_id).values_list("attempts", flat=True).get()
        if _is_transient(exc) and attempts < settings.EMAIL_MAX_ATTEMPTS:
            delay = retry_delay(attempts)
            EmailLog.objects.filter(pk=email_id).update(
                status=EmailStatus.PENDING,
                last_error=error,
                next_attempt_at=outbox.now + dt.timedelta(seconds=delay),
            )
            return Delivery(Outcome.RETRY, error, delay), None
        EmailLog.objects.filter(pk=email_id).update(status=EmailStatus.FAILED, last_error=error)
        return Delivery(Outcome.FAILED, error), None
    # Recorded before the next message and before the connection closes (with the next claim,
    # or at the end of the run): the server has taken the message, so a fault while saying
    # goodbye (QUIT) must not make it look unsent and send it again, and a worker killed from
    # here on has the shortest window in which it could be sent twice.
    outbox.sent = email_id
    return Delivery(Outcome.SENT), connection


def email_message(email: EmailLog) -> EmailMultiAlternatives:
    """The stored email as Django sends it, with the row's key and Message-ID (the same on every
    attempt: a copy sent again after a crash is the same message to the reader)."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        headers={"Message-ID": email.message_id, "X-Claimdesk-Key": email.key},
    )
    message.attach_alternative(email.body_html, "text/html")
    return message


def _close_quietly(connection: BaseEmailBackend) -> None:
    """Close the mail connection; the message's fate is already known, so errors are noise."""
    with contextlib.suppress(smtplib.SMTPException, OSError):
        connection.close()


def emails_to_redeliver(*, now: dt.datetime | None = None) -> list[int]:
    """Emails the sweep hands to a worker again: pending past the grace period (their task
    was lost), and sending for longer than a task may run (the worker died), which go back to
    pending first so that exactly one worker can claim them again."""
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
