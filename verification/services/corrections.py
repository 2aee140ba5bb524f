"""Changes to a verdict the public has seen: :func:`claim_correct` (rating, summary or both),
:func:`claim_update` (a minor fix of the summary) and :func:`claim_retract` (the fact check is
withdrawn). A reopened claim's new sign-off is one too (``workflow.claim_publish``). Each writes a
:class:`claims.models.Correction` (the verdict before and after, a public note) with its event,
its emails and the ``verdict_changed`` announcement, in the change's transaction.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.exceptions import WorkflowConflict
from claims.models import Claim, ClaimState, Correction, CorrectionKind
from claims.roles import require_editor
from verification import emails, signals
from verification.models import WorkflowAction, WorkflowEvent
from verification.services.workflow import (
    PublicVerdict,
    _move,
    public_note_check,
    public_verdict_of,
    rating_check,
    rating_evidence_check,
    save_locked,
    signer_check,
    verdict_announce,
)

EVENT_OF_KIND = {
    CorrectionKind.CORRECTION: (WorkflowAction.CORRECT, signals.CORRECTED),
    CorrectionKind.UPDATE: (WorkflowAction.UPDATE, signals.CORRECTED),
    CorrectionKind.WITHDRAWAL: (WorkflowAction.RETRACT, signals.WITHDRAWN),
}


def correction_record(
    *,
    claim: Claim,
    actor: AbstractBaseUser | None,
    note: str,
    previous: PublicVerdict,
    kind: str | None = None,
    announce: bool = True,
) -> Correction:
    """Write the row for a change just applied to ``claim`` (saved, inside the transaction),
    from the ``previous`` verdict, and tell the claim's people. ``kind`` defaults to a
    correction when the rating changed and an update when only the summary did."""
    if kind is None:
        kind = (
            CorrectionKind.UPDATE
            if claim.published_rating == previous.rating
            else CorrectionKind.CORRECTION
        )
    correction = Correction.objects.create(
        claim=claim,
        kind=kind,
        previous_rating=previous.rating,
        previous_summary=previous.summary,
        rating="" if kind == CorrectionKind.WITHDRAWAL else claim.published_rating,
        summary="" if kind == CorrectionKind.WITHDRAWAL else claim.published_summary,
        note=note,
        review_round=claim.review_round,
        made_by=actor,
        made_at=timezone.now(),
    )
    emails.email_corrected(claim=claim, correction=correction)
    if announce:
        action, event = EVENT_OF_KIND[kind]
        workflow_event = WorkflowEvent.objects.create(
            claim=claim,
            actor=actor,
            action=action,
            from_state=claim.state,
            to_state=claim.state,
            note=_event_note(correction),
        )
        verdict_announce(claim, event, workflow_event)
    return correction


def _event_note(correction: Correction) -> str:
    lines = [correction.note]
    if correction.rating_changed:
        lines.append(
            f"Rating {correction.get_previous_rating_display()} → "
            f"{correction.get_rating_display()}."
        )
    if correction.summary != correction.previous_summary and correction.summary:
        lines.append(f"Summary: {correction.summary}")
    return "\n".join(lines)


def _change(
    actor: AbstractBaseUser,
    claim: Claim,
    kind: str,
    *,
    rating: str | None,
    summary: str | None,
    note: str,
) -> Correction:
    """Lock the published claim, apply the new verdict, save it and record the correction."""
    note = public_note_check(note)
    if rating:
        rating_check(rating)
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        what = "update" if kind == CorrectionKind.UPDATE else "correct"
        if locked.state != ClaimState.PUBLISHED:
            raise WorkflowConflict(
                f"Cannot {what} claim #{locked.pk}: it is "
                f"{locked.get_state_display().lower()}; only a published verdict is corrected "
                "this way (a reopened claim's new sign-off is its correction)."
            )
        previous = public_verdict_of(locked)
        rating = rating or previous.rating
        summary = previous.summary if summary is None else summary.strip()
        if (rating, summary) == previous:
            raise ValidationError(
                {"summary": "Nothing changed: give a new rating or a new summary."}
            )
        if rating != previous.rating:
            signer_check(locked, actor, "correct its rating")
            rating_evidence_check(locked, rating, "correct it to unverifiable instead")
        locked.published_rating = rating
        locked.published_summary = summary
        locked.published_by = actor
        save_locked(locked, actor)
        return correction_record(claim=locked, actor=actor, note=note, previous=previous, kind=kind)


def claim_correct(
    *,
    actor: AbstractBaseUser,
    claim: Claim,
    note: str,
    rating: str | None = None,
    summary: str | None = None,
) -> Correction:
    """Correct a published verdict: a new rating, a new summary or both, with a public note.
    What is not given stays as published."""
    require_editor(actor, "correct a published verdict")
    return _change(
        actor, claim, CorrectionKind.CORRECTION, rating=rating, summary=summary, note=note
    )


def claim_update(*, actor: AbstractBaseUser, claim: Claim, summary: str, note: str) -> Correction:
    """A minor fix of a published summary (a typo, a link); the rating stays. Public note."""
    require_editor(actor, "update a published verdict")
    return _change(actor, claim, CorrectionKind.UPDATE, rating=None, summary=summary, note=note)


def claim_retract(*, actor: AbstractBaseUser, claim: Claim, note: str) -> Correction:
    """Withdraw a published fact check (published → dismissed), with a public note. Its page
    keeps the notice and the earlier verdict; the ClaimReview feed no longer carries it."""
    require_editor(actor, "withdraw a fact check")
    note = public_note_check(note)
    earlier: list[PublicVerdict] = []
    recorded: list[Correction] = []

    def check(locked: Claim) -> None:
        # Read before the transition (``Claim.retract``) clears the public verdict.
        earlier.append(public_verdict_of(locked))

    def then(locked: Claim) -> None:
        recorded.append(
            correction_record(
                claim=locked,
                actor=actor,
                note=note,
                previous=earlier[0],
                kind=CorrectionKind.WITHDRAWAL,
                announce=False,
            )
        )
        verdict_announce(locked, signals.WITHDRAWN)  # the retract move's event

    _move(claim, actor, WorkflowAction.RETRACT, note=note, check=check, then=then)
    return recorded[0]
