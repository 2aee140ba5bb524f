"""What delivering stored emails leads to, whatever the mail server answers.

``email_deliver`` (one email) and ``emails_deliver`` (several, over one connection) are driven
directly, through Django's locmem backend and through Django's real
SMTP backend talking to a stub ``smtplib.SMTP`` that answers with the faults a server gives:
4xx (try later), 5xx (never), a dropped connection, a refused connection.
"""

from __future__ import annotations

import datetime as dt
import email
import smtplib
from email.utils import make_msgid

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from config.celery import app as celery_app
from verification import tasks
from verification.delivery import (
    Outcome,
    email_deliver,
    emails_deliver,
    emails_to_redeliver,
    retry_delay,
)
from verification.models import EmailKind, EmailLog, EmailStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now()


def stored(key: str = "assignment:1", **fields: object) -> EmailLog:
    """An outbox row as ``verification.emails`` writes it."""
    values = {
        "key": key,
        "kind": EmailKind.ASSIGNMENT,
        "recipient": "reviewer@desk.example",
        "subject": "[Claims Desk] Claim #1 assigned to you",
        "body_text": "Claim #1: aid doubled.",
        "body_html": "<p>Claim #1: aid doubled.</p>",
        "message_id": make_msgid(idstring=key.replace(":", "."), domain="localhost"),
        **fields,
    }
    return EmailLog.objects.create(**values)


def fresh(row: EmailLog) -> EmailLog:
    return EmailLog.objects.get(pk=row.pk)


# --- Locmem: the happy path ---------------------------------------------------------------


def test_a_pending_email_is_sent_once_with_its_stored_headers_and_parts(now):
    row = stored()

    result = email_deliver(email_id=row.pk, now=now)

    assert result.outcome is Outcome.SENT
    [message] = mail.outbox
    assert message.to == ["reviewer@desk.example"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert (message.subject, message.body) == (row.subject, row.body_text)
    assert message.alternatives == [(row.body_html, "text/html")]
    assert message.extra_headers == {"Message-ID": row.message_id, "X-Claimdesk-Key": row.key}
    row = fresh(row)
    assert (row.status, row.attempts, row.last_error, row.claimed_at) == (
        EmailStatus.SENT,
        1,
        "",
        now,
    )
    assert row.sent_at is not None


@pytest.mark.parametrize("status", [EmailStatus.SENT, EmailStatus.FAILED, EmailStatus.SENDING])
def test_a_row_that_is_not_pending_is_left_alone(status, now):
    row = stored(status=status, attempts=1)

    result = email_deliver(email_id=row.pk, now=now)

    assert result.outcome is Outcome.NOTHING_TO_DO
    assert mail.outbox == []
    assert (fresh(row).status, fresh(row).attempts) == (status, 1)


def test_delivering_twice_sends_once(now):
    row = stored()

    outcomes = [email_deliver(email_id=row.pk, now=now).outcome for _ in range(2)]

    assert outcomes == [Outcome.SENT, Outcome.NOTHING_TO_DO]
    assert len(mail.outbox) == 1


def test_a_row_that_no_longer_exists_is_nothing_to_do(now):
    assert email_deliver(email_id=987654, now=now).outcome is Outcome.NOTHING_TO_DO


# --- SMTP faults ---------------------------------------------------------------------------

TRANSIENT_FAULTS = {
    "421 service unavailable": smtplib.SMTPResponseException(421, b"Service not available"),
    "451 data error": smtplib.SMTPDataError(451, b"Local error in processing"),
    "450 recipient busy": smtplib.SMTPRecipientsRefused(
        {"reviewer@desk.example": (450, b"Mailbox busy")}
    ),
    "disconnected": smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
}
PERMANENT_FAULTS = {
    "550 no such user": smtplib.SMTPRecipientsRefused(
        {"reviewer@desk.example": (550, b"No such user")}
    ),
    "554 rejected": smtplib.SMTPDataError(554, b"Message rejected as spam"),
    "553 sender refused": smtplib.SMTPSenderRefused(553, b"Sender not allowed", "desk@localhost"),
}


@pytest.mark.parametrize("fault", TRANSIENT_FAULTS.values(), ids=TRANSIENT_FAULTS.keys())
def test_a_transient_fault_puts_the_email_back_for_a_later_retry(stub_smtp, fault, now):
    row = stored()
    stub_smtp.faults = [fault]

    result = email_deliver(email_id=row.pk, now=now)

    assert result.outcome is Outcome.RETRY
    assert result.retry_in > 0
    row = fresh(row)
    assert (row.status, row.attempts) == (EmailStatus.PENDING, 1)
    assert row.next_attempt_at > now
    assert row.next_attempt_at == now + dt.timedelta(seconds=result.retry_in)
    assert type(fault).__name__ in row.last_error
    assert row.sent_at is None
    assert stub_smtp.accepted == []


def test_a_refused_connection_is_transient(stub_smtp, now):
    row = stored()
    stub_smtp.refuse = ConnectionRefusedError(111, "Connection refused")

    result = email_deliver(email_id=row.pk, now=now)

    assert result.outcome is Outcome.RETRY
    assert "ConnectionRefusedError" in fresh(row).last_error


@pytest.mark.parametrize("fault", PERMANENT_FAULTS.values(), ids=PERMANENT_FAULTS.keys())
def test_a_permanent_fault_marks_the_email_failed_at_once(stub_smtp, fault, now):
    row = stored()
    stub_smtp.faults = [fault]

    result = email_deliver(email_id=row.pk, now=now)

    assert result.outcome is Outcome.FAILED
    row = fresh(row)
    assert (row.status, row.attempts) == (EmailStatus.FAILED, 1)
    assert type(fault).__name__ in row.last_error
    # Failed is final: another run does not try again.
    assert email_deliver(email_id=row.pk, now=now).outcome is Outcome.NOTHING_TO_DO
    assert fresh(row).attempts == 1


def test_a_transient_fault_on_the_last_attempt_marks_the_email_failed(stub_smtp, now):
    row = stored(attempts=settings.EMAIL_MAX_ATTEMPTS - 1)
    stub_smtp.faults = [TRANSIENT_FAULTS["421 service unavailable"]]

    result = email_deliver(email_id=row.pk, now=now)

    assert result.outcome is Outcome.FAILED
    row = fresh(row)
    assert (row.status, row.attempts) == (EmailStatus.FAILED, settings.EMAIL_MAX_ATTEMPTS)
    assert "421" in row.last_error


@override_settings(EMAIL_MAX_ATTEMPTS=3)
def test_retries_stop_after_the_configured_number_of_attempts(stub_smtp, now):
    row = stored()
    stub_smtp.faults = [TRANSIENT_FAULTS["421 service unavailable"]] * 5

    outcomes = [email_deliver(email_id=row.pk, now=now).outcome for _ in range(4)]

    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.FAILED, Outcome.NOTHING_TO_DO]
    assert fresh(row).attempts == 3


