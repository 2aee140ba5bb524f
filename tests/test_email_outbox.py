"""The email outbox: every message is an ``EmailLog`` row written in the transaction of the event
that causes it, rendered once, delivered after commit, and never twice for the same event.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from claims.models import Attribution, Claim
from tests import factories
from verification import emails, services, tasks
from verification.models import Assignment, EmailKind, EmailLog, EmailStatus

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


@pytest.fixture
def claim_ready(triaged_claim) -> Claim:
    """A triaged claim nobody has been given yet (the fixture's task never ran)."""
    assert not Assignment.objects.filter(claim=triaged_claim).exists()
    return triaged_claim


def test_the_row_is_written_with_the_event_and_delivered_only_after_commit(
    claim_ready, editor, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assignment = services.assignment_create(actor=editor, claim=claim_ready, reviewer=reviewer)
        row = EmailLog.objects.get()
        assert (row.kind, row.key, row.status, row.attempts) == (
            EmailKind.ASSIGNMENT,
            f"assignment:{assignment.pk}",
            EmailStatus.PENDING,
            0,
        )
        assert (row.recipient, row.user, row.claim, row.assignment) == (
            reviewer.email,
            reviewer,
            claim_ready,
            assignment,
        )
        assert row.subject and row.body_text and row.body_html

    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()

    [message] = mail.outbox
    assert message.subject == row.subject
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (EmailStatus.SENT, 1, "")
    assert row.sent_at is not None


def test_a_rolled_back_event_leaves_no_row_and_sends_nothing(
    claim_ready, editor, reviewer, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        services.assignment_create(actor=editor, claim=claim_ready, reviewer=reviewer)
        assert EmailLog.objects.count() == 1
        raise Boom

    assert not EmailLog.objects.exists()
    assert not Assignment.objects.filter(claim=claim_ready).exists()
    assert mail.outbox == []


def test_the_same_event_twice_makes_one_row_and_one_message(
    claim_ready, editor, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.assignment_create(actor=editor, claim=claim_ready, reviewer=reviewer)
        again = emails.email_assignment(assignment=assignment)
    with django_capture_on_commit_callbacks(execute=True):
        once_more = emails.email_assignment(assignment=assignment)

    row = EmailLog.objects.get()
    assert again == once_more == row
    assert len(mail.outbox) == 1
    assert (row.status, row.attempts) == (EmailStatus.SENT, 1)


def test_delivering_a_sent_row_again_sends_nothing(
    claim_ready, editor, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_create(actor=editor, claim=claim_ready, reviewer=reviewer)
    row = EmailLog.objects.get()

    # A redelivered task message, and the sweep's hand-off: both find the row sent.
    assert tasks.send_email.delay(row.pk).get() == "nothing to do"
    assert tasks.send_email.delay(row.pk).get() == "nothing to do"

    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.attempts == 1


def test_each_row_has_its_own_message_id_and_keeps_it(
    claim_ready, submitter, editor, reviewer, django_capture_on_commit_callbacks
):
    other = services.claim_triage(
        actor=editor, claim=factories.ClaimFactory(submitted_by=submitter)
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = services.assignment_create(actor=editor, claim=claim_ready, reviewer=reviewer)
        services.assignment_create(actor=editor, claim=other, reviewer=reviewer)
    rows = {r.assignment_id: r for r in EmailLog.objects.all()}

    ids = [r.message_id for r in rows.values()]
    assert len(set(ids)) == 2
    assert all(re.fullmatch(r"<[^<>@\s]+@localhost>", i) for i in ids)
    assert f"assignment.{first.pk}" in rows[first.pk].message_id
    # Rendering the same event again returns the stored row, Message-ID included.
    assert emails.email_assignment(assignment=first).message_id == rows[first.pk].message_id
    sent_ids = sorted(m.extra_headers["Message-ID"] for m in mail.outbox)
    assert sent_ids == sorted(ids)


@pytest.fixture
def awkward_claim(submitter) -> Claim:
    """A claim whose words and speaker are full of characters HTML must escape."""
    text = 'Intro. O\'Brien said "aid <b>doubled</b>" & rose. End.'
    quote = 'aid <b>doubled</b>" & rose'
    source = factories.SourceFactory(title='Tom\'s "Weekly" <Review>', text=text)
    claim = factories.ClaimFactory(
        submitted_by=submitter, statement='O\'Brien says aid "doubled" & rose <fast>.'
    )
    factories.AppearanceFactory(
        claim=claim,
        source=source,
        speaker=factories.SpeakerFactory(name="Pat O'Brien", role='"acting" minister'),
        start=text.index(quote),
        quote=quote,
        attribution=Attribution.SAID,
    )
    return claim


@override_settings(DESK_NAME='Fact & "Check" <Desk>')
def test_plain_text_and_subject_keep_quotes_apostrophes_and_brackets_as_written(
    awkward_claim, editor, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_triage(actor=editor, claim=awkward_claim)
    row = EmailLog.objects.get(kind=EmailKind.ASSIGNMENT)

    assert row.subject.startswith('[Fact & "Check" <Desk>] Claim #')
    text = row.body_text
    assert 'O\'Brien says aid "doubled" & rose <fast>.' in text
    assert 'Quote: "aid <b>doubled</b>" & rose"' in text
    assert 'Speaker: Pat O\'Brien ("acting" minister)' in text
    assert 'Source: Tom\'s "Weekly" <Review>' in text
    assert 'Fact & "Check" <Desk> · ' in text
    assert "&#x27;" not in text and "&quot;" not in text and "&lt;" not in text
    assert "&amp;" not in text
    [message] = mail.outbox
    assert (message.subject, message.body) == (row.subject, row.body_text)


@override_settings(DESK_NAME='Fact & "Check" <Desk>')
def test_html_escapes_everything_a_person_typed(
    awkward_claim, editor, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_triage(actor=editor, claim=awkward_claim)
    html = EmailLog.objects.get(kind=EmailKind.ASSIGNMENT).body_html

    assert "O&#x27;Brien says aid &quot;doubled&quot; &amp; rose &lt;fast&gt;." in html
    assert "aid &lt;b&gt;doubled&lt;/b&gt;&quot; &amp; rose" in html
    assert "Pat O&#x27;Brien (&quot;acting&quot; minister)" in html
    assert "Tom&#x27;s &quot;Weekly&quot; &lt;Review&gt;" in html
    assert "<title>Fact &amp; &quot;Check&quot; &lt;Desk&gt;</title>" in html
    assert "<b>doubled</b>" not in html
    assert "<fast>" not in html and "<Review>" not in html and "<Desk>" not in html
    [message] = mail.outbox
    assert message.alternatives[0] == (html, "text/html")
