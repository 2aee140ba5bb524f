"""Reminders and escalation, driven through time by passing ``now`` to ``assignments_remind``.

The schedule with the default settings (12 hours' notice, a 24-hour interval, escalation after
3 reminders): one reminder when the due date is 12 hours away, an overdue reminder as soon as it
passes, another a day later, and a day after that the assignment expires, the claim goes to
someone else and the editors are told. Every run at the same ``now`` is a no-op after the first.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from django.utils.dateformat import format as date_format

from claims.models import Claim, ClaimState
from tests import factories
from tests.conftest import submit_review
from verification import services, tasks
from verification.models import (
    Assignment,
    AssignmentState,
    EmailKind,
    EmailLog,
    ReviewerProfile,
    WorkflowAction,
)
from verification.services.reminders import ReminderRun

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def late(submitter, editor, reviewer, second_reviewer, capture) -> Assignment:
    """``reviewer``'s offer on a freshly triaged claim (``second_reviewer`` is free too)."""
    claim = factories.ClaimFactory(submitted_by=submitter)
    with capture():
        services.claim_triage(actor=editor, claim=claim)
    assignment = Assignment.objects.get(claim=claim)
    assert assignment.reviewer == reviewer
    mail.outbox.clear()
    return assignment


def remind(capture, now: dt.datetime) -> ReminderRun:
    with capture():
        return services.assignments_remind(now=now)


def sent(kind: str | None = None) -> list[tuple[str, str]]:
    """(recipient, event key) of every message delivered so far, in order."""
    return [
        (m.to[0], m.extra_headers["X-Claimdesk-Key"])
        for m in mail.outbox
        if kind is None or m.extra_headers["X-Claimdesk-Key"].startswith(f"{kind}:")
    ]


def test_no_reminder_while_the_due_date_is_far(late, capture):
    run = remind(capture, late.due_at - 12 * HOUR - MINUTE)

    assert run == ReminderRun()
    assert mail.outbox == []
    late.refresh_from_db()
    assert (late.reminders_sent, late.last_reminded_at) == (0, None)


def test_one_reminder_goes_out_when_the_due_date_is_near(late, reviewer, capture):
    now = late.due_at - 11 * HOUR

    run = remind(capture, now)

    assert run.reminded == [late.pk]
    assert sent() == [(reviewer.email, f"reminder:{late.pk}:1")]
    message = mail.outbox[0]
    due = timezone.localtime(late.due_at)
    assert f"Reminder: claim #{late.claim_id} is due {date_format(due, 'D j M, H:i')}" in (
        message.subject
    )
    [(html, _)] = message.alternatives
    for body in (message.body, html):
        assert "Your review of this claim is due" in body
        assert date_format(due, "l j F Y, H:i T") in body
        assert late.claim.statement in body
        assert f"/admin/claims/claim/{late.claim_id}/change/" in body
    late.refresh_from_db()
    assert (late.reminders_sent, late.last_reminded_at) == (1, now)


def test_two_runs_at_the_same_moment_send_each_reminder_once(late, reviewer, capture):
    for now in (late.due_at - 11 * HOUR, late.due_at + MINUTE):
        first = remind(capture, now)
        second = remind(capture, now)
        assert first != ReminderRun()
        assert second == ReminderRun()

    assert sent() == [
        (reviewer.email, f"reminder:{late.pk}:1"),
        (reviewer.email, f"overdue:{late.pk}:2"),
    ]
    assert EmailLog.objects.filter(assignment=late).exclude(kind=EmailKind.ASSIGNMENT).count() == 2


def test_the_early_reminder_is_sent_only_once_however_often_the_job_runs(late, capture):
    for hours_left in (11, 8, 3, 1):
        remind(capture, late.due_at - hours_left * HOUR)

    assert [key for _, key in sent()] == [f"reminder:{late.pk}:1"]


def test_the_whole_schedule_from_first_reminder_to_escalation(
    late, reviewer, second_reviewer, editor, other_editor, capture
):
    due = late.due_at
    timeline = [
        (due - 13 * HOUR, []),
        (due - 11 * HOUR, [f"reminder:{late.pk}:1"]),
        (due - HOUR, []),
        # Overdue: a reminder at once, though the early one was only 11 hours ago.
        (due + MINUTE, [f"overdue:{late.pk}:2"]),
        (due + 24 * HOUR, []),  # one minute short of the interval
        (due + 24 * HOUR + MINUTE, [f"overdue:{late.pk}:3"]),
        (due + 48 * HOUR, []),  # three reminders sent, but the interval is not over
    ]
    for now, expected in timeline:
        mail.outbox.clear()
        remind(capture, now)
        assert [key for _, key in sent()] == expected, now - due
    late.refresh_from_db()
    assert (late.state, late.reminders_sent) == (AssignmentState.OFFERED, 3)
    mail.outbox.clear()

    run = remind(capture, due + 48 * HOUR + MINUTE)

    assert run.escalated == [late.pk]
    late.refresh_from_db()
    assert late.state == AssignmentState.EXPIRED
    assert "escalated to the editors" in late.reason
    assert late.events.filter(action=WorkflowAction.EXPIRE, actor=None).exists()
    replacement = Assignment.objects.get(claim=late.claim, state=AssignmentState.OFFERED)
    assert replacement.reviewer == second_reviewer
    assert sorted(sent()) == sorted(
        [
            (editor.email, f"escalation:{late.pk}:{editor.pk}"),
            (other_editor.email, f"escalation:{late.pk}:{other_editor.pk}"),
            (second_reviewer.email, f"assignment:{replacement.pk}"),
        ]
    )
    # Nothing more for the expired assignment, however often the job runs.
    mail.outbox.clear()
    for later in (due + 48 * HOUR + MINUTE, due + 200 * HOUR):
        assert late.pk not in remind(capture, later).escalated
    assert [key for _, key in sent() if str(late.pk) in key.split(":")[1:2]] == []


