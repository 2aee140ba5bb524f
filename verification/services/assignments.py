"""Giving claims to reviewers and the reviewers' answers.

Automatic assignment (choosing *which* reviewer) arrives with the Celery workflow; here are the
moves every door uses: create, accept, decline, withdraw, expire, and re-offer after a send-back.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed

from claims.exceptions import WorkflowConflict
from claims.history import history_as
from claims.models import Claim, ClaimState
from verification import emails
from verification.enqueue import assign_claim_after_commit, assign_waiting_claims_after_commit
from verification.models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    AssignmentState,
    Availability,
    Review,
    ReviewerProfile,
    WorkflowAction,
    WorkflowEvent,
)
from verification.roles import is_editor, is_reviewer, require_editor
from verification.services.workflow import claim_start_research

ASSIGNABLE_CLAIM_STATES = (ClaimState.TRIAGED, ClaimState.IN_RESEARCH)
FREES_A_PLACE = (AssignmentState.DECLINED, AssignmentState.WITHDRAWN, AssignmentState.EXPIRED)


def due_date_for(claim: Claim, *, now: dt.datetime | None = None) -> dt.datetime:
    hours = settings.TURNAROUND_HOURS_BY_PRIORITY[claim.priority]
    return (now or timezone.now()) + dt.timedelta(hours=hours)


def open_assignment_count(reviewer: AbstractBaseUser) -> int:
    return Assignment.objects.filter(reviewer=reviewer, state__in=OPEN_ASSIGNMENT_STATES).count()


def assignment_create(
    *,
    actor: AbstractBaseUser | None,
    claim: Claim,
    reviewer: AbstractBaseUser,
    due_at: dt.datetime | None = None,
    note: str = "",
) -> Assignment:
    """Offer a claim to a reviewer for the claim's current review round.

    ``actor`` is the editor who assigns, or None for automatic assignment.

    1. Lock the claim; it must be triaged or in research.
    2. Refuse a reviewer who is not a reviewer, is away, submitted the claim, already has it
       open, or already reviewed or declined it in this round.
    3. Refuse when the round already has all the reviewers it needs.
    4. Create the assignment (due date from the priority's turnaround unless given) and, for a
       triaged claim, move it to "in research". Record the events.
    """
    if actor is not None:
        require_editor(actor, "assign a claim")
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.state not in ASSIGNABLE_CLAIM_STATES:
            raise WorkflowConflict(
                f"Cannot assign claim #{claim.pk}: it is {claim.get_state_display().lower()}; "
                "only triaged claims and claims in research take reviewers."
            )
        _check_reviewer(claim, reviewer)
        this_round = Assignment.objects.filter(claim=claim, review_round=claim.review_round)
        active = this_round.filter(
            state__in=[*OPEN_ASSIGNMENT_STATES, AssignmentState.SUBMITTED]
        ).count()
        if active >= claim.required_reviews:
            raise WorkflowConflict(
                f"Claim #{claim.pk} already has its {claim.required_reviews} reviewer(s) for "
                "this round; withdraw one first."
            )
        if due_at is not None and due_at <= timezone.now():
            raise ValidationError({"due_at": "The due date is in the past."})
        assignment = Assignment(
            claim=claim,
            reviewer=reviewer,
            review_round=claim.review_round,
            due_at=due_at or due_date_for(claim),
            assigned_by=actor,
        )
        history_as(assignment, actor)
        try:
            with transaction.atomic():
                assignment.save()
        except IntegrityError:
            raise WorkflowConflict(
                f"{reviewer.get_username()} already has claim #{claim.pk} open."
            ) from None
        WorkflowEvent.objects.create(
            claim=claim,
            assignment=assignment,
            actor=actor,
            action=WorkflowAction.ASSIGN,
            to_state=assignment.state,
            note=note
            or f"Assigned to {reviewer.get_username()}, due {assignment.due_at:%Y-%m-%d %H:%M}.",
        )
        if claim.state == ClaimState.TRIAGED:
            claim_start_research(actor=actor, claim=claim)
        emails.email_assignment(assignment=assignment)
    return assignment


def _check_reviewer(claim: Claim, reviewer: AbstractBaseUser) -> None:
    name = reviewer.get_username()
    if not is_reviewer(reviewer):
        raise ValidationError({"reviewer": f"{name} is not a reviewer."})
    profile = ReviewerProfile.objects.filter(user=reviewer).first()
    if profile is None:
        raise ValidationError({"reviewer": f"{name} has no reviewer profile."})
    if profile.availability == Availability.AWAY:
        raise ValidationError({"reviewer": f"{name} is away."})
    if claim.submitted_by_id == reviewer.pk:
        raise ValidationError({"reviewer": f"{name} submitted this claim and cannot review it."})
    earlier = Assignment.objects.filter(claim=claim, reviewer=reviewer)
    if earlier.filter(state__in=OPEN_ASSIGNMENT_STATES).exists():
        raise WorkflowConflict(f"{name} already has claim #{claim.pk} open.")
    if earlier.filter(
        review_round=claim.review_round,
        state__in=[AssignmentState.SUBMITTED, AssignmentState.DECLINED],
    ).exists():
        raise ValidationError(
            {"reviewer": f"{name} already reviewed or declined claim #{claim.pk} in this round."}
        )


def _assignment_move(
    *,
    assignment: Assignment,
    actor: AbstractBaseUser | None,
    action: str,
    label: str,
    reason: str = "",
) -> Assignment:
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        method = getattr(locked, action)
        if not can_proceed(method):
            raise WorkflowConflict(
                f"Cannot {label} assignment #{locked.pk}: it is "
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
            # The claim lost a reviewer and the reviewer gained room: refill after commit.
            assign_claim_after_commit(locked.claim_id)
            assign_waiting_claims_after_commit()
    return locked


def _require_assignee(actor: AbstractBaseUser, assignment: Assignment, doing: str) -> None:
    from django.core.exceptions import PermissionDenied

    if actor.pk != assignment.reviewer_id:
        raise PermissionDenied(f"Only the assigned reviewer may {doing} this assignment.")


def assignment_accept(*, actor: AbstractBaseUser, assignment: Assignment) -> Assignment:
    """The assigned reviewer takes the work on."""
    _require_assignee(actor, assignment, "accept")
    return _assignment_move(
        assignment=assignment, actor=actor, action=WorkflowAction.ACCEPT, label="accept"
    )


def assignment_decline(
    *, actor: AbstractBaseUser, assignment: Assignment, reason: str = ""
) -> Assignment:
    """The assigned reviewer turns an offer down; the claim goes back to the queue."""
    _require_assignee(actor, assignment, "decline")
    return _assignment_move(
        assignment=assignment,
        actor=actor,
        action=WorkflowAction.DECLINE,
        label="decline",
        reason=reason.strip() or "Declined.",
    )


def assignment_withdraw(
    *, actor: AbstractBaseUser, assignment: Assignment, reason: str
) -> Assignment:
    """An editor takes an open assignment back (to reassign it). A reason is required."""
    require_editor(actor, "withdraw an assignment")
    if not reason.strip():
        raise ValidationError({"reason": "Say why you withdraw the assignment."})
    return _assignment_move(
        assignment=assignment,
        actor=actor,
        action=WorkflowAction.WITHDRAW,
        label="withdraw",
        reason=reason.strip(),
    )


def assignment_expire(
    *, actor: AbstractBaseUser | None, assignment: Assignment, reason: str
) -> Assignment:
    """An overdue assignment lapses (by escalation, or by an editor)."""
    if actor is not None:
        require_editor(actor, "expire an assignment")
    return _assignment_move(
        assignment=assignment,
        actor=actor,
        action=WorkflowAction.EXPIRE,
        label="expire",
        reason=reason,
    )


def assignments_reoffer(*, actor: AbstractBaseUser, claim: Claim, note: str) -> list[Assignment]:
    """After a send-back, offer the new round to the last round's reviewers who are still in."""
    previous = claim.review_round - 1
    reviewers = (
        Review.objects.filter(claim=claim, review_round=previous)
        .select_related("reviewer")
        .order_by("created_at")
    )
    made = []
    for review in reviewers:
        try:
            made.append(
                assignment_create(
                    actor=actor if is_editor(actor) else None,
                    claim=claim,
                    reviewer=review.reviewer,
                    note=f"Sent back: {note}",
                )
            )
        except (ValidationError, WorkflowConflict):
            # Away, or the round is full: the claim waits in the queue for someone else.
            continue
    return made
