"""Automatic assignment: who gets a queued claim (triaged or in research, with fewer active
assignments in its round than it needs). The ``assign_claims`` and ``assign_waiting_claims``
tasks run :func:`claims_auto_assign` on a batch; among those the eligibility rule lets in
(``Choice.AUTOMATIC``), the best come first by matching expertise, then open work, then longest
idle. The picks are written by ``assignments_create``, the one writer.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from claims.models import Claim, ClaimState
from verification.eligibility import (
    ACTIVE_STATES,
    Candidate,
    Choice,
    ClaimRecord,
    claim_records,
    people,
    refusal,
)
from verification.models import Assignment, Availability, ReviewerProfile
from verification.services.assignments import Pick, assignments_create

QUEUED_STATES = (ClaimState.TRIAGED, ClaimState.IN_RESEARCH)
# Claims one batch takes at most: enough to make a claim cost a few rows in a few statements,
# few enough that the batch's emails go out soon after its commit (its task delivers them).
BATCH_SIZE = 50
_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


def claims_waiting_for_reviewers() -> QuerySet[Claim]:
    """Queued claims whose current round has fewer active reviewers than it needs, oldest
    first. The count is a subquery, not a GROUP BY, which ``FOR UPDATE`` refuses."""
    active = (
        Assignment.objects.filter(
            claim=OuterRef("pk"), review_round=OuterRef("review_round"), state__in=ACTIVE_STATES
        )
        .order_by()
        .values("claim")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Claim.objects.filter(state__in=QUEUED_STATES)
        .annotate(active=Coalesce(Subquery(active, output_field=IntegerField()), 0))
        .filter(active__lt=F("required_reviews"))
        .order_by("created_at", "pk")
    )


def claims_still_waiting(claim_ids: Iterable[int]) -> list[int]:
    """Which of ``claim_ids`` still wait for reviewers, in queue order: one query, no lock."""
    waiting = claims_waiting_for_reviewers().filter(pk__in=list(claim_ids))
    return list(waiting.values_list("pk", flat=True))


@dataclass
class _Reviewer(Candidate):
    """An available reviewer as the ranking sees them; the batch updates ``open_count`` and
    ``idle`` after each pick, so later claims of the batch see the load it has given."""

    idle: tuple[int, object] = (0, _NEVER)  # (0, last assigned) before the batch, (1, pick n°)
    expertise: frozenset[int] = frozenset()
    held: bool = False  # locked by another transaction (only before waiting for the locks)


@dataclass
class _Need:
    """A locked claim with places left in its round, and who held it."""

    claim: Claim
    missing: int
    record: ClaimRecord
    topics: frozenset[int] = frozenset()


@dataclass
class AutoAssignRun:
    """What a batch did: the assignments it made, and the claims it held while it ran (a
    claim asked for but not among them was held by another transaction, or not queued)."""

    assignments: list[Assignment] = field(default_factory=list)
    claim_ids: set[int] = field(default_factory=set)


class _ReviewersHeld(Exception):
    """Places are left, and reviewers who might fill them are held by another worker."""


def rank_reviewers(need: _Need, pool: Iterable[_Reviewer]) -> list[tuple[int, _Reviewer]]:
    """Reviewers the rule lets take the claim, best first, each with how many of its topics
    they know."""
    ranked = [
        (len(r.expertise & need.topics), r)
        for r in pool
        if refusal(need.claim, r, need.record, choice=Choice.AUTOMATIC) is None
    ]
    ranked.sort(key=lambda m_r: (-m_r[0], m_r[1].open_count, m_r[1].idle, m_r[1].profile.pk))
    return ranked


def claim_auto_assign(*, claim_id: int) -> list[Assignment]:
    """:func:`claims_auto_assign` for one claim, waiting for its lock if another holds it."""
    return _run(partial(_claims_lock, [claim_id], limit=1, wait=True)).assignments


def claims_auto_assign(*, claim_ids: Sequence[int], limit: int = BATCH_SIZE) -> AutoAssignRun:
    """Give a batch of queued claims the reviewers they still need, in one transaction; only
    missing places are filled, so it is safe to rerun. The batch is the waiting claims of
    ``claim_ids``, made up to ``limit`` with those queued after the first of them; claims
    another transaction holds are skipped (``SKIP LOCKED``).

    1. Lock the claims; read their assignments and topics.
    2. Lock the available reviewer profiles (``SKIP LOCKED``) and read them under the lock.
    3. Choose claim by claim in queue order (:func:`rank_reviewers`), each pick counting
       towards the reviewer's load before the next claim.
    4. If places are left because another worker held reviewers: holding no profile, wait for
       them all in primary-key order and choose again; holding some, roll back and start again,
       waiting. One lock order, never taken while holding a profile: no deadlock, and capacity
       is never exceeded.
    5. Write the picks with ``assignments_create``, under these locks.
    """
    return _run(partial(_claims_lock, list(claim_ids), limit=limit, wait=False))


def _run(lock_claims: Callable[[], list[Claim]]) -> AutoAssignRun:
    try:
        return _assign(lock_claims, wait=False)
    except _ReviewersHeld:
        return _assign(lock_claims, wait=True)


def _claims_lock(ids: list[int], *, limit: int, wait: bool) -> list[Claim]:
    """Step 1's lock: waiting for each claim, or skipping held ones and filling the batch."""
    waiting = claims_waiting_for_reviewers().select_for_update(skip_locked=not wait, of=("self",))
    claims = list(waiting.filter(pk__in=ids)[:limit])
    if wait or len(claims) >= limit or not ids:
        return claims
    first = Claim.objects.filter(pk__in=ids).order_by("created_at", "pk")[:1]
    at = Subquery(first.values("created_at"))
    after = Q(created_at__gt=at) | Q(created_at=at, pk__gt=Subquery(first.values("pk")))
    more = waiting.filter(after).exclude(pk__in=ids)[: limit - len(claims)]
    return sorted([*claims, *more], key=lambda claim: (claim.created_at, claim.pk))


