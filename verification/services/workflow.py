"""The claim's workflow moves, each one named function.

Every move follows the same procedure (:func:`_move`):

1. Lock the claim row (``SELECT … FOR UPDATE`` on PostgreSQL) inside a transaction.
2. Refuse the move with :class:`WorkflowConflict` if the claim's current state does not allow
   it, naming both the state and the move.
3. Run the move's own checks (role, note given, editor did not review, …).
4. Apply the declared FSM transition and save; the save is a compare-and-set on the old state
   (``ConcurrentTransitionMixin``), which also protects SQLite, where rows are not locked.
5. Record a :class:`WorkflowEvent` with actor, from, to and note.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed

from claims.exceptions import WorkflowConflict
from claims.history import history_as
from claims.models import Claim, ClaimState
from verification import emails
from verification.models import Review, WorkflowAction, WorkflowEvent
from verification.roles import require_editor

# What each move is called in messages.
MOVE_LABELS: dict[str, str] = {
    WorkflowAction.TRIAGE: "triage",
    WorkflowAction.DISMISS: "dismiss",
    WorkflowAction.RESTORE: "restore",
    WorkflowAction.START_RESEARCH: "start research on",
    WorkflowAction.SUBMIT_FOR_SIGNOFF: "send to sign-off",
    WorkflowAction.SEND_BACK: "send back",
    WorkflowAction.PUBLISH: "publish",
    WorkflowAction.REOPEN: "reopen",
}


def allowed_sources(action: str) -> list[str]:
    """The states a claim move may start from, read from the FSM declaration."""
    meta = getattr(Claim, action)._django_fsm
    return sorted(meta.transitions)


def _refusal(claim: Claim, action: str) -> WorkflowConflict:
    sources = ", ".join(ClaimState(s).label.lower() for s in allowed_sources(action))
    return WorkflowConflict(
        f"Cannot {MOVE_LABELS[action]} claim #{claim.pk}: it is "
        f"{claim.get_state_display().lower()}, and that move is allowed only from {sources}."
    )


def _move(
    *,
    claim: Claim,
    actor: AbstractBaseUser | None,
    action: str,
    note: str = "",
    check: Callable[[Claim], None] | None = None,
    apply: Callable[[Claim], None] | None = None,
    then: Callable[[Claim], None] | None = None,
) -> Claim:
    """Steps 1–5 of the module's procedure; ``then`` runs last, inside the same transaction
    (emails to write, work to enqueue after commit)."""
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        method = getattr(locked, action)
        if not can_proceed(method):
            raise _refusal(locked, action)
        if check is not None:
            check(locked)
        from_state = locked.state
        method()
        if apply is not None:
            apply(locked)
        history_as(locked, actor)
        try:
            locked.save()
        except ConcurrentTransition:
            # Another writer moved the claim after we read it (possible on SQLite).
            raise WorkflowConflict(
                f"Claim #{claim.pk} was moved by someone else while you acted; reload it."
            ) from None
        WorkflowEvent.objects.create(
            claim=locked,
            actor=actor,
            action=action,
            from_state=from_state,
            to_state=locked.state,
            note=note,
        )
        if then is not None:
            then(locked)
    return locked


def _require_note(note: str, why: str) -> str:
    note = note.strip()
    if not note:
        raise ValidationError({"note": f"Say why you {why}."})
    return note


def claim_triage(*, actor: AbstractBaseUser, claim: Claim, note: str = "") -> Claim:
    """Accept a new claim for checking; its number of required reviews comes from its priority.

    Automatic assignment (a Celery task, enqueued after commit) picks it up from here.
    """
    require_editor(actor, "triage a claim")

    def apply(locked: Claim) -> None:
        locked.required_reviews = settings.REVIEWS_REQUIRED_BY_PRIORITY[locked.priority]

    return _move(
        claim=claim,
        actor=actor,
        action=WorkflowAction.TRIAGE,
        note=note,
        apply=apply,
        then=_queue_for_assignment,
    )


def _queue_for_assignment(claim: Claim) -> None:
    from verification.enqueue import assign_claim_after_commit

    assign_claim_after_commit(claim.pk)


def claim_dismiss(*, actor: AbstractBaseUser, claim: Claim, reason: str) -> Claim:
    """Decide a new claim is not worth checking. A reason is required."""
    require_editor(actor, "dismiss a claim")
    note = _require_note(reason, "dismiss it")
    return _move(claim=claim, actor=actor, action=WorkflowAction.DISMISS, note=note)


def claim_restore(*, actor: AbstractBaseUser, claim: Claim, note: str = "") -> Claim:
    """Bring a dismissed claim back to "new" for another triage."""
    require_editor(actor, "restore a claim")
    return _move(claim=claim, actor=actor, action=WorkflowAction.RESTORE, note=note)


def claim_start_research(*, actor: AbstractBaseUser | None, claim: Claim, note: str = "") -> Claim:
    """Triaged → in research. Called by ``assignment_create`` for a claim's first assignment."""
    return _move(claim=claim, actor=actor, action=WorkflowAction.START_RESEARCH, note=note)


