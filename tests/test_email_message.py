"""The message a stored email becomes: Django's ``EmailMultiAlternatives`` built from the row and
sent through ``EMAIL_BACKEND``, so whatever backend is configured gets the same message.

What reaches the backend is read back as bytes (``message.message()``, what every Django
backend writes or sends): the row's headers and stable Message-ID, a text part and an HTML
alternative, non-ASCII names encoded as mail requires, and the claim's links in both parts.
With the console backend, an edited email template shows in the next email.
"""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings

from claims.models import Claim
from tests import factories
from verification import services
from verification.delivery import email_deliver, email_message
from verification.models import EmailKind, EmailLog

pytestmark = pytest.mark.django_db

STATEMENT = "Le budget de l'aide a doublé en 2023 « officiellement »."
SOURCE_TEXT = "Compte rendu. José Núñez a déclaré que l'aide a doublé. Fin."
QUOTE = "l'aide a doublé"


def wire(message: mail.EmailMessage) -> tuple[bytes, EmailMessage]:
    """The bytes a backend gets for ``message``, and those bytes parsed back."""
    raw = message.message().as_bytes()
    return raw, email.message_from_bytes(raw, policy=policy.default)


def header_block(raw: bytes) -> bytes:
    return raw.split(b"\n\n", 1)[0]


def console_messages(out: str) -> list[EmailMessage]:
    """The messages the console backend wrote, each followed by a line of 79 dashes."""
    return [
        email.message_from_bytes(chunk.strip("\n").encode(), policy=policy.default)
        for chunk in out.split("-" * 79 + "\n")
        if chunk.strip()
    ]


@pytest.fixture
def accented_claim(submitter) -> Claim:
    """A claim whose statement, speaker and source are written with accents."""
    claim = factories.ClaimFactory(submitted_by=submitter, statement=STATEMENT)
    source = factories.SourceFactory(
        title="Rapport d'étape · Bürgerhaushalt", url="https://news.example/étape", text=SOURCE_TEXT
    )
    factories.AppearanceFactory(
        claim=claim,
        source=source,
        speaker=factories.SpeakerFactory(name="José Núñez", role="ministre"),
        start=SOURCE_TEXT.index(QUOTE),
        quote=QUOTE,
    )
    return claim


def assign(claim: Claim, editor, reviewer, callbacks) -> EmailLog:
    """Triage ``claim`` and assign it to ``reviewer`` by hand; the email goes after commit."""
    with callbacks(execute=False):
        services.claim_triage(actor=editor, claim=claim)
    with callbacks(execute=True):
        assignment = services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)
    return EmailLog.objects.get(assignment=assignment)


@override_settings(DEFAULT_FROM_EMAIL="Bureau de vérification <desk@localhost>")
def test_the_message_carries_the_rows_headers_a_text_part_and_an_html_alternative():
    row = EmailLog.objects.create(
        key="assignment:7",
        kind=EmailKind.ASSIGNMENT,
        recipient="zoe@bürö.example",
        subject="[Bureau] Réclamation #7 assignée, à rendre jeudi",
        body_text="Bonjour Zoë,\n\nLa réclamation #7 vous est assignée.\n",
        body_html="<p>Bonjour Zoë,</p>\n<p>La réclamation #7 vous est assignée.</p>\n",
        message_id="<assignment.7.1764000000@localhost>",
    )

    assert email_deliver(email_id=row.pk).outcome.value == "sent"

    [sent] = mail.outbox
    raw, parsed = wire(sent)
    # Headers are ASCII on the wire: names and the subject RFC 2047-encoded, the domain IDNA.
    assert header_block(raw).isascii()
    assert b"=?utf-8?" in header_block(raw)
    # Folded onto a continuation line; unfolded, the value keeps the fold's space.
    assert parsed["Subject"].strip() == row.subject
    assert parsed["From"].addresses[0].display_name == "Bureau de vérification"
    assert parsed["From"].addresses[0].addr_spec == "desk@localhost"
    assert parsed["To"] == "zoe@xn--br-gkaw.example"
    assert sent.recipients() == ["zoe@bürö.example"]
    # The stable Message-ID exactly as stored, so any later copy is the same message.
    assert parsed["Message-ID"].strip() == row.message_id  # a long id is folded
    assert parsed["X-Claimdesk-Key"] == row.key
    assert parsed.get_content_type() == "multipart/alternative"
    text, html = parsed.iter_parts()
    assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert {text.get_content_charset(), html.get_content_charset()} == {"utf-8"}
    assert (text.get_content(), html.get_content()) == (row.body_text, row.body_html)


