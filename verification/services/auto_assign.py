"""Automatic assignment: who gets a queued claim.

A claim waits in the queue while it is triaged or in research and its current round has fewer
active assignments (offered, accepted or submitted) than it needs. :func:`claim_auto_assign`
fills the missing places; it runs after triage, whenever a reviewer frees up (a review is
submitted, an offer declined or withdrawn, an assignment expires, a reviewer comes back) and in
the periodic sweep, so a claim nobody could take is picked up as soon as someone can.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet

from claims.models import Claim, ClaimState
from verification.models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    AssignmentState,
    Availability,
    ReviewerProfile,
)
from verification.roles import Role
from verification.services.assignments import assignment_create

QUEUED_STATES = (ClaimState.TRIAGED, ClaimState.IN_RESEARCH)
ACTIVE_STATES = (*OPEN_ASSIGNMENT_STATES, AssignmentState.SUBMITTED)
_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


def claims_waiting_for_reviewers() -> QuerySet[Claim]:
    """Queued claims whose current round has fewer active reviewers than it needs."""
    return (
        Claim.objects.filter(state__in=QUEUED_STATES)
        .annotate(
            active=Count(
                "assignments",
                filter=Q(assignments__state__in=ACTIVE_STATES)
                & Q(assignments__review_round=F("review_round")),
            )
        )
        .filter(active__lt=F("required_reviews"))
        .order_by("created_at", "pk")
    )


def _ineligible_reviewer_ids(claim: Claim) -> set[int]:
    """Never the submitter; never anyone who has it open, declined it, let it expire, had it
    withdrawn in this round, or has reviewed it in any round."""
    ids = set(
        Assignment.objects.filter(claim=claim)
        .filter(
            Q(review_round=claim.review_round)
            | Q(state__in=[AssignmentState.SUBMITTED, AssignmentState.DECLINED])
        )
        .values_list("reviewer_id", flat=True)
    )
    if claim.submitted_by_id:
        ids.add(claim.submitted_by_id)
    return ids


def rank_reviewers(claim: Claim, profiles: list[ReviewerProfile]) -> list[ReviewerProfile]:
    """Reviewers with room, best first: matching expertise, then least loaded, then longest idle.

    Annotations used: ``open_count``, ``matching``, ``last_assigned``.
    """
    with_room = [p for p in profiles if p.open_count < p.capacity]
    return sorted(
        with_room,
        key=lambda p: (-p.matching, p.open_count, p.last_assigned or _NEVER, p.pk),
    )


def claim_auto_assign(*, claim_id: int) -> list[Assignment]:
    """Give a queued claim the reviewers it still needs. Safe to run any number of times.

    1. Lock the claim; leave it if it is not queued or already has its reviewers.
    2. Lock the available reviewers' profiles in primary-key order (one order for every worker,
       so two workers never deadlock), then count their open work: with the locks held, no
       other worker can give the same reviewer a claim, so capacity is never exceeded.
    3. Rank the eligible ones and offer the claim to the best, one per missing place, through
       ``assignment_create`` (which emails each reviewer after commit).
    """
    with transaction.atomic():
        claim = Claim.objects.select_for_update().filter(pk=claim_id).first()
        if claim is None or claim.state not in QUEUED_STATES:
            return []
        active = Assignment.objects.filter(
            claim=claim, review_round=claim.review_round, state__in=ACTIVE_STATES
        ).count()
        missing = claim.required_reviews - active
        if missing <= 0:
            return []
        locked_ids = list(
            ReviewerProfile.objects.select_for_update(of=("self",))
            .filter(availability=Availability.AVAILABLE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        excluded = _ineligible_reviewer_ids(claim)
        topic_ids = list(claim.topics.values_list("pk", flat=True))
        profiles = list(
            ReviewerProfile.objects.filter(
                pk__in=locked_ids, user__is_active=True, user__groups__name=Role.REVIEWER
            )
            .exclude(user_id__in=excluded)
            .select_related("user")
            .annotate(
                open_count=Count(
                    "user__assignments",
                    filter=Q(user__assignments__state__in=OPEN_ASSIGNMENT_STATES),
                    distinct=True,
                ),
                matching=Count("expertise", filter=Q(expertise__in=topic_ids), distinct=True),
                last_assigned=Max("user__assignments__created_at"),
            )
            .distinct()
        )
        made = []
        for profile in rank_reviewers(claim, profiles)[:missing]:
            made.append(
                assignment_create(
                    actor=None,
                    claim=claim,
                    reviewer=profile.user,
                    note=_why(profile),
                )
            )
        return made


def _why(profile: ReviewerProfile) -> str:
    expertise = "matching expertise, " if profile.matching else ""
    return (
        f"Assigned automatically to {profile.user.get_username()} "
        f"({expertise}{profile.open_count} of {profile.capacity} open)."
    )


def reviewer_ids_with_room() -> list[int]:
    """For the desk overview: reviewers who could take a claim now."""
    return [
        p.user_id
        for p in ReviewerProfile.objects.filter(availability=Availability.AVAILABLE).annotate(
            open_count=Count(
                "user__assignments", filter=Q(user__assignments__state__in=OPEN_ASSIGNMENT_STATES)
            )
        )
        if p.open_count < p.capacity
    ]
