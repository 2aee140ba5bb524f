"""Automatic assignment: who gets a queued claim.

A claim waits in the queue while it is triaged or in research and its current round has fewer
active assignments (offered, accepted or submitted) than it needs. :func:`claims_auto_assign`
fills the missing places of a batch of waiting claims in one transaction; it runs after triage
(the ``assign_claim`` task takes its claim and the claims queued after it), whenever a reviewer
frees up (a review is submitted, an offer declined or withdrawn, an assignment expires, a
reviewer comes back) and in the periodic sweep, so a claim nobody could take is picked up as
soon as someone can. :func:`claim_auto_assign` is the same for one claim.

Who gets a claim: available, active reviewers below capacity, never the submitter nor anyone
who has it open, declined it, let it expire or had it withdrawn in this round, or reviewed it
in any round; best first by matching expertise, then open work, then longest idle.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connections, router, transaction
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from claims.models import Claim, ClaimState
from verification.models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    AssignmentState,
    Availability,
    ReviewerProfile,
)
from verification.roles import Role
from verification.services.auto_assign_batch import Pick, picks_write

QUEUED_STATES = (ClaimState.TRIAGED, ClaimState.IN_RESEARCH)
ACTIVE_STATES = (*OPEN_ASSIGNMENT_STATES, AssignmentState.SUBMITTED)
# Claims one batch takes at most: enough to make a claim cost a few rows in a few statements,
# few enough that the batch's emails go out soon after its commit (its task delivers them).
BATCH_SIZE = 50
_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)


def _active_count(round_of: str) -> Coalesce:
    """Active assignments of the claim ``OuterRef("pk")`` in the round ``round_of`` names."""
    active = (
        Assignment.objects.filter(
            claim=OuterRef("pk"), review_round=OuterRef(round_of), state__in=ACTIVE_STATES
        )
        .order_by()
        .values("claim")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(active, output_field=IntegerField()), 0)


def claims_waiting_for_reviewers() -> QuerySet[Claim]:
    """Queued claims whose current round has fewer active reviewers than it needs, oldest
    first (the order automatic assignment serves them in).

    The count is a subquery rather than a join and GROUP BY, so the same query can lock the
    rows it returns (PostgreSQL refuses ``FOR UPDATE`` with ``GROUP BY``)."""
    return (
        Claim.objects.filter(state__in=QUEUED_STATES)
        .annotate(active=_active_count("review_round"))
        .filter(active__lt=F("required_reviews"))
        .order_by("created_at", "pk")
    )


def triaged_claims_waiting(
    *, since: dt.datetime, after: tuple[dt.datetime, int] | None = None, limit: int
) -> list[tuple[int, dt.datetime]]:
    """The next ``limit`` claims triaged at ``since`` or later that still wait for reviewers,
    in queue order, as ``(id, created_at)``: those after ``after`` (a ``(created_at, id)``
    of this list) when given. No lock: what one ``assign_triaged_claims`` task takes.

    A triaged claim's ``updated_at`` is its triage or later (every save sets it), so a claim
    triaged at ``since`` or later is among these, and the claims triaged long ago that nobody
    had room for are not read again for every new batch."""
    claims = claims_waiting_for_reviewers().filter(state=ClaimState.TRIAGED, updated_at__gte=since)
    if after is not None:
        created_at, pk = after
        # The first condition is implied by the second; it lets the claims' (state, created_at)
        # index start at the cursor instead of reading every triaged claim again.
        claims = claims.filter(created_at__gte=created_at).filter(
            Q(created_at__gt=created_at) | Q(created_at=created_at, pk__gt=pk)
        )
    return list(claims.values_list("pk", "created_at")[:limit])


# No claim has this id: it marks where the id goes in the compiled query.
_ANY_CLAIM = -2_000_000_001


@functools.cache
def _one_claim_waiting_sql(alias: str) -> tuple[str, tuple[Any, ...], int]:
    query = claims_waiting_for_reviewers().filter(pk=_ANY_CLAIM).values("pk")[:1].query
    sql, params = query.get_compiler(using=alias).as_sql()
    return sql, tuple(params), list(params).index(_ANY_CLAIM)


def claim_waits_for_reviewers(claim_id: int) -> bool:
    """Whether the claim still needs reviewers: :func:`claims_waiting_for_reviewers` for one
    id, one query, no lock (a cheap first look).

    Every ``assign_claim`` task asks it, and most are answered no (a batch took their claim):
    the query is compiled once per process, since building and compiling it costs several
    times what PostgreSQL takes to answer it."""
    alias = router.db_for_read(Claim)
    sql, params, at = _one_claim_waiting_sql(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, (*params[:at], claim_id, *params[at + 1 :]))
        return cursor.fetchone() is not None


@dataclass
class _Reviewer:
    """An available reviewer as the ranking sees them; the batch updates ``open_count`` and
    ``idle`` after each pick, so later claims of the batch see the load it has given."""

    profile_id: int
    user: AbstractBaseUser
    capacity: int
    open_count: int
    idle: tuple[int, object]  # (0, last assigned) before the batch, (1, pick number) after
    expertise: frozenset[int]
    held: bool  # locked by another transaction (only before waiting for the locks)


@dataclass
class _Need:
    """A locked claim with places left in its round, and who may not fill them."""

    claim: Claim
    missing: int
    excluded: set[int]  # user ids
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
    """Reviewers who may take the claim and have room, best first, each with the number of
    the claim's topics they know: matching expertise, then least loaded, then longest idle."""
    ranked = [
        (len(r.expertise & need.topics), r)
        for r in pool
        if r.open_count < r.capacity and r.user.pk not in need.excluded
    ]
    ranked.sort(key=lambda m_r: (-m_r[0], m_r[1].open_count, m_r[1].idle, m_r[1].profile_id))
    return ranked


