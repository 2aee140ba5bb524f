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


class _ReviewersHeld(Exception):
    """Places are left, and reviewers who might fill them are held by another worker."""


def claim_auto_assign(*, claim_id: int) -> list[Assignment]:
    """Give a queued claim the reviewers it still needs. Safe to run any number of times.

    1. Lock the claim; leave it if it is not queued or already has its reviewers.
    2. Rank the eligible reviewers with room, without locking them.
    3. Take the best ones whose profile no other worker holds: lock each with ``SKIP LOCKED``
       and count its open work again under the lock (a count that includes every assignment
       committed before the lock was taken). A held reviewer is passed over only for one with
       as much matching expertise. While the lock is held no other worker can give
       that reviewer a claim, so capacity is never exceeded; and two workers assigning at
       once take different reviewers instead of waiting for each other.
    4. If places are left and some reviewers were skipped because another worker held them,
       roll back (which gives back every lock taken) and start again, this time locking every
       available profile in primary-key order and waiting for them: one order for every
       worker, taken while holding no other profile, so two workers never deadlock.
    5. Offer the claim to each chosen reviewer through ``assignment_create`` (which writes the
       assignment email in the same transaction).
    """
    try:
        return _claim_assign(claim_id, wait=False)
    except _ReviewersHeld:
        return _claim_assign(claim_id, wait=True)


def _claim_assign(claim_id: int, *, wait: bool) -> list[Assignment]:
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
        excluded = _ineligible_reviewer_ids(claim)
        topic_ids = list(claim.topics.values_list("pk", flat=True))
        if wait:
            locked_ids = list(
                ReviewerProfile.objects.select_for_update(of=("self",))
                .filter(availability=Availability.AVAILABLE)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            ranked = rank_reviewers(claim, _profiles(excluded, topic_ids, among=locked_ids))
            chosen = ranked[:missing]
        else:
            ranked = rank_reviewers(claim, _profiles(excluded, topic_ids))
            chosen, skipped = _take_unheld(ranked, missing)
            if len(chosen) < missing and skipped:
                raise _ReviewersHeld
        return [
            assignment_create(actor=None, claim=claim, reviewer=profile.user, note=_why(profile))
            for profile in chosen
        ]


def _profiles(
    excluded: set[int], topic_ids: list[int], *, among: list[int] | None = None
) -> list[ReviewerProfile]:
    """Available, active reviewers not in ``excluded``, with the annotations ranking uses."""
    profiles = ReviewerProfile.objects.filter(
        availability=Availability.AVAILABLE, user__is_active=True, user__groups__name=Role.REVIEWER
    )
    if among is not None:
        profiles = profiles.filter(pk__in=among)
    return list(
        profiles.exclude(user_id__in=excluded)
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


def _take_unheld(ranked: list[ReviewerProfile], places: int) -> tuple[list[ReviewerProfile], bool]:
    """Lock up to ``places`` of ``ranked`` (best first) that no other transaction holds and
    that still have room. Returns them, and whether one was passed over because it was held
    (or had just gone away, which the caller cannot tell apart).

    A held reviewer is passed over only for one with as much matching expertise: the next in
    line then differs only in load or idle time, and the held one is being given a claim
    anyway. Expertise is never given up for speed: a held reviewer with more of it stops the
    search, and the caller waits for the locks instead."""
    chosen: list[ReviewerProfile] = []
    skipped = False
    held_matching = None
    for profile in ranked:
        if len(chosen) == places:
            break
        if held_matching is not None and profile.matching < held_matching:
            break
        capacity = (
            ReviewerProfile.objects.select_for_update(skip_locked=True)
            .filter(pk=profile.pk, availability=Availability.AVAILABLE)
            .values_list("capacity", flat=True)
            .first()
        )
        if capacity is None:
            skipped = True
            if held_matching is None:
                held_matching = profile.matching
            continue
        # A new statement under the lock: it sees every assignment committed before it.
        profile.open_count = Assignment.objects.filter(
            reviewer_id=profile.user_id, state__in=OPEN_ASSIGNMENT_STATES
        ).count()
        profile.capacity = capacity
        if profile.open_count < capacity:
            chosen.append(profile)
    return chosen, skipped


def _why(profile: ReviewerProfile) -> str:
    expertise = "matching expertise, " if profile.matching else ""
    return (
        f"Assigned automatically to {profile.user.get_username()} "
        f"({expertise}{profile.open_count} of {profile.capacity} open)."
    )
