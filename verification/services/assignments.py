"""Giving claims to reviewers, and the moves of an assignment (accept, decline, withdraw,
expire). :func:`assignments_create` is the one writer of assignments: editors' picks, the
send-back's re-offer and automatic assignment all write through it, under the eligibility rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed
from simple_history.utils import bulk_create_with_history

from claims.exceptions import WorkflowConflict
from claims.history import history_as
from claims.models import Claim, ClaimState
from claims.roles import require_editor
from config.tasks import after_commit
from verification import emails
from verification.eligibility import (
    Candidate,
    Choice,
    ClaimRecord,
    Refusal,
    claim_records,
    people,
    refusal,
    refusal_message,
    reviewers_eligible,
)
from verification.models import (
    Assignment,
    AssignmentState,
    EmailLog,
    Review,
    ReviewerProfile,
    WorkflowAction,
    WorkflowEvent,
)

ASSIGNABLE_CLAIM_STATES = (ClaimState.TRIAGED, ClaimState.IN_RESEARCH)
FREES_A_PLACE = (AssignmentState.DECLINED, AssignmentState.WITHDRAWN, AssignmentState.EXPIRED)


def due_date_for(claim: Claim, *, now: dt.datetime | None = None) -> dt.datetime:
    hours = settings.TURNAROUND_HOURS_BY_PRIORITY[claim.priority]
    return (now or timezone.now()) + dt.timedelta(hours=hours)


@dataclass(frozen=True)
class Pick:
    """One reviewer for one claim; ``due_at`` defaults to the priority's turnaround."""

    claim: Claim
    reviewer: AbstractBaseUser
    note: str = ""
    due_at: dt.datetime | None = None


def assignment_create(
    *,
    actor: AbstractBaseUser | None,
    claim: Claim,
    reviewer: AbstractBaseUser,
    due_at: dt.datetime | None = None,
    note: str = "",
) -> Assignment:
    """Offer a claim to one reviewer: :func:`assignments_create` with one pick."""
    pick = Pick(claim=claim, reviewer=reviewer, due_at=due_at, note=note)
    return assignments_create(actor=actor, picks=[pick])[0]


def assignments_create(
    *, actor: AbstractBaseUser | None, picks: Sequence[Pick]
) -> list[Assignment]:
    """The one writer of assignments: offer each picked claim to its reviewer for its current
    round, all or none, in the order of ``picks``. ``actor``: the editor who picks, or None for
    automatic assignment (``Choice.AUTOMATIC``, which already holds the locks).

    1. Lock the claims, then the reviewers' profiles, each in primary-key order.
    2. Refuse a claim not triaged nor in research (409), a pick the eligibility rule refuses
       (409 if the reviewer has it open, else 400), a full round (409), a past due date (400);
       each pick counts for the next.
    3. Write the assignments with their history and events, the triaged claims' move to
       research (compare-and-set), and the emails, delivered after commit.
    """
    if actor is not None:
        require_editor(actor, "assign a claim")
    choice = Choice.AUTOMATIC if actor is None else Choice.EDITOR
    if not picks:
        return []
    now = timezone.now()
    with transaction.atomic():
        locked = Claim.objects.select_for_update().filter(pk__in={p.claim.pk for p in picks})
        claims = {claim.pk: claim for claim in locked.order_by("pk")}
        records = claim_records(claims)
        reviewer_ids = {p.reviewer.pk for p in picks}
        locking = ReviewerProfile.objects.select_for_update().filter(user_id__in=reviewer_ids)
        list(locking.order_by("pk").values_list("pk"))  # capacity is counted under the locks
        users = get_user_model().objects.filter(pk__in=reviewer_ids)
        candidates = {user.pk: Candidate.of(user) for user in people(users)}
        assignments = []
        for pick in picks:
            claim = claims[pick.claim.pk]
            candidate = candidates[pick.reviewer.pk]
            _check(claim, candidate, records[claim.pk], choice=choice, due_at=pick.due_at, now=now)
            records[claim.pk].add(candidate.user.pk, AssignmentState.OFFERED, claim.review_round)
            candidate.open_count += 1
            assignments.append(
                Assignment(
                    claim=claim,
                    reviewer=candidate.user,
                    review_round=claim.review_round,
                    due_at=pick.due_at or due_date_for(claim, now=now),
                    assigned_by=actor,
                )
            )
        # With no actor, history names the request's user if any (as ``history_as`` does).
        bulk_create_with_history(assignments, Assignment, default_user=actor)
        _events_and_research(actor, picks, assignments)
        rows = emails.assignment_emails_render(
            assignments=assignments, appearances=emails.first_appearances(claims)
        )
        EmailLog.objects.bulk_create(rows)
        transaction.on_commit(partial(_deliver, [row.pk for row in rows]))
    return assignments


def _deliver(email_ids: list[int]) -> None:
    for email_id in email_ids:
        emails.enqueue_delivery(email_id)


def _check(
    claim: Claim,
    candidate: Candidate,
    record: ClaimRecord,
    *,
    choice: Choice,
    due_at: dt.datetime | None,
    now: dt.datetime,
) -> None:
    if claim.state not in ASSIGNABLE_CLAIM_STATES:
        raise WorkflowConflict(
            f"Cannot assign claim #{claim.pk}: it is {claim.get_state_display().lower()}; "
            "only triaged claims and claims in research take reviewers."
        )
    reason = refusal(claim, candidate, record, choice=choice)
    if reason == Refusal.HAS_IT_OPEN:
        raise WorkflowConflict(refusal_message(reason, claim, candidate))
    if reason is not None:
        raise ValidationError({"reviewer": refusal_message(reason, claim, candidate)})
    if record.active(claim.review_round) >= claim.required_reviews:
        raise WorkflowConflict(
            f"Claim #{claim.pk} already has its {claim.required_reviews} reviewer(s) for "
            "this round; withdraw one first."
        )
    if due_at is not None and due_at <= now:
        raise ValidationError({"due_at": "The due date is in the past."})


