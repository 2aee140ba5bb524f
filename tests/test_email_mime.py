"""The bytes delivery writes for a stored email are the bytes Django would send for it.

``verification.mime.message_bytes`` writes the desk's usual message directly; for every message
it writes, the result must equal what Django's ``EmailMultiAlternatives`` produces from the same
row (the same headers in the same order and folding, the same parts, the same Message-ID),
given the same date and MIME boundary. Anything it does not write (None) goes through Django.
"""

from __future__ import annotations

import itertools
import re
from email.utils import make_msgid
from unittest import mock

import pytest
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from tests import factories
from verification import mime, services
from verification.models import EmailLog

DATE = "Tue, 24 Nov 2026 19:28:42 -0000"


def django_bytes(*, subject, to, message_id, key, body_text, body_html) -> bytes:
    """What Django's SMTP backend hands to ``sendmail`` for this row (``delivery._send``)."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id, "X-Claimdesk-Key": key},
    )
    message.attach_alternative(body_html, "text/html")
    with mock.patch("django.core.mail.message.formatdate", return_value=DATE):
        return message.message().as_bytes(linesep="\r\n")


def written(**fields) -> tuple[bytes | None, bytes]:
    """(this module's bytes or None, Django's bytes), with Django's date and boundary."""
    expected = django_bytes(**fields)
    boundary = re.search(rb'boundary="([^"]+)"', expected).group(1).decode()
    return (
        mime.message_bytes(
            from_email=settings.DEFAULT_FROM_EMAIL, date=DATE, boundary=boundary, **fields
        ),
        expected,
    )


SUBJECTS = [
    "[Claims Desk] Claim #12 assigned to you, due Fri 27 Nov, 19:28",
    "x" * 69,  # "Subject: " + 69 = 78, the longest line left unfolded
    "Word " * 13 + "end",
]
RECIPIENTS = ["reviewer@desk.example", "a.b+c@localhost", "r" * 60 + "@example.org"]
MESSAGE_IDS = [
    make_msgid(idstring="assignment.1", domain="localhost"),
    make_msgid(idstring="assignment.123456", domain="desk.example.org"),
    "<" + "m" * 54 + "@localhost>",  # the longest that fits after "Message-ID: "
    "<" + "m" * 55 + "@localhost>",  # moves to a continuation line
    "<" + "m" * 65 + "@localhost>",  # the longest a continuation line holds
]
KEYS = ["assignment:1", "reminder:123456:2", "k" * 70]
TEXTS = [
    "Hello checker,\n\nClaim #1: aid doubled.\n",
    "No newline at the end",
    "Crème brûlée · “quoted” — 8bit\n",
    "Windows\r\nline ends\r\nand\rold Mac ones\r\n",
    "From the top\n.a line starting with a dot\n--\nsignature\n",
    "\n\nleading blank lines\n\n\n",
    "a" * 998 + "\n",  # the longest line sent as is
    "é" * 499,  # 998 bytes
]
HTMLS = [
    "<p>Claim #1: aid doubled.</p>",
    '<!doctype html>\n<html lang="en">\n'
    '<body><p>Caf\u00e9 · <a href="x">x</a></p></body>\n</html>\n',
]


def usual_messages():
    """Every combination of the values above: all within what the module writes."""
    for subject, to, message_id, key, text in itertools.product(
        SUBJECTS, RECIPIENTS, MESSAGE_IDS, KEYS, TEXTS
    ):
        for html in HTMLS:
            yield {
                "subject": subject,
                "to": to,
                "message_id": message_id,
                "key": key,
                "body_text": text,
                "body_html": html,
            }


def test_every_usual_message_is_written_byte_for_byte_as_django_writes_it():
    count = 0
    for fields in usual_messages():
        mine, expected = written(**fields)
        assert mine == expected, fields
        count += 1
    assert count == 3 * 3 * 5 * 3 * 8 * 2


@pytest.mark.parametrize(
    "change",
    [
        {"subject": "x" * 70},  # Django folds it
        {"subject": "Réclamation #1 assignée"},  # Django encodes it (RFC 2047)
        {"subject": "two  spaces"},
        {"to": "Checker <checker@desk.example>"},
        {"to": "chécker@desk.example"},
        {"message_id": "<" + "m" * 66 + "@localhost>"},
        {"key": "assignment: 1"},
        {"body_text": "a" * 999},  # Django switches to quoted-printable
        {"body_text": "é" * 500},  # 1,000 bytes on one line
        {"body_html": ""},
    ],
)
def test_a_message_outside_the_usual_shape_is_left_to_django(change):
    fields = {**next(usual_messages()), **change}

    mine, _expected = written(**fields)

    assert mine is None


@pytest.mark.django_db
def test_a_rendered_assignment_email_is_written_directly_and_equals_djangos(
    editor, django_capture_on_commit_callbacks
):
    reviewer = factories.ReviewerFactory(username="checker")
    claim = factories.ClaimFactory(
        statement="Aid to the region doubled in 2023 · “officially”.", submitted_by=editor
    )
    factories.AppearanceFactory(claim=claim)
    with django_capture_on_commit_callbacks(execute=False):
        services.claim_triage(actor=editor, claim=claim)
        services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)
    row = EmailLog.objects.get(claim=claim)

    mine, expected = written(
        subject=row.subject,
        to=row.recipient,
        message_id=row.message_id,
        key=row.key,
        body_text=row.body_text,
        body_html=row.body_html,
    )

    assert mine is not None
    assert mine == expected


def test_without_a_given_boundary_one_is_made_that_no_part_contains():
    fields = next(usual_messages())

    first = mime.message_bytes(from_email=settings.DEFAULT_FROM_EMAIL, **fields)
    second = mime.message_bytes(from_email=settings.DEFAULT_FROM_EMAIL, **fields)

    boundaries = [re.search(rb'boundary="(=+\d{19}==)"', m).group(1) for m in (first, second)]
    assert boundaries[0] != boundaries[1]
    assert first.count(b"--" + boundaries[0]) == 3  # two parts and the closing line