def claim_submit_for_signoff(*, actor: AbstractBaseUser | None, claim: Claim) -> Claim:
    """In research → in review. Called by ``review_submit`` when the required reviews are in."""

    def check(locked: Claim) -> None:
        done = Review.objects.filter(claim=locked, review_round=locked.review_round).count()
        if done < locked.required_reviews:
            raise WorkflowConflict(
                f"Claim #{locked.pk} has {done} of its {locked.required_reviews} required "
                "reviews; it cannot go to sign-off yet."
            )

    return _move(
        claim=claim,
        actor=actor,
        action=WorkflowAction.SUBMIT_FOR_SIGNOFF,
        check=check,
        note="The required reviews are in.",
        then=lambda locked: emails.email_ready_for_signoff(claim=locked),
    )


def claim_send_back(*, actor: AbstractBaseUser, claim: Claim, note: str) -> Claim:
    """An editor returns a claim in review to research, with a note saying what is missing.

    A new review round starts; the reviewers of the last round are offered the claim again
    (see ``verification.services.assignments.assignments_reoffer``).
    """
    from verification.services.assignments import assignments_reoffer

    require_editor(actor, "send a claim back")
    note = _require_note(note, "send it back")
    # One transaction: the send-back and the re-offers stand or fall together.
    with transaction.atomic():
        moved = _move(claim=claim, actor=actor, action=WorkflowAction.SEND_BACK, note=note)
        assignments_reoffer(actor=actor, claim=moved, note=note)
        # Places the last round's reviewers could not take go to the queue.
        _queue_for_assignment(moved)
    return moved


def claim_publish(*, actor: AbstractBaseUser, claim: Claim, note: str = "") -> Claim:
    """An editor who did not review the claim signs it off; it is published and locked.

    The published verdict is the consensus of the current round's reviews.
    """
    require_editor(actor, "publish a claim")

    def check(locked: Claim) -> None:
        if Review.objects.filter(claim=locked, reviewer=actor).exists():
            raise WorkflowConflict(
                f"You reviewed claim #{locked.pk}; another editor must sign it off."
            )
        if not locked.consensus_rating:
            raise WorkflowConflict(f"Claim #{locked.pk} has no verdict to publish.")

    def apply(locked: Claim) -> None:
        locked.published_at = timezone.now()
        locked.published_by = actor

    return _move(
        claim=claim,
        actor=actor,
        action=WorkflowAction.PUBLISH,
        note=note,
        check=check,
        apply=apply,
        then=lambda locked: emails.email_published(claim=locked),
    )


def claim_reopen(*, actor: AbstractBaseUser, claim: Claim, reason: str) -> Claim:
    """Unlock a published claim for more research (a new review round). A reason is required."""
    require_editor(actor, "reopen a claim")
    note = _require_note(reason, "reopen it")
    return _move(
        claim=claim,
        actor=actor,
        action=WorkflowAction.REOPEN,
        note=note,
        then=_queue_for_assignment,
    )
