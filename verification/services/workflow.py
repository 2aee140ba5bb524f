"""The claim's workflow moves, each one named function running :func:`_move`: lock the claim,
refuse a move its state does not allow (:class:`WorkflowConflict`), run the move's own checks,
apply the declared FSM transition and save (a compare-and-set on the old state, which also
protects SQLite, where rows are not locked), and record a :class:`WorkflowEvent`."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed

from claims.claimreview import published_rating_of
from claims.exceptions import WorkflowConflict
from claims.history import history_as
from claims.models import Claim, ClaimState, Rating
from claims.roles import require_editor
from config.tasks import after_commit
from verification import emails, signals
from verification.models import Evidence, Review, WorkflowAction, WorkflowEvent

# What a move is called in messages, where that is not its action's name.
MOVE_LABELS: dict[str, str] = {
    WorkflowAction.START_RESEARCH: "start research on",
    WorkflowAction.SUBMIT_FOR_SIGNOFF: "send to sign-off",
    WorkflowAction.SEND_BACK: "send back",
    WorkflowAction.RETRACT: "withdraw",
}


def allowed_sources(action: str) -> list[str]:
    """The states a claim move may start from, read from the FSM declaration."""
    meta = getattr(Claim, action)._django_fsm
    return sorted(meta.transitions)


def _refusal(claim: Claim, action: str) -> WorkflowConflict:
    sources = ", ".join(ClaimState(s).label.lower() for s in allowed_sources(action))
    return WorkflowConflict(
        f"Cannot {MOVE_LABELS.get(action, action)} claim #{claim.pk}: it is "
        f"{claim.get_state_display().lower()}, and that move is allowed only from {sources}."
    )


def _move(
    claim: Claim,
    actor: AbstractBaseUser | None,
    action: str,
    *,
    note: str | Callable[[Claim], str] = "",
    check: Callable[[Claim], None] | None = None,
    apply: Callable[[Claim], None] | None = None,
    then: Callable[[Claim], None] | None = None,
) -> Claim:
    """The module's procedure; ``then`` runs last, inside the transaction (emails, work to
    enqueue after commit). ``note`` may be a function of the moved claim."""
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
        save_locked(locked, actor)
        WorkflowEvent.objects.create(
            claim=locked,
            actor=actor,
            action=action,
            from_state=from_state,
            to_state=locked.state,
            note=note(locked) if callable(note) else note,
        )
        if then is not None:
            then(locked)
    return locked


class PublicVerdict(NamedTuple):
    """The verdict the public reads of a published claim, as a correction records it before
    the change."""

    rating: str
    summary: str


def public_verdict_of(claim: Claim) -> PublicVerdict:
    return PublicVerdict(published_rating_of(claim), claim.published_summary)


def save_locked(locked: Claim, actor: AbstractBaseUser | None) -> None:
    """Save a claim read under its row lock, the history naming ``actor``; a claim another
    writer moved meanwhile (possible on SQLite, where rows are not locked) is a conflict."""
    history_as(locked, actor)
    try:
        locked.save()
    except ConcurrentTransition:
        raise WorkflowConflict(
            f"Claim #{locked.pk} was moved by someone else while you acted; reload it."
        ) from None


def signer_check(claim: Claim, actor: AbstractBaseUser, what: str) -> None:
    """An editor who reviewed the claim (in any round) may not sign off its verdict."""
    if Review.objects.filter(claim=claim, reviewer=actor).exists():
        raise WorkflowConflict(f"You reviewed claim #{claim.pk}; another editor must {what}.")


def rating_check(rating: str) -> None:
    """A rating is one of :class:`Rating`'s values."""
    if rating not in Rating.values:
        raise ValidationError({"rating": f"{rating!r} is not a rating."})


def rating_evidence_check(claim: Claim, rating: str, instead: str) -> None:
    """A firm rating (anything but "unverifiable") needs evidence on the claim."""
    if Rating(rating).is_firm and not Evidence.objects.filter(claim=claim).exists():
        raise ValidationError(
            {"rating": f"A firm rating needs evidence, and claim #{claim.pk} has none; {instead}."}
        )


def _required(text: str, field: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: message})
    return text


def public_note_check(note: str) -> str:
    """A change of a public verdict says why, for readers."""
    return _required(
        note,
        "correction_note",
        "This claim's verdict is already public: say for readers what changed and why (the "
        "correction note).",
    )


def _require_note(note: str, why: str) -> str:
    return _required(note, "note", f"Say why you {why}.")


def claim_triage(*, actor: AbstractBaseUser, claim: Claim, note: str = "") -> Claim:
    """Accept a new claim for checking, with the required reviews of its priority; automatic
    assignment picks it up after commit."""
    require_editor(actor, "triage a claim")

    def apply(locked: Claim) -> None:
        locked.required_reviews = settings.REVIEWS_REQUIRED_BY_PRIORITY[locked.priority]

    # Nothing the public is told changes: no verdict_changed.
    return _move(
        claim, actor, WorkflowAction.TRIAGE, note=note, apply=apply, then=_queue_for_assignment
    )


def _queue_for_assignment(claim: Claim) -> None:
    from verification import tasks  # the tasks import the services

    after_commit(tasks.assign_claims, [claim.pk])


def claim_dismiss(*, actor: AbstractBaseUser, claim: Claim, reason: str) -> Claim:
    """Decide a new claim is not worth checking. A reason is required."""
    require_editor(actor, "dismiss a claim")
    note = _require_note(reason, "dismiss it")
    return _move(claim, actor, WorkflowAction.DISMISS, note=note)


