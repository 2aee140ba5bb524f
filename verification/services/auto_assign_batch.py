"""Writing a batch of automatic assignments in bulk (step 5 of ``claims_auto_assign``).

One claim at a time, ``assignment_create`` and ``claim_start_research`` cost about thirty
statements a claim: the claim locked again and its reviewer checked again, one INSERT per row,
a query for the email's appearance. The batch has done its checks under its locks already, so
here each table is written once for the whole batch, with the rows those functions write:
the assignments and their history, the "assign" events, the triaged claims' move to "in
research" (a compare-and-set on the old state) with their history and "start research"
events, and the assignment emails rendered by ``emails`` and delivered after commit.
``tests/test_auto_assign_batch_rows.py`` compares every column of every row with the
one-at-a-time path's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from claims.exceptions import WorkflowConflict
from claims.models import Claim, ClaimState
from verification import emails
from verification.models import Assignment, EmailLog, WorkflowAction, WorkflowEvent
from verification.services.assignments import due_date_for


@dataclass(frozen=True)
class Pick:
    """One reviewer chosen for one claim, with the note the assignment's event carries."""

    claim: Claim
    reviewer: AbstractBaseUser
    note: str


def picks_write(picks: list[Pick]) -> list[Assignment]:
    """Offer each picked claim to its reviewer, in the caller's transaction, which holds the
    claims' and the reviewers' locks. Returns the assignments, in the order of ``picks``.

    1. The assignments (automatic: no ``assigned_by``; due from the claim's priority) and
       their "created" history rows.
    2. For each, its "assign" event; for a triaged claim's first assignment, the claim's
       "start research" event after it, as ``assignment_create`` orders them.
    3. The triaged claims move to "in research" in one UPDATE that matches only rows still
       triaged; their history rows record the move.
    4. The assignment emails, stored now and handed to delivery after commit.
    """
    if not picks:
        return []
    assignments = [
        Assignment(
            claim=pick.claim,
            reviewer=pick.reviewer,
            review_round=pick.claim.review_round,
            due_at=due_date_for(pick.claim),
            assigned_by=None,
        )
        for pick in picks
    ]
    Assignment.objects.bulk_create(assignments)
    # As the post-save signal writes them: no reason given, the request's user if any.
    Assignment.history.bulk_history_create(assignments, default_change_reason=None)

    events = []
    started: list[Claim] = []
    for pick, assignment in zip(picks, assignments, strict=True):
        claim = pick.claim
        events.append(
            WorkflowEvent(
                claim=claim,
                assignment=assignment,
                actor=None,
                action=WorkflowAction.ASSIGN,
                to_state=assignment.state,
                note=pick.note,
            )
        )
        if claim.state == ClaimState.TRIAGED:
            claim.start_research()  # the declared transition, in memory
            started.append(claim)
            events.append(
                WorkflowEvent(
                    claim=claim,
                    actor=None,
                    action=WorkflowAction.START_RESEARCH,
                    from_state=ClaimState.TRIAGED,
                    to_state=claim.state,
                )
            )
    _claims_start_research(started)
    WorkflowEvent.objects.bulk_create(events)

    rows = emails.assignment_emails_render(
        assignments=assignments,
        appearances=emails.first_appearances({pick.claim.pk for pick in picks}),
    )
    EmailLog.objects.bulk_create(rows)
    email_ids = [row.pk for row in rows]
    transaction.on_commit(lambda: _deliver_after_commit(email_ids))
    return assignments


def _claims_start_research(claims: list[Claim]) -> None:
    """Triaged → in research for ``claims`` (moved in memory already), with history."""
    if not claims:
        return
    now = timezone.now()
    moved = Claim.objects.filter(
        pk__in=[claim.pk for claim in claims], state=ClaimState.TRIAGED
    ).update(state=ClaimState.IN_RESEARCH, updated_at=now)
    if moved != len(claims):
        # Cannot happen while the batch holds the claims' locks; if it did, nothing is kept.
        raise WorkflowConflict("A claim of the batch was moved by someone else; try again.")
    for claim in claims:
        claim.updated_at = now
    Claim.history.bulk_history_create(claims, update=True, default_change_reason=None)


def _deliver_after_commit(email_ids: list[int]) -> None:
    for email_id in email_ids:
        emails.enqueue_delivery(email_id)
