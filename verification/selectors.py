"""Reads: what a person may see, and the desk's figures."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone

from claims.models import Claim, ClaimState
from claims.roles import is_editor
from verification import agreement
from verification.models import OPEN_ASSIGNMENT_STATES, Assignment, Review
from verification.services.reviews import desk_rating_units


def reviews_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Review]:
    """Reviews a person may read. Blind review: a reviewer sees another reviewer's verdict on a
    claim only once their own review of that claim's current round is in; editors see all."""
    reviews = Review.objects.select_related("reviewer", "claim", "assignment")
    if is_editor(user):
        return reviews
    if not user.is_authenticated:
        return reviews.none()
    own_current = Review.objects.filter(
        claim_id=OuterRef("claim_id"), reviewer=user, review_round=OuterRef("claim__review_round")
    )
    return reviews.filter(Q(reviewer=user) | Exists(own_current))


def assignments_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Assignment]:
    """Editors see every assignment; a reviewer sees only their own, so that reviews stay
    independent (who else holds the claim is none of their business)."""
    if is_editor(user):
        return Assignment.objects.all()
    if not user.is_authenticated:
        return Assignment.objects.none()
    return Assignment.objects.filter(reviewer_id=user.pk)


def can_see_verdicts(user: AbstractBaseUser | AnonymousUser, claim: Claim) -> bool:
    """Whether the claim's consensus and other reviewers' verdicts may be shown to this person."""
    if is_editor(user) or claim.is_locked:
        return True
    own = Review.objects.filter(claim=claim, reviewer_id=user.pk, review_round=claim.review_round)
    return user.is_authenticated and own.exists()


def verdict_visibility(user: AbstractBaseUser | AnonymousUser) -> Value | ExpressionWrapper:
    """:func:`can_see_verdicts` in list-sized form: an annotation, true where ``user`` may see
    the claim's consensus, so a page of 50 claims costs what a page of 5 does. Editors always;
    anyone once the claim is published; a reviewer once their own review of its current round is
    in."""
    if is_editor(user):
        return Value(True, output_field=BooleanField())
    seen = Q(state=ClaimState.PUBLISHED)
    if user.is_authenticated:
        own_review = Review.objects.filter(
            claim_id=OuterRef("pk"), reviewer_id=user.pk, review_round=OuterRef("review_round")
        )
        seen |= Q(Exists(own_review))
    return ExpressionWrapper(seen, output_field=BooleanField())


def reviewed_by(user: AbstractBaseUser | AnonymousUser) -> Exists | Value:
    """An annotation, true where ``user`` reviewed the claim in any round (and so may not sign
    it off)."""
    if not user.is_authenticated:
        return Value(False, output_field=BooleanField())
    return Exists(Review.objects.filter(claim_id=OuterRef("pk"), reviewer_id=user.pk))


def overdue_assignments(*, now: dt.datetime | None = None) -> QuerySet[Assignment]:
    return Assignment.objects.filter(
        state__in=OPEN_ASSIGNMENT_STATES, due_at__lt=now or timezone.now()
    ).select_related("claim", "reviewer")


def reviewer_load() -> QuerySet:
    """Open assignments per reviewer, for the desk overview."""
    return (
        get_user_model()
        .objects.filter(reviewer_profile__isnull=False)
        .annotate(
            open_assignments=Count(
                "assignments", filter=Q(assignments__state__in=OPEN_ASSIGNMENT_STATES)
            )
        )
        .select_related("reviewer_profile")
        .order_by("username")
    )


def desk_agreement() -> float | None:
    """Krippendorff's ordinal alpha over every claim's current-round firm ratings."""
    return agreement.alpha(desk_rating_units())