def _assign(lock_claims: Callable[[], list[Claim]], *, wait: bool) -> AutoAssignRun:
    with transaction.atomic():
        claims = lock_claims()
        run = AutoAssignRun(claim_ids={claim.pk for claim in claims})
        needs = _needs(claims)
        if not needs:
            return run
        locked = _reviewers_lock(wait=wait)
        try:
            picks = _plan(needs, _pool(locked, wait=wait))
        except _ReviewersHeld:
            if locked:
                raise  # roll back: waiting while holding profiles could deadlock
            picks = _plan(needs, _pool(_reviewers_lock(wait=True), wait=True))
        run.assignments = assignments_create(actor=None, picks=picks)
    return run


def _needs(claims: list[Claim]) -> list[_Need]:
    """Step 1's reads: the claims with places left, who held each, and their topics."""
    records = claim_records(claim.pk for claim in claims)
    needs = []
    for claim in claims:
        record = records[claim.pk]
        missing = claim.required_reviews - record.active(claim.review_round)
        if missing > 0:
            needs.append(_Need(claim=claim, missing=missing, record=record))
    through = Claim.topics.through.objects.filter(claim_id__in=[n.claim.pk for n in needs])
    topics = _grouped(through.values_list("claim_id", "topic_id"))
    for need in needs:
        need.topics = frozenset(topics[need.claim.pk])
    return needs


def _grouped(pairs: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    """The second of each pair, grouped by the first."""
    groups: dict[int, set[int]] = defaultdict(set)
    for key, value in pairs:
        groups[key].add(value)
    return groups


def _reviewers_lock(*, wait: bool) -> set[int]:
    """Lock the available reviewer profiles in primary-key order; the ids locked."""
    return set(
        ReviewerProfile.objects.select_for_update(skip_locked=not wait)
        .filter(availability=Availability.AVAILABLE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _pool(locked: set[int], *, wait: bool) -> list[_Reviewer]:
    """The available reviewers, read after the lock. Before waiting, those not in ``locked``
    are held by another worker (or just went away); after waiting, only ``locked`` count."""
    users = get_user_model().objects.filter(reviewer_profile__availability=Availability.AVAILABLE)
    if wait:
        users = users.filter(reviewer_profile__pk__in=locked)
    last = (
        Assignment.objects.filter(reviewer=OuterRef("pk"))
        .order_by()
        .values("reviewer")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    rows = list(people(users).annotate(last_assigned=Subquery(last)))
    through = ReviewerProfile.expertise.through.objects.filter(
        reviewerprofile_id__in=[user.reviewer_profile.pk for user in rows]
    )
    expertise = _grouped(through.values_list("reviewerprofile_id", "topic_id"))
    return [
        _Reviewer(
            **vars(Candidate.of(user)),
            idle=(0, user.last_assigned or _NEVER),
            expertise=frozenset(expertise[user.reviewer_profile.pk]),
            held=user.reviewer_profile.pk not in locked,
        )
        for user in rows
    ]


def _plan(needs: list[_Need], pool: list[_Reviewer]) -> list[Pick]:
    """Step 3; raises :class:`_ReviewersHeld` (step 4) when held reviewers leave places."""
    picks = []
    numbers = itertools.count()
    for need in needs:
        chosen, skipped = _take_unheld(rank_reviewers(need, pool), need.missing)
        if len(chosen) < need.missing and skipped:
            raise _ReviewersHeld
        for matching, reviewer in chosen:
            picks.append(Pick(need.claim, reviewer.user, _why(reviewer, matching)))
            reviewer.open_count += 1
            reviewer.idle = (1, next(numbers))  # assigned just now: the least idle
    return picks


def _take_unheld(
    ranked: list[tuple[int, _Reviewer]], places: int
) -> tuple[list[tuple[int, _Reviewer]], bool]:
    """Up to ``places`` of ``ranked`` that no other transaction holds, and whether a held one
    was passed over. Only for one with as much matching expertise: expertise is never given
    up for speed (a held reviewer with more of it stops the search; the caller waits)."""
    chosen: list[tuple[int, _Reviewer]] = []
    skipped = False
    held_matching = None
    for matching, reviewer in ranked:
        if len(chosen) == places:
            break
        if held_matching is not None and matching < held_matching:
            break
        if reviewer.held:
            skipped = True
            if held_matching is None:
                held_matching = matching
            continue
        chosen.append((matching, reviewer))
    return chosen, skipped


def _why(reviewer: _Reviewer, matching: int) -> str:
    expertise = "matching expertise, " if matching else ""
    return (
        f"Assigned automatically to {reviewer.user.get_username()} "
        f"({expertise}{reviewer.open_count} of {reviewer.profile.capacity} open)."
    )
