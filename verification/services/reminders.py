"""Reminders before and after the due date, and escalation when they go unanswered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from verification import emails
from verification.models import OPEN_ASSIGNMENT_STATES, Assignment
from verification.services.assignments import assignment_expire
from verification.services.auto_assign import claim_auto_assign


@dataclass
class ReminderRun:
    reminded: list[int] = field(default_factory=list)
    overdue: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)


def assignments_remind(*, now: dt.datetime | None = None) -> ReminderRun:
    """Walk the open assignments once and do what each one is due for at ``now``.

    - Due within ``REMINDER_BEFORE_HOURS`` and never reminded: one reminder.
    - Overdue: a reminder at once, then every ``REMINDER_INTERVAL_HOURS``, until
      ``ESCALATE_AFTER_REMINDERS`` reminders (the early one included) have gone out.
    - Then, one more interval on: the assignment expires, the claim is offered to someone
      else, and the editors are told.

    Each assignment is locked in its own transaction and the reminder count is the
    compare-and-set, so two runs send each message once. A reviewer who opted out gets no
    email, but the count still moves, so the escalation clock runs for everyone.
    """
    now = now or timezone.now()
    run = ReminderRun()
    ids = list(
        Assignment.objects.filter(state__in=OPEN_ASSIGNMENT_STATES)
        .order_by("due_at")
        .values_list("pk", flat=True)
    )
    for assignment_id in ids:
        _remind_one(assignment_id, now, run)
    return run


def _remind_one(assignment_id: int, now: dt.datetime, run: ReminderRun) -> None:
    before = dt.timedelta(hours=settings.REMINDER_BEFORE_HOURS)
    interval = dt.timedelta(hours=settings.REMINDER_INTERVAL_HOURS)
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("claim", "reviewer", "reviewer__reviewer_profile")
            .filter(pk=assignment_id, state__in=OPEN_ASSIGNMENT_STATES)
            .first()
        )
        if assignment is None:
            return  # answered or closed since the list was read
        last = assignment.last_reminded_at
        reminders_left = assignment.reminders_sent < settings.ESCALATE_AFTER_REMINDERS
        if assignment.due_at > now:
            if (
                reminders_left
                and assignment.reminders_sent == 0
                and assignment.due_at - now <= before
            ):
                _send_reminder(assignment, now, overdue=False)
                run.reminded.append(assignment.pk)
            return
        interval_gone = last is None or now - last >= interval
        if reminders_left:
            # The first overdue reminder goes at once, even soon after the early one; later
            # ones an interval apart.
            if interval_gone or last < assignment.due_at:
                _send_reminder(assignment, now, overdue=True)
                run.overdue.append(assignment.pk)
        elif interval_gone:
            # The last reminder, early or overdue, gets its full interval before escalation.
            _escalate(assignment)
            run.escalated.append(assignment.pk)


def _send_reminder(assignment: Assignment, now: dt.datetime, *, overdue: bool) -> None:
    assignment.reminders_sent += 1
    assignment.last_reminded_at = now
    Assignment.objects.filter(pk=assignment.pk).update(
        reminders_sent=assignment.reminders_sent, last_reminded_at=now
    )
    profile = getattr(assignment.reviewer, "reviewer_profile", None)
    if profile is None or profile.reminders_enabled:
        emails.email_reminder(
            assignment=assignment, number=assignment.reminders_sent, overdue=overdue
        )


def _escalate(assignment: Assignment) -> None:
    expired = assignment_expire(
        actor=None,
        assignment=assignment,
        reason=f"Overdue after {assignment.reminders_sent} reminder(s); escalated to the editors.",
    )
    replacements = claim_auto_assign(claim_id=expired.claim_id)
    emails.email_escalation(assignment=expired, reassigned_to=[a.reviewer for a in replacements])
