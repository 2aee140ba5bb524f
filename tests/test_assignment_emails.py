"""The assignment email: a reviewer given a claim (automatically or by an editor) is told what
it is, where it was said and by whom, how urgent it is, when it is due and where to open it.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.dateformat import format as date_format

from claims.models import Attribution, Claim, Priority
from tests import factories
from verification import services
from verification.models import Assignment, EmailKind, EmailLog, EmailStatus

pytestmark = pytest.mark.django_db

SOURCE_TEXT = (
    "Lawmakers met on Tuesday. The minister said the programme costs 3.8 billion dollars "
    "a year, and aides repeated it."
)
QUOTE = "the programme costs 3.8 billion dollars a year"


@pytest.fixture
def quoted_claim(submitter) -> Claim:
    """A high-priority claim with one appearance: a named speaker with a role, a linked source."""
    claim = factories.ClaimFactory(
        submitted_by=submitter,
        priority=Priority.HIGH,
        statement="The programme costs 3.8 billion dollars a year.",
    )
    source = factories.SourceFactory(
        title="Budget hearing report", url="https://news.example/budget-hearing", text=SOURCE_TEXT
    )
    speaker = factories.SpeakerFactory(name="Dana Okafor", role="finance minister")
    start = SOURCE_TEXT.index(QUOTE)
    factories.AppearanceFactory(
        claim=claim,
        source=source,
        speaker=speaker,
        start=start,
        quote=QUOTE,
        attribution=Attribution.SAID,
    )
    return claim


@pytest.fixture
def assigned(quoted_claim, editor, reviewer, second_reviewer, django_capture_on_commit_callbacks):
    """The claim triaged and assigned automatically to its two reviewers; emails delivered."""
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_triage(actor=editor, claim=quoted_claim)
    assignments = list(Assignment.objects.filter(claim=quoted_claim).order_by("reviewer__username"))
    assert [a.reviewer for a in assignments] == [reviewer, second_reviewer]
    return assignments


def _message_to(address: str) -> mail.EmailMultiAlternatives:
    [message] = [m for m in mail.outbox if m.to == [address]]
    return message


def test_each_reviewer_gets_one_assignment_email(assigned, reviewer, second_reviewer, editor):
    assert sorted(m.to[0] for m in mail.outbox) == sorted([reviewer.email, second_reviewer.email])
    rows = EmailLog.objects.filter(kind=EmailKind.ASSIGNMENT).order_by("assignment__pk")
    assert [(r.recipient, r.status, r.attempts, r.assignment_id) for r in rows] == [
        (reviewer.email, EmailStatus.SENT, 1, assigned[0].pk),
        (second_reviewer.email, EmailStatus.SENT, 1, assigned[1].pk),
    ]


def test_the_assignment_email_tells_the_reviewer_everything_they_need(
    assigned, quoted_claim, reviewer
):
    assignment = assigned[0]
    message = _message_to(reviewer.email)
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    claim_id = quoted_claim.pk
    due = timezone.localtime(assignment.due_at)
    admin_url = f"http://127.0.0.1:8000/admin/claims/claim/{claim_id}/change/"
    api_url = f"http://127.0.0.1:8000/api/v1/claims/{claim_id}/"

    assert f"Claim #{claim_id} assigned to you" in message.subject
    assert date_format(due, "D j M, H:i") in message.subject
    for body in (message.body, html):
        assert "Hello reviewer," in body
        assert "The programme costs 3.8 billion dollars a year." in body
        assert QUOTE in body
        assert "Dana Okafor (finance minister)" in body
        assert "Budget hearing report" in body
        assert "https://news.example/budget-hearing" in body
        assert "Priority: High" in body
        assert date_format(due, "l j F Y, H:i T") in body
        assert admin_url in body
        assert api_url in body
    assert f'Quote: "{QUOTE}"' in message.body
    assert f"<{admin_url}>" not in message.body  # plain links, on lines of their own
    assert f'<a href="{admin_url}">' in html
    assert f'<a href="{api_url}">' in html
    assert '<a href="https://news.example/budget-hearing">Budget hearing report</a>' in html


def test_the_assignment_email_carries_the_stored_message_id(assigned, reviewer):
    message = _message_to(reviewer.email)
    row = EmailLog.objects.get(assignment=assigned[0])

    assert message.extra_headers["Message-ID"] == row.message_id
    assert message.extra_headers["X-Claimdesk-Key"] == f"assignment:{assigned[0].pk}"
    assert (message.subject, message.body) == (row.subject, row.body_text)


def test_an_editor_assigning_by_hand_sends_the_same_email(
    quoted_claim, editor, reviewer, django_capture_on_commit_callbacks
):
    # Triaged with the automatic assignment left undone (its task never ran).
    with django_capture_on_commit_callbacks(execute=False):
        services.claim_triage(actor=editor, claim=quoted_claim)

    with django_capture_on_commit_callbacks(execute=True):
        assignment = services.assignment_create(actor=editor, claim=quoted_claim, reviewer=reviewer)

    message = _message_to(reviewer.email)
    assert f"Claim #{quoted_claim.pk} assigned to you" in message.subject
    assert QUOTE in message.body
    assert EmailLog.objects.get(kind=EmailKind.ASSIGNMENT).assignment == assignment


def test_a_claim_without_an_appearance_still_gets_a_complete_email(
    submitter, editor, reviewer, django_capture_on_commit_callbacks
):
    claim = factories.ClaimFactory(submitted_by=submitter, statement="Exports doubled in 2022.")

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_triage(actor=editor, claim=claim)

    message = _message_to(reviewer.email)
    assert "Exports doubled in 2022." in message.body
    assert "Quote:" not in message.body
    assert "Priority: Normal" in message.body
    assert f"/admin/claims/claim/{claim.pk}/change/" in message.body


def test_a_reviewer_without_an_email_address_gets_no_row_and_the_assignment_stands(
    submitter, editor, django_capture_on_commit_callbacks
):
    silent = factories.ReviewerFactory(username="silent", email="")
    claim = factories.ClaimFactory(submitted_by=submitter)

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_triage(actor=editor, claim=claim)

    assert Assignment.objects.get(claim=claim).reviewer == silent
    assert not EmailLog.objects.exists()
    assert mail.outbox == []