def _events_and_research(
    actor: AbstractBaseUser | None, picks: Sequence[Pick], assignments: list[Assignment]
) -> None:
    events = []
    started: list[Claim] = []
    for pick, assignment in zip(picks, assignments, strict=True):
        claim = assignment.claim
        events.append(
            WorkflowEvent(
                claim=claim,
                assignment=assignment,
                actor=actor,
                action=WorkflowAction.ASSIGN,
                to_state=assignment.state,
                note=pick.note
                or f"Assigned to {assignment.reviewer.get_username()}, "
                f"due {assignment.due_at:%Y-%m-%d %H:%M}.",
            )
        )
        if claim.state == ClaimState.TRIAGED:
            claim.start_research()  # the declared transition, in memory
            started.append(claim)
            events.append(
                WorkflowEvent(
                    claim=claim,
                    actor=actor,
                    action=WorkflowAction.START_RESEARCH,
                    from_state=ClaimState.TRIAGED,
                    to_state=claim.state,
                )
            )
    if started:
        now = timezone.now()
        moved = Claim.objects.filter(
            pk__in=[claim.pk for claim in started], state=ClaimState.TRIAGED
        ).update(state=ClaimState.IN_RESEARCH, updated_at=now)
        if moved != len(started):  # cannot happen while the claims are locked
            raise WorkflowConflict("A claim was moved by someone else; reload it.")
        for claim in started:
            claim.updated_at = now
        Claim.history.bulk_history_create(
            started, update=True, default_user=actor, default_change_reason=None
        )
    WorkflowEvent.objects.bulk_create(events)


def _assignment_move(
    *, assignment: Assignment, actor: AbstractBaseUser | None, action: str, reason: str = ""
) -> Assignment:
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        method = getattr(locked, action)
        if not can_proceed(method):
            raise WorkflowConflict(
                f"Cannot {action} assignment #{locked.pk}: it is "
                f"{locked.get_state_display().lower()}."
            )
        from_state = locked.state
        method()
        if reason:
            locked.reason = reason
        history_as(locked, actor)
        try:
            locked.save()
        except ConcurrentTransition:
            raise WorkflowConflict(
                f"Assignment #{locked.pk} changed while you acted; reload it."
            ) from None
        WorkflowEvent.objects.create(
            claim_id=locked.claim_id,
            assignment=locked,
            actor=actor,
            action=action,
            from_state=from_state,
            to_state=locked.state,
            note=reason,
        )
        if locked.state == AssignmentState.WITHDRAWN:
            emails.email_withdrawn(assignment=locked)
        if locked.state in FREES_A_PLACE:
            from verification import tasks  # the tasks import the services

            # The claim lost a reviewer and the reviewer gained room: refill after commit.
            after_commit(tasks.assign_claims, [locked.claim_id])
            after_commit(tasks.assign_waiting_claims)
    return locked


def _require_assignee(actor: AbstractBaseUser, assignment: Assignment, doing: str) -> None:
    if actor.pk != assignment.reviewer_id:
        raise PermissionDenied(f"Only the assigned reviewer may {doing} this assignment.")


def assignment_accept(*, actor: AbstractBaseUser, assignment: Assignment) -> Assignment:
    """The assigned reviewer takes the work on."""
    _require_assignee(actor, assignment, "accept")
    return _assignment_move(assignment=assignment, actor=actor, action=WorkflowAction.ACCEPT)


def assignment_decline(
    *, actor: AbstractBaseUser, assignment: Assignment, reason: str = ""
) -> Assignment:
    """The assigned reviewer turns an offer down; the claim goes back to the queue."""
    _require_assignee(actor, assignment, "decline")
    reason = reason.strip() or "Declined."
    return _assignment_move(
        assignment=assignment, actor=actor, action=WorkflowAction.DECLINE, reason=reason
    )


def assignment_withdraw(
    *, actor: AbstractBaseUser, assignment: Assignment, reason: str
) -> Assignment:
    """An editor takes an open assignment back (to reassign it). A reason is required."""
    require_editor(actor, "withdraw an assignment")
    if not reason.strip():
        raise ValidationError({"reason": "Say why you withdraw the assignment."})
    return _assignment_move(
        assignment=assignment, actor=actor, action=WorkflowAction.WITHDRAW, reason=reason.strip()
    )


def assignment_expire(
    *, actor: AbstractBaseUser | None, assignment: Assignment, reason: str
) -> Assignment:
    """An overdue assignment lapses (by escalation, or by an editor)."""
    if actor is not None:
        require_editor(actor, "expire an assignment")
    return _assignment_move(
        assignment=assignment, actor=actor, action=WorkflowAction.EXPIRE, reason=reason
    )


def assignments_reoffer(*, actor: AbstractBaseUser, claim: Claim, note: str) -> list[Assignment]:
    """After a send-back, offer the new round to as many of the last round's reviewers as may
    take it (an editor's choice) and the round needs."""
    last_round = [
        review.reviewer
        for review in Review.objects.filter(claim=claim, review_round=claim.review_round - 1)
        .select_related("reviewer")
        .order_by("created_at")
    ]
    eligible = {
        verdict.candidate.user.pk
        for verdict in reviewers_eligible(claim, choice=Choice.EDITOR, reviewers=last_round)
        if verdict.eligible
    }
    picks = [
        Pick(claim=claim, reviewer=reviewer, note=f"Sent back: {note}")
        for reviewer in last_round
        if reviewer.pk in eligible
    ]
    return assignments_create(actor=actor, picks=picks[: claim.required_reviews])
