"""Delivering several emails over one SMTP connection: the state each row is in while the
server takes each message, and the bytes the server gets.

Each email is "sending" before it goes to the server and every email the server took before
it is already recorded "sent" (a worker killed at any point leaves at most the one message it
was sending in doubt); the "sent" of the last one is recorded before the run ends. Every message
is built by Django (``EmailMultiAlternatives``) and sent by its SMTP backend.
"""

from __future__ import annotations

import email
import smtplib
from email import policy
from email.utils import make_msgid

import pytest

from verification.delivery import Outcome, emails_deliver
from verification.models import EmailKind, EmailLog, EmailStatus

pytestmark = pytest.mark.django_db


def stored(n: int, **fields: object) -> EmailLog:
    key = f"assignment:{n}"
    values = {
        "key": key,
        "kind": EmailKind.ASSIGNMENT,
        "recipient": f"reviewer{n}@desk.example",
        "subject": f"[Claims Desk] Claim #{n} assigned to you",
        "body_text": f"Claim #{n}: aid doubled · “officially”.\n",
        "body_html": f"<p>Claim #{n}: aid doubled.</p>\n",
        "message_id": make_msgid(idstring=key.replace(":", "."), domain="localhost"),
        **fields,
    }
    return EmailLog.objects.create(**values)


def statuses() -> dict[str, str]:
    return dict(EmailLog.objects.values_list("key", "status"))


def test_each_email_is_sending_while_the_server_takes_it_and_the_ones_before_are_sent(
    stub_smtp,
):
    rows = [stored(n) for n in range(1, 5)]
    seen: list[dict[str, str]] = []
    accept = stub_smtp.sendmail

    def sendmail(self, from_addr, to_addrs, msg):
        seen.append(statuses())
        return accept(self, from_addr, to_addrs, msg)

    stub_smtp.sendmail = sendmail
    try:
        results = emails_deliver(email_ids=[row.pk for row in rows])
    finally:
        stub_smtp.sendmail = accept

    keys = [row.key for row in rows]
    for index, snapshot in enumerate(seen):
        assert snapshot[keys[index]] == EmailStatus.SENDING
        assert {snapshot[k] for k in keys[:index]} <= {EmailStatus.SENT}
        assert {snapshot[k] for k in keys[index + 1 :]} <= {EmailStatus.PENDING}
    assert set(statuses().values()) == {EmailStatus.SENT}
    assert {r.outcome for r in results.values()} == {Outcome.SENT}
    assert stub_smtp.connections == 1


def test_an_email_refused_between_two_sent_ones_leaves_both_recorded_sent(stub_smtp):
    rows = [stored(n) for n in range(1, 4)]
    accept = stub_smtp.sendmail
    calls = []

    def sendmail(self, from_addr, to_addrs, msg):
        calls.append(to_addrs)
        if len(calls) == 2:
            raise smtplib.SMTPDataError(554, b"Rejected")
        return accept(self, from_addr, to_addrs, msg)

    stub_smtp.sendmail = sendmail
    try:
        emails_deliver(email_ids=[row.pk for row in rows])
    finally:
        stub_smtp.sendmail = accept

    assert [statuses()[row.key] for row in rows] == [
        EmailStatus.SENT,
        EmailStatus.FAILED,
        EmailStatus.SENT,
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"subject": "Réclamation #1 assignée à vous"},  # encoded by Django (RFC 2047)
        {"body_text": "Une ligne très longue · " * 60 + "\n"},  # quoted-printable
    ],
    ids=["ascii-subject", "non-ascii-subject", "long-line"],
)
def test_the_server_gets_the_rows_message(stub_smtp, fields):
    row = stored(1, **fields)

    emails_deliver(email_ids=[row.pk])

    [raw] = stub_smtp.accepted
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == row.subject
    assert message["To"] == row.recipient
    assert message["Message-ID"] == row.message_id
    assert message["X-Claimdesk-Key"] == row.key
    # On the wire every line ends in CRLF.
    assert message.get_body(("plain",)).get_content() == row.body_text.replace("\n", "\r\n")
    assert message.get_body(("html",)).get_content() == row.body_html.replace("\n", "\r\n")
    assert fresh_status(row) == EmailStatus.SENT


def fresh_status(row: EmailLog) -> str:
    return EmailLog.objects.get(pk=row.pk).status
