"""Who may take a claim now, and why not: the one rule of assignment, asked by every door (an
editor's pick, the send-back's re-offer, automatic assignment, ``assignments/eligible/``) and
again by ``assignments_create`` for every pick under its locks.

A person may take a claim when they are an active reviewer (or an administrator) with a
reviewer profile, not away, did not submit the claim, do not have it open, did not review or
decline it in its current round, and are below their capacity. :class:`Choice` is the one
difference: automatic assignment also passes over anyone who held the claim before, in any
round (fresh eyes); an editor may pick them deliberately.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from claims.models import Claim
from claims.roles import Role
from verification.models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    AssignmentState,
    Availability,
    ReviewerProfile,
)

ACTIVE_STATES = (*OPEN_ASSIGNMENT_STATES, AssignmentState.SUBMITTED)
DONE_STATES = (AssignmentState.SUBMITTED, AssignmentState.DECLINED)


class Choice(models.TextChoices):
    """Who chooses the reviewer: the one parameter between the two kinds of assignment."""

    EDITOR = "editor", "An editor's pick"
    AUTOMATIC = "automatic", "Automatic assignment (fresh eyes)"


class Refusal(models.TextChoices):
    """Why a person may not take the claim now, in the order the rule asks."""

    NOT_REVIEWER = "not_reviewer", "{name} is not a reviewer."
    NO_PROFILE = "no_profile", "{name} has no reviewer profile."
    AWAY = "away", "{name} is away."
    SUBMITTER = "submitter", "{name} submitted this claim and cannot review it."
    HAS_IT_OPEN = "has_it_open", "{name} already has claim #{claim} open."
    DONE_THIS_ROUND = (
        "done_this_round",
        "{name} already reviewed or declined claim #{claim} in this round.",
    )
    HELD_BEFORE = (
        "held_before",
        "{name} held claim #{claim} before; automatic assignment looks for fresh eyes.",
    )
    AT_CAPACITY = "at_capacity", "{name} is at capacity ({open} of {capacity} open)."


@dataclass
class Candidate:
    """A person as the rule sees them. ``open_count`` counts their open assignments; a caller
    that gives them claims one after another (a batch) raises it after each."""

    user: AbstractBaseUser
    profile: ReviewerProfile | None
    is_reviewer: bool
    open_count: int

    @classmethod
    def of(cls, user: AbstractBaseUser) -> Candidate:
        """From a user read by :func:`people`."""
        return cls(
            user=user,
            profile=getattr(user, "reviewer_profile", None),
            is_reviewer=user.is_active and (user.is_superuser or user.in_reviewer_group),
            open_count=user.open_count,
        )


@dataclass
class ClaimRecord:
    """Who held a claim: each reviewer's assignments on it, as (state, round)."""

    held: dict[int, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, reviewer_id: int, state: str, review_round: int) -> None:
        self.held[reviewer_id].append((state, review_round))

    def active(self, review_round: int) -> int:
        """Assignments of ``review_round`` offered, accepted or submitted: its places taken."""
        return sum(
            1
            for assignments in self.held.values()
            for state, held_round in assignments
            if held_round == review_round and state in ACTIVE_STATES
        )


@dataclass(frozen=True)
class Eligibility:
    """Whether one person may take the claim now, and if not, why (a code and a message)."""

    candidate: Candidate
    refusal: Refusal | None
    message: str

    @property
    def eligible(self) -> bool:
        return self.refusal is None


def refusal(
    claim: Claim, candidate: Candidate, record: ClaimRecord, *, choice: Choice
) -> Refusal | None:
    """The rule (see the module): why ``candidate`` may not take ``claim`` now, or None.
    ``record`` is the claim's (:func:`claim_records`)."""
    profile = candidate.profile
    if not candidate.is_reviewer:
        return Refusal.NOT_REVIEWER
    if profile is None:
        return Refusal.NO_PROFILE
    if profile.availability == Availability.AWAY:
        return Refusal.AWAY
    if claim.submitted_by_id == candidate.user.pk:
        return Refusal.SUBMITTER
    held = record.held.get(candidate.user.pk, ())
    if any(state in OPEN_ASSIGNMENT_STATES for state, _round in held):
        return Refusal.HAS_IT_OPEN
    if any(state in DONE_STATES and held_round == claim.review_round for state, held_round in held):
        return Refusal.DONE_THIS_ROUND
    if held and choice == Choice.AUTOMATIC:
        return Refusal.HELD_BEFORE
    if candidate.open_count >= profile.capacity:
        return Refusal.AT_CAPACITY
    return None


def refusal_message(reason: Refusal, claim: Claim, candidate: Candidate) -> str:
    capacity = candidate.profile.capacity if candidate.profile is not None else 0
    return reason.label.format(
        name=candidate.user.get_username(),
        claim=claim.pk,
        open=candidate.open_count,
        capacity=capacity,
    )


def people(users: QuerySet | None = None) -> QuerySet:
    """``users`` (everyone with a reviewer profile by default) with what the rule reads: the
    profile, the reviewer role and the open assignments, in one query (subqueries, no GROUP
    BY, so a caller may add its own annotations). :meth:`Candidate.of` reads each row."""
    User = get_user_model()
    if users is None:
        users = User.objects.filter(reviewer_profile__isnull=False)
    open_work = (
        Assignment.objects.filter(reviewer=OuterRef("pk"), state__in=OPEN_ASSIGNMENT_STATES)
        .order_by()
        .values("reviewer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    in_group = Group.objects.filter(user=OuterRef("pk"), name=Role.REVIEWER)
    return users.select_related("reviewer_profile").annotate(
        open_count=Coalesce(Subquery(open_work, output_field=IntegerField()), 0),
        in_reviewer_group=Exists(in_group),
    )


def claim_records(claim_ids: Iterable[int]) -> dict[int, ClaimRecord]:
    """Each claim's :class:`ClaimRecord`, from its assignments in one query."""
    records: dict[int, ClaimRecord] = defaultdict(ClaimRecord)
    for claim_id, reviewer_id, state, review_round in Assignment.objects.filter(
        claim_id__in=list(claim_ids)
    ).values_list("claim_id", "reviewer_id", "state", "review_round"):
        records[claim_id].add(reviewer_id, state, review_round)
    return records


def reviewers_eligible(
    claim: Claim, *, choice: Choice, reviewers: Iterable[AbstractBaseUser] | None = None
) -> list[Eligibility]:
    """For each of ``reviewers`` (default: everyone with a reviewer profile), by username,
    whether they may take ``claim`` now and why not. Two queries, however many people."""
    User = get_user_model()
    users = None if reviewers is None else User.objects.filter(pk__in=[u.pk for u in reviewers])
    record = claim_records([claim.pk])[claim.pk]
    verdicts = []
    for user in people(users).order_by(User.USERNAME_FIELD):
        candidate = Candidate.of(user)
        reason = refusal(claim, candidate, record, choice=choice)
        message = "" if reason is None else refusal_message(reason, claim, candidate)
        verdicts.append(Eligibility(candidate=candidate, refusal=reason, message=message))
    return verdicts
