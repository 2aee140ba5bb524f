"""Telling the desk about a change the watch found: an event in each citing claim's history and
one email to each of those claims' editor and reviewers."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from claims.models import Claim
from config.archive.models import ChangeKind, PageChange
from config.archive.services.watch import claims_citing
from verification.models import Assignment, AssignmentState, WorkflowAction, WorkflowEvent

# Reviewers who still hold a claim or reviewed it; not those who declined or were relieved.
_REVIEWERS = (AssignmentState.OFFERED, AssignmentState.ACCEPTED, AssignmentState.SUBMITTED)


def claim_people(claims: list[Claim]) -> dict[int, list[Claim]]:
    """Who is told about each claim, by user id: the editor who published it (or, before
    that, who triaged it) and its reviewers."""
    told: dict[int, list[Claim]] = defaultdict(list)
    by_id = {claim.pk: claim for claim in claims}
    triaged = WorkflowEvent.objects.filter(
        claim__in=claims, action=WorkflowAction.TRIAGE, actor__isnull=False
    ).order_by("created_at")
    editors = {event.claim_id: event.actor_id for event in triaged}
    for claim in claims:
        editor = claim.published_by_id or editors.get(claim.pk)
        if editor is not None:
            told[editor].append(claim)
    for claim_id, reviewer_id in (
        Assignment.objects.filter(claim__in=claims, state__in=_REVIEWERS)
        .values_list("claim_id", "reviewer_id")
        .distinct()
    ):
        if by_id[claim_id] not in told[reviewer_id]:
            told[reviewer_id].append(by_id[claim_id])
    return told


def change_notify(*, change: PageChange) -> None:
    """Record ``change`` in the history of every watched claim citing its page and queue one
    email per person (:func:`archive.emails.email_source_changed`). Called inside the
    transaction that wrote the change, so both commit or roll back with it."""
    from config.archive.emails import email_source_changed

    claims = list(claims_citing(change.page))
    gone = change.kind == ChangeKind.GONE
    note = (
        f"{change.page.url} is gone: {change.reason}"
        if gone
        else f"{change.page.url} changed: {len(change.removed)} sentence(s) removed, "
        f"{len(change.added)} added ({change.changed_share:.0%} of its text)."
    )
    WorkflowEvent.objects.bulk_create(
        WorkflowEvent(
            claim=claim,
            action=WorkflowAction.SOURCE_GONE if gone else WorkflowAction.SOURCE_CHANGED,
            from_state=claim.state,
            to_state=claim.state,
            note=note,
        )
        for claim in claims
    )
    told = claim_people(claims)
    users: dict[int, AbstractBaseUser] = get_user_model().objects.in_bulk(list(told))
    for user_id, their_claims in sorted(told.items()):
        user = users.get(user_id)
        if user is not None and user.is_active:
            email_source_changed(change=change, user=user, claims=their_claims)