def test_a_retry_after_a_transient_fault_sends_the_same_message_id(stub_smtp, now):
    row = stored()
    stub_smtp.faults = [TRANSIENT_FAULTS["451 data error"]]

    first = email_deliver(email_id=row.pk, now=now)
    second = email_deliver(email_id=row.pk, now=now + dt.timedelta(seconds=first.retry_in))

    assert (first.outcome, second.outcome) == (Outcome.RETRY, Outcome.SENT)
    [raw] = stub_smtp.accepted
    parsed = email.message_from_bytes(raw)
    assert parsed["Message-ID"].strip() == row.message_id  # a long id is folded
    assert parsed["X-Claimdesk-Key"] == row.key
    assert parsed.get_content_type() == "multipart/alternative"
    row = fresh(row)
    assert (row.status, row.attempts, row.last_error) == (EmailStatus.SENT, 2, "")


def test_the_send_email_task_retries_a_transient_fault_until_delivered(stub_smtp):
    row = stored()
    stub_smtp.faults = [
        TRANSIENT_FAULTS["421 service unavailable"],
        TRANSIENT_FAULTS["disconnected"],
    ]

    # Run eagerly, the retries follow at once, ignoring their countdown. Without propagation
    # Celery handles its Retry signal as a worker does instead of raising it here.
    propagates = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    try:
        result = tasks.send_email.delay(row.pk)
    finally:
        celery_app.conf.task_eager_propagates = propagates

    assert result.get() == "sent"

    row = fresh(row)
    assert (row.status, row.attempts) == (EmailStatus.SENT, 3)
    assert len(stub_smtp.accepted) == 1


def test_the_send_email_task_leaves_a_permanent_fault_failed(stub_smtp):
    row = stored()
    stub_smtp.faults = [PERMANENT_FAULTS["550 no such user"]]

    assert tasks.send_email.delay(row.pk).get() == "failed"

    assert (fresh(row).status, fresh(row).attempts) == (EmailStatus.FAILED, 1)


# --- Several emails over one connection ----------------------------------------------------


def test_several_pending_emails_go_over_one_connection(stub_smtp, now):
    rows = [stored(f"assignment:{n}") for n in (1, 2, 3)]

    results = emails_deliver(email_ids=[r.pk for r in rows], now=now)

    assert {pk: r.outcome for pk, r in results.items()} == {r.pk: Outcome.SENT for r in rows}
    assert stub_smtp.connections == 1
    assert len(stub_smtp.accepted) == 3
    assert {fresh(r).status for r in rows} == {EmailStatus.SENT}


