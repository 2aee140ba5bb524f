"""The mail server misbehaves: a real worker retries what may pass and gives up on what cannot.

Each test triages one claim; the worker assigns it to the only reviewer and delivers the
assignment email to the SMTP server, which answers as the test tells it to. The workers run
with retries shortened to seconds (EMAIL_RETRY_BACKOFF_SECONDS=1, …_MAX_SECONDS=2).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from unittest import mock

import pytest
from django.utils import timezone

from tests import factories
from verification import services, tasks
from verification.models import EmailLog, EmailStatus

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

# Longer than any retry countdown the workers use (at most EMAIL_RETRY_BACKOFF_MAX_SECONDS):
# a retry that was going to happen would have happened by then.
QUIET_SECONDS = 4


def _assignment_email(editor, workers) -> EmailLog:
    """Triage a claim for the one reviewer there is and return the email the worker writes."""
    claim = factories.ClaimFactory(submitted_by=editor)
    services.claim_triage(actor=editor, claim=claim)
    return workers.wait_until(
        lambda: EmailLog.objects.filter(claim=claim).first(),
        timeout=20,
        what="the worker to assign the claim and write its email",
    )


def _once_it_is(status: str, email: EmailLog, workers, *, timeout: float, what: str) -> EmailLog:
    """``email`` as the worker left it, once it is ``status``."""
    return workers.wait_until(
        lambda: EmailLog.objects.filter(pk=email.pk, status=status).first(),
        timeout=timeout,
        what=what,
    )


@pytest.fixture
def desk_editor():
    return factories.EditorFactory(username="desk-editor")


@pytest.fixture
def checker():
    """The only reviewer: every claim goes to them."""
    return factories.ReviewerFactory(username="checker")


def test_an_email_the_server_defers_twice_is_delivered_on_the_third_attempt(
    workers, smtp, desk_editor, checker
):
    smtp.refuse_next(2, "451 4.3.0 Mailbox busy, try again later")
    worker = workers.start()

    email = _assignment_email(desk_editor, workers)
    email = _once_it_is(
        EmailStatus.SENT, email, workers, timeout=30, what="the deferred email to be delivered"
    )

    assert email.attempts == 3
    assert email.last_error == ""
    assert [r.key for r in smtp.accepted] == [email.key]
    assert smtp.accepted[0].envelope_to == (checker.email,)
    refusals = smtp.refused
    assert [(r.key, reply[:3]) for r, reply in refusals] == [(email.key, "451")] * 2
    # The same message each time: a retry resends the stored email, it does not re-render it.
    assert {r.message_id for r, _reply in refusals} == {email.message_id}
    assert smtp.accepted[0].message_id == email.message_id
    # Retried after a backoff no longer than the configured ceiling: the first attempt (made
    # by the assignment task right after its commit) hands the email to send_email with the
    # backoff as countdown, and send_email retries itself after the second.
    log = worker.log()
    delays = [
        float(d)
        for d in re.findall(r"Email \d+ deferred \(.*\): send_email retries it in ([\d.]+)s", log)
        + re.findall(r"send_email\[\S+\] retry: Retry in ([\d.]+)s", log)
    ]
    assert len(delays) == 2 and all(0 < delay <= 2 for delay in delays), delays


@pytest.mark.usefixtures("checker")
def test_an_email_the_server_refuses_is_failed_with_the_error_and_never_sent_again(
    workers, smtp, desk_editor
):
    smtp.refuse_all("550 5.1.1 No such mailbox here")
    workers.start()

    email = _assignment_email(desk_editor, workers)
    email = _once_it_is(
        EmailStatus.FAILED, email, workers, timeout=20, what="the refused email to be marked failed"
    )
    assert email.attempts == 1
    assert "550" in email.last_error
    assert "No such mailbox here" in email.last_error

    # Neither a retry nor the sweep (as beat would run it, much later) tries it again.
    later = timezone.now() + dt.timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert tasks.sweep_pending_work()["emails"] == 0
    time.sleep(QUIET_SECONDS)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 1)
    assert [r.key for r, _reply in smtp.refused] == [email.key]
    assert smtp.accepted == []


@pytest.mark.usefixtures("checker")
def test_an_email_the_server_keeps_deferring_fails_after_the_last_allowed_attempt(
    workers, smtp, desk_editor
):
    smtp.refuse_all("421 4.7.0 Too busy, try again later")
    workers.start(env={"EMAIL_MAX_ATTEMPTS": "3"})

    email = _assignment_email(desk_editor, workers)
    email = _once_it_is(
        EmailStatus.FAILED,
        email,
        workers,
        timeout=30,
        what="the email to fail after its last attempt",
    )
    assert email.attempts == 3
    assert "421" in email.last_error

    time.sleep(QUIET_SECONDS)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 3)
    assert [r.key for r, _reply in smtp.refused] == [email.key] * 3
    assert smtp.accepted == []
