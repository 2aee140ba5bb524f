"""Reviews, and the consensus and agreement built from them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from claims.exceptions import WorkflowConflict
from claims.history import history_as
from claims.models import RATING_ORDINAL, Claim, ClaimState, Confidence, Rating
from config.tasks import after_commit
from verification import agreement
from verification.models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    Evidence,
    Review,
    WorkflowAction,
    WorkflowEvent,
)
from verification.services.workflow import claim_submit_for_signoff, rating_check


def review_submit(
    *,
    actor: AbstractBaseUser,
    assignment: Assignment,
    rating: str,
    confidence: str,
    rationale: str,
    evidence: Sequence[Evidence] = (),
) -> Review:
    """A reviewer gives their verdict on a claim assigned to them.

    1. Only the assigned reviewer, only on an open assignment of the claim's current round,
       only while the claim is in research; once per assignment.
    2. A firm rating (anything but "unverifiable") must cite evidence, and every cited item
       must belong to the same claim.
    3. Save the review, close the assignment, recompute the claim's consensus and agreement.
    4. When the round has all its required reviews, move the claim to "in review".
    """
    if actor.pk != assignment.reviewer_id:
        raise PermissionDenied("Only the assigned reviewer may review this claim.")
    rating_check(rating)
    if confidence not in Confidence.values:
        raise ValidationError({"confidence": f"{confidence!r} is not a confidence level."})
    if not rationale.strip():
        raise ValidationError({"rationale": "Explain the rating."})
    evidence = list(evidence)
    if Rating(rating).is_firm and not evidence:
        raise ValidationError(
            {
                "evidence": f"A rating of {Rating(rating).label!r} must cite at least one piece of "
                "evidence; rate it unverifiable if there is none."
            }
        )
    foreign = [item.pk for item in evidence if item.claim_id != assignment.claim_id]
    if foreign:
        raise ValidationError(
            {"evidence": f"Evidence {foreign} belongs to another claim and cannot be cited."}
        )
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=assignment.claim_id)
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if claim.state != ClaimState.IN_RESEARCH:
            raise WorkflowConflict(
                f"Cannot review claim #{claim.pk}: it is {claim.get_state_display().lower()}, "
                "not in research."
            )
        if locked.state not in OPEN_ASSIGNMENT_STATES or locked.review_round != claim.review_round:
            raise WorkflowConflict(
                f"Cannot review under assignment #{locked.pk}: it is "
                f"{locked.get_state_display().lower()}"
                + ("" if locked.review_round == claim.review_round else ", from an earlier round")
                + "."
            )
        review = Review(
            claim=claim,
            assignment=locked,
            reviewer=actor,
            review_round=claim.review_round,
            rating=rating,
            confidence=confidence,
            rationale=rationale.strip(),
        )
        history_as(review, actor)
        review.save()
        review.evidence.set(evidence)
        from_state = locked.state
        locked.submit()
        history_as(locked, actor)
        locked.save()
        WorkflowEvent.objects.create(
            claim=claim,
            assignment=locked,
            actor=actor,
            action=WorkflowAction.REVIEW,
            from_state=from_state,
            to_state=locked.state,
        )
        claim_consensus_update(claim=claim)
        done = Review.objects.filter(claim=claim, review_round=claim.review_round).count()
        if done >= claim.required_reviews:
            claim_submit_for_signoff(actor=None, claim=claim)
        # The reviewer has room for another claim.
        from verification import tasks  # the tasks import the services

        after_commit(tasks.assign_waiting_claims)
    return review


def consensus_of(reviews: Sequence[Review]) -> tuple[str, str]:
    """Combine one round's reviews into a rating and a confidence, without hiding dissent.

    - Rating: "unverifiable" if most said so; else the median firm rating, and between two
      middle values the one nearest "mixed" (true against false is mixed).
    - Confidence: the lowest given, one level lower when the firm ratings are a step apart,
      "low" when further apart.
    """
    if not reviews:
        return "", ""
    lowest = min((Confidence(r.confidence) for r in reviews), key=lambda c: c.rank)
    firm = sorted(RATING_ORDINAL[r.rating] for r in reviews if r.rating in RATING_ORDINAL)
    unverifiable = len(reviews) - len(firm)
    if unverifiable > len(firm):
        return Rating.UNVERIFIABLE, lowest
    middle = len(firm) // 2
    low, high = (firm[middle], firm[middle]) if len(firm) % 2 else firm[middle - 1 : middle + 1]
    # "Mixed" itself when the middle pair straddles it, else the one of the pair nearer to it.
    chosen = min(max(RATING_ORDINAL[Rating.MIXED], low), high)
    rating = next(r for r, value in RATING_ORDINAL.items() if value == chosen)
    spread = firm[-1] - firm[0]
    levels = list(Confidence)
    # Dissent lowers confidence: a step apart costs a level, further apart means low.
    confidence = Confidence.LOW if spread >= 2 else levels[max(0, lowest.rank - spread)]
    return rating, confidence


def desk_rating_units() -> list[list[int]]:
    """The firm ratings of every claim's current round, one list per claim."""
    units: dict[int, list[int]] = defaultdict(list)
    current = Review.objects.filter(
        review_round=F("claim__review_round"), rating__in=RATING_ORDINAL
    )
    for claim_id, rating in current.values_list("claim_id", "rating"):
        units[claim_id].append(RATING_ORDINAL[rating])
    return list(units.values())


def claim_consensus_update(*, claim: Claim) -> Claim:
    """Recompute and store a claim's consensus rating, confidence and agreement figure."""
    reviews = list(Review.objects.filter(claim=claim, review_round=claim.review_round))
    claim.consensus_rating, claim.consensus_confidence = consensus_of(reviews)
    values = [RATING_ORDINAL[r.rating] for r in reviews if r.rating in RATING_ORDINAL]
    claim.agreement = agreement.unit_alpha(values, desk_rating_units())
    Claim.objects.filter(pk=claim.pk).update(
        consensus_rating=claim.consensus_rating,
        consensus_confidence=claim.consensus_confidence,
        agreement=claim.agreement,
    )
    return claim