def test_in_a_batch_only_the_pending_rows_are_sent(stub_smtp, now):
    sent = stored("assignment:1", status=EmailStatus.SENT, attempts=1)
    sending = stored("assignment:2", status=EmailStatus.SENDING, attempts=1)
    pending = stored("assignment:3")

    results = emails_deliver(email_ids=[sent.pk, sending.pk, pending.pk, 987654], now=now)

    assert [r.outcome for r in results.values()] == [
        Outcome.NOTHING_TO_DO,
        Outcome.NOTHING_TO_DO,
        Outcome.SENT,
        Outcome.NOTHING_TO_DO,
    ]
    assert len(stub_smtp.accepted) == 1
    assert (fresh(sent).attempts, fresh(sending).status) == (1, EmailStatus.SENDING)


def test_after_a_fault_in_a_batch_the_next_email_goes_over_a_fresh_connection(stub_smtp, now):
    deferred, refused, fine = (stored(f"assignment:{n}") for n in (1, 2, 3))
    stub_smtp.faults = [
        TRANSIENT_FAULTS["disconnected"],
        PERMANENT_FAULTS["550 no such user"],
    ]

    results = emails_deliver(email_ids=[deferred.pk, refused.pk, fine.pk], now=now)

    assert [results[r.pk].outcome for r in (deferred, refused, fine)] == [
        Outcome.RETRY,
        Outcome.FAILED,
        Outcome.SENT,
    ]
    assert stub_smtp.connections == 3
    assert (fresh(deferred).status, fresh(deferred).attempts) == (EmailStatus.PENDING, 1)
    assert fresh(refused).status == EmailStatus.FAILED
    assert fresh(fine).status == EmailStatus.SENT
    assert len(stub_smtp.accepted) == 1


@override_settings(EMAIL_RETRY_BACKOFF_SECONDS=30, EMAIL_RETRY_BACKOFF_MAX_SECONDS=600)
def test_the_backoff_doubles_with_jitter_up_to_its_ceiling():
    for attempts, ceiling in [(1, 30), (2, 60), (3, 120), (5, 480), (6, 600), (12, 600)]:
        delays = {retry_delay(attempts) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays), attempts
        assert len(delays) > 1  # jittered, so many workers do not retry in step


# --- The sweep ----------------------------------------------------------------------------


@override_settings(EMAIL_SWEEP_GRACE_SECONDS=60, CELERY_TASK_TIME_LIMIT=90)
def test_the_sweep_hands_back_what_was_left_behind_and_nothing_else(now):
    seconds = dt.timedelta(seconds=1)
    lost = stored("lost", next_attempt_at=now - 61 * seconds)
    retry_due = stored("retry-due", attempts=2, next_attempt_at=now - 300 * seconds)
    just_queued = stored("just-queued", next_attempt_at=now - 10 * seconds)
    retry_later = stored("retry-later", attempts=1, next_attempt_at=now + 120 * seconds)
    stuck = stored("stuck", status=EmailStatus.SENDING, attempts=1, claimed_at=now - 121 * seconds)
    working = stored(
        "working", status=EmailStatus.SENDING, attempts=1, claimed_at=now - 30 * seconds
    )
    done = stored("done", status=EmailStatus.SENT, next_attempt_at=now - 3600 * seconds)
    failed = stored("failed", status=EmailStatus.FAILED, next_attempt_at=now - 3600 * seconds)

    handed_back = emails_to_redeliver(now=now)

    assert set(handed_back) == {lost.pk, retry_due.pk, stuck.pk}
    assert handed_back.index(retry_due.pk) < handed_back.index(lost.pk)  # oldest first
    stuck = fresh(stuck)
    assert (stuck.status, stuck.attempts) == (EmailStatus.PENDING, 1)
    assert "worker was lost" in stuck.last_error
    assert fresh(working).status == EmailStatus.SENDING
    assert fresh(retry_later).next_attempt_at == now + 120 * seconds
    for row, status in [
        (just_queued, EmailStatus.PENDING),
        (retry_later, EmailStatus.PENDING),
        (done, EmailStatus.SENT),
        (failed, EmailStatus.FAILED),
    ]:
        assert fresh(row).status == status


@override_settings(EMAIL_SWEEP_BATCH=2)
def test_the_sweep_hands_back_at_most_one_batch(now):
    rows = [stored(f"lost-{i}", next_attempt_at=now - dt.timedelta(hours=i + 1)) for i in range(3)]

    assert emails_to_redeliver(now=now) == [rows[2].pk, rows[1].pk]


def test_the_sweep_task_delivers_what_it_hands_back(django_capture_on_commit_callbacks):
    lost = stored("lost", next_attempt_at=timezone.now() - dt.timedelta(hours=1))
    retry_later = stored("retry-later", next_attempt_at=timezone.now() + dt.timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.sweep_pending_work.delay().get()

    assert result["emails"] == 1
    assert [m.extra_headers["X-Claimdesk-Key"] for m in mail.outbox] == ["lost"]
    assert fresh(lost).status == EmailStatus.SENT
    assert fresh(retry_later).status == EmailStatus.PENDING
