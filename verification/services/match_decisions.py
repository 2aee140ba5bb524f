"""The desk's decisions on ingestion's likely duplicates (``ClaimMatch``): an editor confirms a
suggestion (the appearance joins the existing claim and the empty candidate is dismissed) or
rejects it (two claims after all), through ``claims.services`` and the workflow's moves."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from claims.exceptions import WorkflowConflict
from claims.models import Appearance, Claim, ClaimMatch, ClaimState, MatchOutcome
from claims.roles import require_editor
from claims.services import appearance_move
from verification.services.workflow import claim_dismiss


def _match_to_decide(match: ClaimMatch, doing: str) -> ClaimMatch:
    """The match, locked, if it still awaits the desk's decision; call inside a transaction."""
    locked = (
        ClaimMatch.objects.select_for_update(of=("self",))
        .select_related("appearance__claim", "existing")
        .get(pk=match.pk)
    )
    if locked.outcome == MatchOutcome.ATTACHED:
        raise WorkflowConflict(
            f"Cannot {doing} match #{locked.pk}: ingestion attached that appearance "
            f"automatically; it is not a suggestion awaiting a decision."
        )
    if locked.outcome != MatchOutcome.SUGGESTED:
        by = f" by {locked.decided_by}" if locked.decided_by_id else ""
        raise WorkflowConflict(
            f"Cannot {doing} match #{locked.pk}: it was already {locked.outcome}{by}."
        )
    return locked


def _decided(match: ClaimMatch, actor: AbstractBaseUser, outcome: str) -> ClaimMatch:
    match.outcome = outcome
    match.decided_by = actor
    match.decided_at = timezone.now()
    match.save(update_fields=["outcome", "decided_by", "decided_at"])
    return match


def claim_match_confirm(*, actor: AbstractBaseUser, match: ClaimMatch) -> ClaimMatch:
    """An editor confirms a suggested duplicate.

    1. Lock the match; refuse unless it is still a suggestion (409).
    2. Refuse unless the candidate is new or dismissed (once triaged it is checked in its own
       right, 409).
    3. Move the appearance to the existing claim, unless that claim is published (read-only:
       the appearance stays, and its verdict already answers the candidate).
    4. Dismiss the candidate if it is new and has no appearance left, naming the existing claim.
    5. Mark the match confirmed, by whom and when.
    """
    require_editor(actor, "confirm a duplicate")
    with transaction.atomic():
        match = _match_to_decide(match, "confirm")
        # Both claims locked, in id order, so neither is triaged or published meanwhile.
        ids = (match.appearance.claim_id, match.existing_id)
        locked = Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        claims = {claim.pk: claim for claim in locked}
        candidate, existing = claims[ids[0]], claims[ids[1]]
        if candidate.pk == existing.pk:
            raise WorkflowConflict(f"The appearance is already one of claim #{existing.pk}'s.")
        if candidate.state not in (ClaimState.NEW, ClaimState.DISMISSED):
            raise WorkflowConflict(
                f"Claim #{candidate.pk} is {candidate.get_state_display().lower()}: a likely "
                "duplicate is decided before triage. Reject the match, or compare the two "
                "claims' verdicts instead."
            )
        if not existing.is_locked:
            appearance_move(actor=actor, appearance=match.appearance, claim=existing)
        left = Appearance.objects.filter(claim=candidate).exists()
        if candidate.state == ClaimState.NEW and (existing.is_locked or not left):
            published = "published " if existing.is_locked else ""
            claim_dismiss(
                actor=actor,
                claim=candidate,
                reason=f"Duplicate of {published}claim #{existing.pk}: {existing}",
            )
        return _decided(match, actor, MatchOutcome.CONFIRMED)


def claim_match_reject(*, actor: AbstractBaseUser, match: ClaimMatch) -> ClaimMatch:
    """An editor decides a suggested duplicate is another claim; both claims stay as they are."""
    require_editor(actor, "reject a duplicate")
    with transaction.atomic():
        match = _match_to_decide(match, "reject")
        return _decided(match, actor, MatchOutcome.REJECTED)
