"""Blind review in list-sized form: what a caller may see, as annotations on one query.

``verification.selectors.can_see_verdicts`` answers for one claim with one query; a page of
claims asks the same question as a column of the page's own query, so a page of 50 costs what
a page of 5 does.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value

from claims.models import ClaimState
from verification.models import Review
from verification.roles import is_editor


def verdict_visibility(user: Any) -> Value | ExpressionWrapper:
    """True where ``user`` may see the claim's consensus: editors always; others once it is
    published or once their own review of its current round is in (``can_see_verdicts``)."""
    if is_editor(user):
        return Value(True, output_field=BooleanField())
    if not user.is_authenticated:
        return Value(False, output_field=BooleanField())
    own_review = Review.objects.filter(
        claim_id=OuterRef("pk"), reviewer_id=user.pk, review_round=OuterRef("review_round")
    )
    return ExpressionWrapper(
        Q(state=ClaimState.PUBLISHED) | Q(Exists(own_review)), output_field=BooleanField()
    )


def reviewed_by(user: Any) -> Exists | Value:
    """True where ``user`` has reviewed the claim in any round (and so may not sign it off)."""
    if not user.is_authenticated:
        return Value(False, output_field=BooleanField())
    return Exists(Review.objects.filter(claim_id=OuterRef("pk"), reviewer_id=user.pk))