def test_a_line_too_long_for_smtp_is_sent_quoted_printable_and_reads_back_unchanged():
    body = "Une très longue ligne · " * 60 + "\n"
    row = EmailLog(
        key="digest:x", subject="Digest", recipient="a@desk.example", message_id="<d@localhost>"
    )
    row.body_text, row.body_html = body, f"<p>{body}</p>"

    raw, parsed = wire(email_message(row))

    assert max(len(line) for line in raw.splitlines()) <= 998
    assert b"Content-Transfer-Encoding: quoted-printable" in raw
    text, html = parsed.iter_parts()
    assert (text.get_content(), html.get_content()) == (row.body_text, row.body_html)


def test_a_rendered_assignment_email_reads_back_with_its_names_and_links_in_both_parts(
    accented_claim, editor, django_capture_on_commit_callbacks
):
    reviewer = factories.ReviewerFactory(username="zoë")
    row = assign(accented_claim, editor, reviewer, django_capture_on_commit_callbacks)

    [sent] = mail.outbox
    _raw, parsed = wire(sent)
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    assert (text, html) == (row.body_text, row.body_html)
    assert parsed["Subject"] == row.subject
    assert parsed["Message-ID"].strip() == row.message_id  # a long id is folded
    desk = settings.DESK_URL.rstrip("/")
    admin_url = f"{desk}/admin/claims/claim/{accented_claim.pk}/change/"
    api_url = f"{desk}/api/v1/claims/{accented_claim.pk}/"
    for part in ("Hello zoë,", STATEMENT, f'Quote: "{QUOTE}"', "José Núñez (ministre)"):
        assert part in text
    assert "Source: Rapport d'étape · Bürgerhaushalt <https://news.example/étape>" in text
    assert f"In the admin: {admin_url}" in text
    assert f"In the API: {api_url}" in text
    assert "José Núñez" in html
    assert "Le budget de l&#x27;aide a doublé" in html  # escaped, never raw markup
    assert f'<a href="{admin_url}">' in html
    assert f'<a href="{api_url}">' in html


EDITED_BODY = """{% extends "emails/base.txt" %}{% block body %}\
Bonjour {{ recipient.get_username }},

Edited on the desk: claim #{{ claim.pk }} is yours now, due {{ assignment.due_at|date:"j M" }}.
{% endblock %}
"""


def test_an_edited_template_shows_in_the_next_email_through_the_console_backend(
    tmp_path: Path, editor, reviewer, second_reviewer, capsys, django_capture_on_commit_callbacks
):
    first, second = factories.ClaimFactory.create_batch(2, submitted_by=editor)
    console = {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    with override_settings(**console):
        assign(first, editor, reviewer, django_capture_on_commit_callbacks)
    [before] = console_messages(capsys.readouterr().out)
    assert "A claim was assigned to you for review." in before.get_body(("plain",)).get_content()

    # The desk edits the assignment email's text: an override in a directory searched first.
    override = tmp_path / "emails" / "assignment" / "body.txt"
    override.parent.mkdir(parents=True)
    override.write_text(EDITED_BODY, encoding="utf-8")
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    with override_settings(TEMPLATES=templates, **console):
        row = assign(second, editor, second_reviewer, django_capture_on_commit_callbacks)
    [after] = console_messages(capsys.readouterr().out)

    text = after.get_body(("plain",)).get_content()
    assert text.startswith(f"Bonjour reviewer2,\n\nEdited on the desk: claim #{second.pk} is yours")
    assert "A claim was assigned to you for review." not in text
    assert after["Message-ID"].strip() == row.message_id
    assert mail.outbox == []  # the console backend sent both, not the tests' locmem