def test_overdue_reminders_name_their_number_and_the_due_date(late, capture):
    remind(capture, late.due_at + MINUTE)

    [message] = mail.outbox
    assert f"Overdue: claim #{late.claim_id} was due" in message.subject
    assert message.subject.endswith("(reminder 1)")
    assert "is overdue. This is reminder 1;" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_a_missed_run_does_not_send_a_burst_of_reminders(late, capture):
    # The job was down for three days: one overdue reminder now, not three.
    run = remind(capture, late.due_at + 72 * HOUR)

    assert run.overdue == [late.pk]
    assert [key for _, key in sent()] == [f"overdue:{late.pk}:1"]


def test_a_reviewer_who_opted_out_gets_no_reminder_but_is_still_escalated(
    late, reviewer, second_reviewer, editor, capture
):
    ReviewerProfile.objects.filter(user=reviewer).update(reminders_enabled=False)
    due = late.due_at

    for now in (due - 11 * HOUR, due + MINUTE, due + 24 * HOUR + MINUTE):
        remind(capture, now)

    assert mail.outbox == []
    assert not EmailLog.objects.filter(kind__in=[EmailKind.REMINDER, EmailKind.OVERDUE]).exists()
    late.refresh_from_db()
    assert late.reminders_sent == 3

    run = remind(capture, due + 48 * HOUR + MINUTE)

    assert run.escalated == [late.pk]
    assert Assignment.objects.get(claim=late.claim, state=AssignmentState.OFFERED).reviewer == (
        second_reviewer
    )
    assert editor.email in [to for to, _ in sent("escalation")]


@override_settings(REMINDER_BEFORE_HOURS=2, REMINDER_INTERVAL_HOURS=6, ESCALATE_AFTER_REMINDERS=4)
def test_notice_interval_and_escalation_come_from_the_settings(late, capture):
    due = late.due_at
    timeline = [
        (due - 3 * HOUR, []),
        (due - 2 * HOUR, ["reminder"]),
        (due + MINUTE, ["overdue"]),
        (due + 6 * HOUR, []),
        (due + 6 * HOUR + MINUTE, ["overdue"]),
        (due + 12 * HOUR + MINUTE, ["overdue"]),
        (due + 18 * HOUR, []),
        (due + 18 * HOUR + MINUTE, ["escalation"]),
    ]
    for now, expected in timeline:
        mail.outbox.clear()
        remind(capture, now)
        kinds = sorted({key.split(":")[0] for _, key in sent()} - {"assignment"})
        assert kinds == expected, now - due


@override_settings(ESCALATE_AFTER_REMINDERS=1)
def test_escalation_waits_an_interval_after_the_last_reminder_even_if_it_came_early(late, capture):
    due = late.due_at
    remind(capture, due - 11 * HOUR)  # the one reminder allowed

    # Overdue, but only 11 hours since that reminder: not yet.
    assert remind(capture, due + MINUTE) == ReminderRun()
    assert remind(capture, due + 13 * HOUR - MINUTE) == ReminderRun()

    run = remind(capture, due + 13 * HOUR)

    assert run.escalated == [late.pk]
    assert [key.split(":")[0] for _, key in sent()].count("overdue") == 0


@override_settings(ESCALATE_AFTER_REMINDERS=0)
def test_with_no_reminders_configured_an_overdue_assignment_escalates_at_once(late, capture):
    assert remind(capture, late.due_at - 11 * HOUR) == ReminderRun()

    run = remind(capture, late.due_at + MINUTE)

    assert run.escalated == [late.pk]
    assert sent("reminder") == sent("overdue") == []


def test_closed_assignments_get_no_reminders(late, reviewer, capture):
    with capture():
        submit_review(reviewer, late, "unverifiable", "low", "Nothing on record.")
    mail.outbox.clear()

    for now in (late.due_at - 11 * HOUR, late.due_at + 100 * HOUR):
        assert remind(capture, now) == ReminderRun()
    assert sent("reminder") == sent("overdue") == sent("escalation") == []
    assert Claim.objects.get(pk=late.claim_id).state == ClaimState.IN_REVIEW


def test_an_accepted_assignment_is_reminded_like_an_offer(late, reviewer, capture):
    services.assignment_accept(actor=reviewer, assignment=late)

    assert remind(capture, late.due_at + MINUTE).overdue == [late.pk]


def test_the_periodic_task_reminds_as_of_the_current_time(late, reviewer, capture):
    Assignment.objects.filter(pk=late.pk).update(due_at=timezone.now() - HOUR)

    with capture():
        result = tasks.send_reminders.delay().get()

    assert result == {"reminded": 0, "overdue": 1, "escalated": 0}
    assert sent() == [(reviewer.email, f"overdue:{late.pk}:1")]
