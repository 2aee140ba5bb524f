"""Stored emails delivered by Django's SMTP backend to a real SMTP server (aiosmtpd), from the
test process: what the server receives is the row's message, headers, parts and names intact;
several emails share one connection; a copy sent again after a crash carries the same
Message-ID; a deferral is tried again and a refusal is final.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from tests import factories
from verification import services
from verification.delivery import Outcome, email_deliver, emails_deliver, emails_to_redeliver
from verification.models import EmailKind, EmailLog, EmailStatus

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def smtp_backend(smtp):
    """Django's SMTP backend, pointed at the test SMTP server."""
    with override_settings(
        **smtp.backend_settings(), DEFAULT_FROM_EMAIL="Bureau de vérification <desk@localhost>"
    ):
        yield smtp


def stored(n: int, **fields: object) -> EmailLog:
    values = {
        "key": f"assignment:{n}",
        "kind": EmailKind.ASSIGNMENT,
        "recipient": f"reviewer{n}@desk.example",
        "subject": f"[Claims Desk] Claim #{n} assigned to you",
        "body_text": f"Claim #{n}: aid doubled · “officially”.\n",
        "body_html": f"<p>Claim #{n}: aid doubled · “officially”.</p>\n",
        "message_id": f"<assignment.{n}.1764000000@localhost>",
        **fields,
    }
    return EmailLog.objects.create(**values)


def test_an_assignment_email_reaches_the_server_as_stored(
    smtp_backend, editor, submitter, django_capture_on_commit_callbacks
):
    reviewer = factories.ReviewerFactory(username="zoë", email="zoe@bürö.example")
    claim = factories.ClaimFactory(submitted_by=submitter, statement="L'aide a doublé en 2023.")
    factories.AppearanceFactory(
        claim=claim, speaker=factories.SpeakerFactory(name="José Núñez", role="ministre")
    )
    with django_capture_on_commit_callbacks(execute=False):
        services.claim_triage(actor=editor, claim=claim)
    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)
    row = EmailLog.objects.get(assignment=assignment)

    [received] = smtp_backend.accepted
    assert row.status == EmailStatus.SENT
    # The envelope and the headers are ASCII: the domain as IDNA, names RFC 2047-encoded.
    assert received.envelope_to == ("zoe@xn--br-gkaw.example",)
    sender = received.message["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == ("Bureau de vérification", "desk@localhost")
    assert received.subject == row.subject
    assert received.message_id == row.message_id
    assert received.key == row.key
    assert received.message.get_content_type() == "multipart/alternative"
    # SMTP carries CRLF line ends; the words are the row's.
    assert received.text().replace("\r\n", "\n") == row.body_text
    assert received.html().replace("\r\n", "\n") == row.body_html
    desk = settings.DESK_URL.rstrip("/")
    for part in ("Hello zoë,", "L'aide a doublé en 2023.", "José Núñez (ministre)"):
        assert part in received.text()
    assert f"{desk}/admin/claims/claim/{claim.pk}/change/" in received.text()
    assert f'<a href="{desk}/api/v1/claims/{claim.pk}/">' in received.html()


def test_several_emails_go_over_one_connection_each_once(smtp_backend):
    rows = [stored(n) for n in range(1, 5)]

    results = emails_deliver(email_ids=[row.pk for row in rows])

    assert {r.outcome for r in results.values()} == {Outcome.SENT}
    assert smtp_backend.accepted_by_key() == {row.key: 1 for row in rows}
    assert len({received.peer for received in smtp_backend.accepted}) == 1
    assert set(EmailLog.objects.values_list("status", flat=True)) == {EmailStatus.SENT}


def test_a_copy_sent_again_after_a_worker_died_mid_send_has_the_same_message_id(smtp_backend):
    row = stored(1)
    email_deliver(email_id=row.pk)
    # The worker died after the server took the message and before it recorded "sent".
    claimed = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 31)
    EmailLog.objects.filter(pk=row.pk).update(status=EmailStatus.SENDING, claimed_at=claimed)

    assert emails_to_redeliver(now=timezone.now() + dt.timedelta(hours=1)) == [row.pk]
    assert email_deliver(email_id=row.pk).outcome is Outcome.SENT

    first, again = smtp_backend.accepted
    assert first.message_id == again.message_id == row.message_id
    assert first.text() == again.text()


def test_a_deferred_email_goes_on_the_next_attempt_and_a_refused_one_never(smtp_backend):
    deferred, refused = stored(1), stored(2)
    smtp_backend.refuse_next(1, "451 4.3.0 Mailbox busy, try again later")
    smtp_backend.refuse_next(1, "550 5.1.1 No such mailbox here")

    first = emails_deliver(email_ids=[deferred.pk, refused.pk])
    second = emails_deliver(email_ids=[deferred.pk, refused.pk])

    assert [first[r.pk].outcome for r in (deferred, refused)] == [Outcome.RETRY, Outcome.FAILED]
    assert [second[r.pk].outcome for r in (deferred, refused)] == [
        Outcome.SENT,
        Outcome.NOTHING_TO_DO,
    ]
    assert [r.key for r in smtp_backend.accepted] == [deferred.key]
    assert [(r.key, reply[:3]) for r, reply in smtp_backend.refused] == [
        (deferred.key, "451"),
        (refused.key, "550"),
    ]
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == (EmailStatus.FAILED, 1)
    assert "No such mailbox here" in refused.last_error
