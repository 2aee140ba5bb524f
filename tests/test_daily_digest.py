"""The editors' daily digest: the backlog by state, overdue work and claims waiting for sign-off,
once per editor per day however often the job runs.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from claims.models import Claim, ClaimState
from tests import factories
from verification import emails, services, tasks
from verification.models import Assignment, EmailKind, EmailLog

pytestmark = pytest.mark.django_db

DAY = dt.date(2031, 3, 14)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def desk(claim_in_review, submitter, editor, other_editor, second_reviewer) -> dict[str, object]:
    """Two editors, claims in several states and one assignment that will be overdue.

    States: one in review (from the fixture), one in research (assigned to ``second_reviewer``),
    two new, one dismissed.
    """
    in_research = services.claim_triage(
        actor=editor,
        claim=factories.ClaimFactory(
            submitted_by=submitter, statement="Turnout rose to 71 percent in the capital."
        ),
    )
    late = services.assignment_create(actor=editor, claim=in_research, reviewer=second_reviewer)
    factories.ClaimFactory.create_batch(2, submitted_by=submitter)
    services.claim_dismiss(
        actor=editor, claim=factories.ClaimFactory(submitted_by=submitter), reason="Opinion."
    )
    return {"in_review": claim_in_review, "late": late}


def _digest(capture, *, day: dt.date = DAY, now: dt.datetime) -> list[EmailLog]:
    with capture():
        return emails.email_digest(day=day, now=now)


def test_every_editor_gets_the_digest(desk, editor, other_editor, capture):
    rows = _digest(capture, now=timezone.now())

    assert sorted(m.to[0] for m in mail.outbox) == sorted([editor.email, other_editor.email])
    assert {(r.kind, r.key) for r in rows} == {
        (EmailKind.DIGEST, f"digest:2031-03-14:{editor.pk}"),
        (EmailKind.DIGEST, f"digest:2031-03-14:{other_editor.pk}"),
    }


def test_the_digest_shows_the_backlog_by_state(desk, editor, capture):
    _digest(capture, now=timezone.now())

    message = next(m for m in mail.outbox if m.to == [editor.email])
    assert Claim.objects.filter(state=ClaimState.NEW).count() == 2
    for line in (
        "- New: 2",
        "- Triaged: 0",
        "- Dismissed: 1",
        "- In research: 1",
        "- In review: 1",
        "- Published: 0",
    ):
        assert line in message.body
    [(html, _)] = message.alternatives
    assert '<th style="text-align:left">In research</th><td>1</td>' in html


def test_the_digest_lists_overdue_work_as_of_its_time(desk, editor, capture):
    late: Assignment = desk["late"]
    before_due = _digest(capture, now=late.due_at - dt.timedelta(hours=1))
    body = before_due[0].body_text
    assert "Overdue assignments (0):\n- none" in body
    assert before_due[0].subject.endswith("0 overdue, 1 waiting for sign-off")

    after_due = _digest(
        capture, day=DAY + dt.timedelta(days=1), now=late.due_at + dt.timedelta(hours=1)
    )

    row = next(r for r in after_due if r.user == editor)
    assert "Overdue assignments (1):" in row.body_text
    assert f"- Claim #{late.claim_id} with reviewer2, due " in row.body_text
    assert "Turnout rose to 71 percent in the capital." in row.body_text
    assert row.subject.endswith("1 overdue, 1 waiting for sign-off")


def test_the_digest_lists_claims_waiting_for_sign_off_with_links(desk, editor, capture):
    waiting: Claim = desk["in_review"]
    waiting.refresh_from_db()

    _digest(capture, now=timezone.now())

    message = next(m for m in mail.outbox if m.to == [editor.email])
    admin_url = f"http://127.0.0.1:8000/admin/claims/claim/{waiting.pk}/change/"
    assert "Waiting for sign-off (1):" in message.body
    assert f"- Claim #{waiting.pk} (True): {waiting.statement}" in message.body
    assert f"<{admin_url}>" in message.body
    [(html, _)] = message.alternatives
    assert f'<a href="{admin_url}">Claim #{waiting.pk}</a> (True)' in html
    assert (
        message.subject
        == "[Claims Desk] Daily digest for Fri 14 Mar 2031: 0 overdue, 1 waiting for sign-off"
    )


def test_the_digest_goes_once_per_editor_per_day_even_if_run_twice(desk, capture):
    first = _digest(capture, now=timezone.now())
    outbox_after_first = len(mail.outbox)

    second = _digest(capture, now=timezone.now() + dt.timedelta(hours=3))

    assert outbox_after_first == 2
    assert len(mail.outbox) == 2
    assert [r.pk for r in second] == [r.pk for r in first]
    assert EmailLog.objects.filter(kind=EmailKind.DIGEST).count() == 2


def test_the_next_day_brings_a_new_digest(desk, capture):
    _digest(capture, now=timezone.now())

    _digest(capture, day=DAY + dt.timedelta(days=1), now=timezone.now())

    assert len(mail.outbox) == 4
    assert EmailLog.objects.filter(kind=EmailKind.DIGEST).count() == 4


def test_the_periodic_task_sends_todays_digest_once(desk, editor, other_editor, capture):
    with capture():
        assert tasks.send_daily_digest.delay().get() == 2
    with capture():
        tasks.send_daily_digest.delay()

    assert len(mail.outbox) == 2
    today = timezone.localdate().isoformat()
    assert set(EmailLog.objects.values_list("key", flat=True).filter(kind=EmailKind.DIGEST)) == {
        f"digest:{today}:{editor.pk}",
        f"digest:{today}:{other_editor.pk}",
    }


def test_reviewers_do_not_get_the_digest(desk, reviewer, second_reviewer, capture):
    _digest(capture, now=timezone.now())

    recipients = {m.to[0] for m in mail.outbox}
    assert reviewer.email not in recipients
    assert second_reviewer.email not in recipients
