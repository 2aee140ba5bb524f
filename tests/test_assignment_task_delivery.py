"""The ``assign_claims`` task delivers the assignment emails it has just committed itself.

One task per claim instead of one plus one ``send_email`` per email: right after the
assignment commits, the task sends its emails over one SMTP connection, each claimed with the
outbox's conditional UPDATE. What it cannot send now goes to ``send_email`` (with the row's
backoff after a transient fault), and what a dead worker left pending goes to the sweep.

These tests commit for real (``transaction=True``), as a worker does, so the task's
after-commit step runs inside the task. The tasks run eagerly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import DatabaseError
from django.utils import timezone

from claims.models import Claim, Priority
from tests import factories
from tests.test_email_delivery_outcomes import TRANSIENT_FAULTS
from verification import services, tasks
from verification.models import EmailLog, EmailStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published() -> Iterator[mock.MagicMock]:
    """``send_email`` tasks published (recorded, not run)."""
    with mock.patch.object(tasks.send_email, "apply_async") as apply_async:
        yield apply_async


def queued_claim(editor, submitter, *, priority: str = Priority.NORMAL) -> Claim:
    """A triaged claim whose assignment task has not run yet."""
    claim = factories.ClaimFactory(submitted_by=submitter, priority=priority)
    with mock.patch.object(tasks.assign_claims, "apply_async"):
        services.claim_triage(actor=editor, claim=claim)
    return claim


def test_the_task_delivers_the_assignment_email_without_a_send_email_task(
    editor, submitter, reviewer, published
):
    claim = queued_claim(editor, submitter)

    tasks.assign_claims.delay([claim.pk])

    row = EmailLog.objects.get(claim=claim)
    assert (row.status, row.attempts, row.recipient) == (EmailStatus.SENT, 1, reviewer.email)
    assert [m.extra_headers["X-Claimdesk-Key"] for m in mail.outbox] == [row.key]
    published.assert_not_called()


def test_the_emails_of_a_two_reviewer_claim_go_over_one_connection(
    editor, submitter, reviewer, second_reviewer, stub_smtp, published
):
    claim = queued_claim(editor, submitter, priority=Priority.HIGH)

    tasks.assign_claims.delay([claim.pk])

    rows = EmailLog.objects.filter(claim=claim)
    assert sorted(r.recipient for r in rows) == sorted([reviewer.email, second_reviewer.email])
    assert {r.status for r in rows} == {EmailStatus.SENT}
    assert (stub_smtp.connections, len(stub_smtp.accepted)) == (1, 2)
    published.assert_not_called()


def test_running_the_task_again_sends_nothing_more(editor, submitter, reviewer, published):
    claim = queued_claim(editor, submitter)

    tasks.assign_claims.delay([claim.pk])
    tasks.assign_claims.delay([claim.pk])

    assert len(mail.outbox) == 1
    assert EmailLog.objects.get(claim=claim).attempts == 1
    published.assert_not_called()


@pytest.mark.usefixtures("reviewer")
def test_an_email_the_server_defers_goes_to_send_email_with_its_backoff(
    editor, submitter, stub_smtp, published
):
    stub_smtp.faults = [TRANSIENT_FAULTS["421 service unavailable"]]
    claim = queued_claim(editor, submitter)
    before = timezone.now()

    tasks.assign_claims.delay([claim.pk])

    row = EmailLog.objects.get(claim=claim)
    assert (row.status, row.attempts) == (EmailStatus.PENDING, 1)
    published.assert_called_once()
    args, kwargs = published.call_args
    assert args == ((row.pk,),)
    countdown = kwargs["countdown"]
    assert 0 < countdown <= settings.EMAIL_RETRY_BACKOFF_SECONDS
    # The task is due when the row says it is, so the sweep and the task agree.
    assert row.next_attempt_at - before >= dt.timedelta(seconds=countdown)
    assert stub_smtp.accepted == []


@pytest.mark.usefixtures("reviewer")
def test_if_delivering_fails_outright_the_email_goes_to_send_email_at_once(
    editor, submitter, published
):
    claim = queued_claim(editor, submitter)

    with mock.patch(
        "verification.delivery.emails_deliver", side_effect=DatabaseError("server closed")
    ):
        tasks.assign_claims.delay([claim.pk])

    row = EmailLog.objects.get(claim=claim)
    assert row.status == EmailStatus.PENDING
    published.assert_called_once_with((row.pk,), countdown=None)
    assert mail.outbox == []


@pytest.mark.usefixtures("reviewer")
def test_emails_committed_outside_the_task_still_go_to_send_email(editor, submitter, published):
    # An editor's assignment (the admin, the API) is not delivered inline by anyone: its
    # commit publishes send_email as before.
    claim = queued_claim(editor, submitter)
    reviewer = factories.ReviewerFactory(username="picked")

    services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)

    row = EmailLog.objects.get(claim=claim)
    published.assert_called_once_with((row.pk,), countdown=None)