def claim_auto_assign(*, claim_id: int) -> list[Assignment]:
    """Give one queued claim the reviewers it still needs; waits for the claim's lock if
    another transaction holds it. Safe to run any number of times (see
    :func:`claims_auto_assign`)."""
    return _run(_Selection(claim_ids=[claim_id], wait_for_claims=True)).assignments


def claims_auto_assign(
    *,
    claim_ids: Sequence[int] | None = None,
    first_claim_id: int | None = None,
    limit: int = BATCH_SIZE,
) -> AutoAssignRun:
    """Give a batch of queued claims the reviewers they still need, in one transaction. Safe
    to run any number of times: only missing places are filled.

    The batch is ``claim_ids``, or the claim ``first_claim_id`` and the claims waiting after
    it in the queue's order, ``limit`` claims at most. Claims another transaction holds are
    skipped (``SKIP LOCKED``): that transaction is assigning them.

    1. Lock the batch's claims, oldest first; read in one query each their assignments (for
       the active count of the round and who may not take them again) and their topics.
    2. Lock the available reviewer profiles, skipping those another worker holds, and read the
       reviewers with their open work, expertise and last assignment under the lock (a count
       that includes every assignment committed before the lock was taken).
    3. Choose, claim by claim in queue order, exactly as one claim at a time would
       (:func:`rank_reviewers`), counting each pick towards the reviewer's load and idle time
       before the next claim. A held reviewer is passed over only for one with as much
       matching expertise.
    4. If places are left and some reviewers were skipped because another worker held them:
       holding no profile, wait for every available one in primary-key order and choose again;
       holding some, roll back (which gives back every lock taken) and start again, this time
       waiting for the profiles. One order for every worker, taken while holding no other
       profile, so two workers never deadlock; while a worker holds a reviewer no other can
       give them a claim, so capacity is never exceeded.
    5. Write the assignments, their events, the claims' move to "in research" and the
       assignment emails in bulk, as ``assignment_create`` writes them one by one
       (``auto_assign_batch``).
    """
    selection = _Selection(claim_ids=claim_ids, first_claim_id=first_claim_id, limit=limit)
    return _run(selection)


def _run(selection: _Selection) -> AutoAssignRun:
    try:
        return _assign(selection, wait=False)
    except _ReviewersHeld:
        return _assign(selection, wait=True)


@dataclass(frozen=True)
class _Selection:
    """Which claims a batch locks (step 1)."""

    claim_ids: Sequence[int] | None = None
    first_claim_id: int | None = None
    limit: int = BATCH_SIZE
    wait_for_claims: bool = False

    def lock(self) -> list[Claim]:
        claims = claims_waiting_for_reviewers()
        if self.claim_ids is not None:
            claims = claims.filter(pk__in=list(self.claim_ids))
        elif self.first_claim_id is not None:
            first = Claim.objects.filter(pk=self.first_claim_id).values("created_at")
            claims = claims.filter(
                Q(created_at__gt=Subquery(first))
                | Q(created_at=Subquery(first), pk__gte=self.first_claim_id)
            )
        else:
            return []
        locked = claims.select_for_update(skip_locked=not self.wait_for_claims, of=("self",))
        return list(locked[: self.limit])