def claim_restore(*, actor: AbstractBaseUser, claim: Claim, note: str = "") -> Claim:
    """Bring a dismissed claim back to "new" for another triage."""
    require_editor(actor, "restore a claim")
    return _move(claim, actor, WorkflowAction.RESTORE, note=note)


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
        claim,
        actor,
        WorkflowAction.SUBMIT_FOR_SIGNOFF,
        check=check,
        note="The required reviews are in.",
        then=lambda locked: emails.email_ready_for_signoff(claim=locked),
    )


def claim_send_back(*, actor: AbstractBaseUser, claim: Claim, note: str) -> Claim:
    """An editor returns a claim in review to research, with a note saying what is missing; a
    new round starts and is offered to the last round's reviewers (``assignments_reoffer``)."""
    from verification.services.assignments import assignments_reoffer

    require_editor(actor, "send a claim back")
    note = _require_note(note, "send it back")
    # One transaction: the send-back and the re-offers stand or fall together.
    with transaction.atomic():
        moved = _move(claim, actor, WorkflowAction.SEND_BACK, note=note)
        assignments_reoffer(actor=actor, claim=moved, note=note)
        # Places the last round's reviewers could not take go to the queue.
        _queue_for_assignment(moved)
    return moved


def claim_publish(
    *,
    actor: AbstractBaseUser,
    claim: Claim,
    note: str = "",
    rating: str | None = None,
    summary: str = "",
    correction_note: str = "",
) -> Claim:
    """An editor who did not review the claim (in any round) signs off a claim in review; it
    is published and locked.

    1. The rating is ``rating`` or the consensus; overruling the consensus needs a ``note``.
    2. A firm rating needs evidence on the claim, whoever chooses it.
    3. The rating and the summary (ClaimReview's ``reviewBody``) go in the event's note.
    4. A reopened claim's new sign-off corrects its public verdict: it needs a public
       ``correction_note``, and the first publication date stays.

    ``summary`` may be empty, so that scripts and the bulk action can publish the consensus
    alone; the sign-off screen asks for one (``verification.admin.signoff``).
    """
    require_editor(actor, "publish a claim")
    if rating:
        rating_check(rating)
    note, summary, correction_note = note.strip(), summary.strip(), correction_note.strip()
    earlier: list[PublicVerdict] = []  # the verdict this sign-off replaces, if any

    def check(locked: Claim) -> None:
        signer_check(locked, actor, "sign it off")
        if not locked.consensus_rating:
            raise WorkflowConflict(f"Claim #{locked.pk} has no verdict to publish.")
        chosen = rating or locked.consensus_rating
        if chosen != locked.consensus_rating and not note:
            raise ValidationError(
                {
                    "note": f"You chose {Rating(chosen).label!r}, not the reviewers' consensus "
                    f"{Rating(locked.consensus_rating).label!r}; say why in the note."
                }
            )
        rating_evidence_check(locked, chosen, "publish it as unverifiable or send it back")
        if locked.has_public_verdict:
            # A new round's sign-off replaces a verdict the public has seen: a correction,
            # with its public note (``verification.services.corrections``).
            public_note_check(correction_note)
            earlier.append(public_verdict_of(locked))

    def apply(locked: Claim) -> None:
        if not earlier:
            locked.published_at = timezone.now()
        locked.published_by = actor
        locked.published_rating = rating or locked.consensus_rating
        locked.published_summary = summary

    def describe(locked: Claim) -> str:
        # The event says what was published when that is more than the consensus alone.
        lines = [note]
        if locked.published_rating != locked.consensus_rating:
            lines.append(
                f"Published as {locked.get_published_rating_display()}, overruling the "
                f"consensus {locked.get_consensus_rating_display()}."
            )
        if summary:
            lines.append(f"Summary: {summary}")
        return "\n".join(line for line in lines if line)

    def then(locked: Claim) -> None:
        _published(locked, earlier, actor, correction_note)

    return _move(
        claim, actor, WorkflowAction.PUBLISH, note=describe, check=check, apply=apply, then=then
    )


def _published(
    claim: Claim, earlier: list[PublicVerdict], actor: AbstractBaseUser, correction_note: str
) -> None:
    if not earlier:
        emails.email_published(claim=claim)
        verdict_announce(claim, signals.PUBLISHED)
        return
    from verification.services.corrections import correction_record

    # Its email (to everyone who reviewed the claim, in any round) says what changed.
    correction_record(
        claim=claim, actor=actor, note=correction_note, previous=earlier[0], announce=False
    )
    verdict_announce(claim, signals.CORRECTED)


def verdict_announce(claim: Claim, event: str, workflow_event: WorkflowEvent | None = None) -> None:
    """Send ``verdict_changed`` for ``workflow_event``, by default the move just recorded (the
    claim's newest event)."""
    if workflow_event is None:
        workflow_event = WorkflowEvent.objects.filter(claim=claim).latest("created_at", "pk")
    signals.verdict_changed.send(
        sender=Claim, claim=claim, event=event, workflow_event=workflow_event
    )


def claim_reopen(*, actor: AbstractBaseUser, claim: Claim, reason: str) -> Claim:
    """Unlock a published claim for a new review round, with a reason. Its verdict stays
    public ("under review again") until the new sign-off corrects it (:func:`claim_publish`)."""
    require_editor(actor, "reopen a claim")
    note = _require_note(reason, "reopen it")
    return _move(claim, actor, WorkflowAction.REOPEN, note=note, then=_reopened)


def _reopened(claim: Claim) -> None:
    _queue_for_assignment(claim)
    verdict_announce(claim, signals.REOPENED)