def _assign(selection: _Selection, *, wait: bool) -> AutoAssignRun:
    with transaction.atomic():
        claims = selection.lock()
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
        run.assignments = picks_write(picks)
    return run


def _needs(claims: list[Claim]) -> list[_Need]:
    """Step 1's reads: the claims with places left, whom each excludes, and their topics."""
    by_id = {claim.pk: claim for claim in claims}
    active: dict[int, int] = defaultdict(int)
    excluded: dict[int, set[int]] = defaultdict(set)
    for claim_id, reviewer_id, state, review_round in Assignment.objects.filter(
        claim_id__in=list(by_id)
    ).values_list("claim_id", "reviewer_id", "state", "review_round"):
        this_round = review_round == by_id[claim_id].review_round
        if this_round and state in ACTIVE_STATES:
            active[claim_id] += 1
        if this_round or state in (AssignmentState.SUBMITTED, AssignmentState.DECLINED):
            excluded[claim_id].add(reviewer_id)
    needs = []
    for claim in claims:
        missing = claim.required_reviews - active[claim.pk]
        if missing > 0:
            ids = excluded[claim.pk]
            if claim.submitted_by_id:
                ids.add(claim.submitted_by_id)
            needs.append(_Need(claim=claim, missing=missing, excluded=ids))
    if needs:
        topics: dict[int, set[int]] = defaultdict(set)
        for claim_id, topic_id in Claim.topics.through.objects.filter(
            claim_id__in=[need.claim.pk for need in needs]
        ).values_list("claim_id", "topic_id"):
            topics[claim_id].add(topic_id)
        for need in needs:
            need.topics = frozenset(topics[need.claim.pk])
    return needs


def _reviewers_lock(*, wait: bool) -> set[int]:
    """Lock the available reviewer profiles in primary-key order: waiting for each, or
    skipping those another transaction holds. Returns the ids locked."""
    return set(
        ReviewerProfile.objects.select_for_update(skip_locked=not wait)
        .filter(availability=Availability.AVAILABLE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _pool(locked: set[int], *, wait: bool) -> list[_Reviewer]:
    """The reviewers who may be given claims, read after the lock: available, active, in the
    reviewer group. Before waiting, those not in ``locked`` are held by another worker (or
    have just gone away, which cannot be told apart); after waiting, only ``locked`` count."""
    profiles = ReviewerProfile.objects.filter(
        availability=Availability.AVAILABLE, user__is_active=True, user__groups__name=Role.REVIEWER
    )
    if wait:
        profiles = profiles.filter(pk__in=locked)
    mine = Assignment.objects.filter(reviewer=OuterRef("user_id")).order_by().values("reviewer")
    rows = list(
        profiles.select_related("user").annotate(
            open_count=Coalesce(
                Subquery(
                    mine.filter(state__in=OPEN_ASSIGNMENT_STATES)
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
            last_assigned=Subquery(mine.annotate(last=Max("created_at")).values("last")),
        )
    )
    expertise: dict[int, set[int]] = defaultdict(set)
    for profile_id, topic_id in ReviewerProfile.expertise.through.objects.filter(
        reviewerprofile_id__in=[p.pk for p in rows]
    ).values_list("reviewerprofile_id", "topic_id"):
        expertise[profile_id].add(topic_id)
    return [
        _Reviewer(
            profile_id=p.pk,
            user=p.user,
            capacity=p.capacity,
            open_count=p.open_count,
            idle=(0, p.last_assigned or _NEVER),
            expertise=frozenset(expertise[p.pk]),
            held=p.pk not in locked,
        )
        for p in rows
    ]


def _plan(needs: list[_Need], pool: list[_Reviewer]) -> list[Pick]:
    """Step 3: the reviewers for each claim in turn; raises :class:`_ReviewersHeld` (step 4)
    when a claim's places are left because of reviewers another worker holds."""
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
    """Up to ``places`` of ``ranked`` (best first) that no other transaction holds, and
    whether one was passed over because it was held.

    A held reviewer is passed over only for one with as much matching expertise: the next in
    line then differs only in load or idle time, and the held one is being given a claim
    anyway. Expertise is never given up for speed: a held reviewer with more of it stops the
    search, and the caller waits for the locks instead."""
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
        f"({expertise}{reviewer.open_count} of {reviewer.capacity} open)."
    )
