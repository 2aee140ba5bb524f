"""Verdicts published elsewhere (imported ClaimReview, data sets' labels), recorded beside a
claim; they never feed the desk's consensus."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from claims.models import Claim, ExternalReview, ExternalReviewOrigin, Rating
from claims.roles import require_editor


@dataclass(frozen=True)
class ExternalVerdict:
    """One published verdict, as read from a record (see ``claims.claimreview.ratings``)."""

    publisher: str
    rating_text: str
    rating: str
    origin: str = ExternalReviewOrigin.CLAIMREVIEW
    url: str = ""
    external_id: str = ""
    publisher_url: str = ""
    title: str = ""
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None
    language: str = ""
    published_on: dt.date | None = None


def external_review_record(
    *, actor: AbstractBaseUser, claim: Claim, verdict: ExternalVerdict
) -> tuple[ExternalReview, bool]:
    """Record another fact-checker's verdict on a claim once (editors); ``(review, created)``.

    The same publisher, URL and data-set id already on the claim is returned untouched. Allowed
    on a published claim too: it changes nothing the desk published.
    """
    require_editor(actor, "import verdicts published elsewhere")
    key = {
        "claim": claim,
        "publisher": verdict.publisher[:200],
        "url": verdict.url,
        "external_id": verdict.external_id[:200],
    }
    existing = ExternalReview.objects.filter(**key).first()
    if existing is not None:
        return existing, False
    review = external_review_build(actor=actor, claim=claim, verdict=verdict)
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        # A concurrent import recorded the same verdict first.
        existing = ExternalReview.objects.filter(**key).first()
        if existing is None:
            raise
        return existing, False
    return review, True


def external_review_build(
    *, actor: AbstractBaseUser, claim: Claim | None, verdict: ExternalVerdict
) -> ExternalReview:
    """The row :func:`external_review_record` inserts, field-validated, not saved; ``claim`` may
    come later, as the importer checks a record's verdicts before it creates the claim."""
    review = ExternalReview(
        claim=claim,
        imported_by=actor,
        **{
            **vars(verdict),
            "publisher": verdict.publisher[:200],
            "external_id": verdict.external_id[:200],
            "title": verdict.title[:500],
            "rating_text": verdict.rating_text or Rating(verdict.rating).label,
            "language": verdict.language[:16],
        },
    )
    # Fields only: the constraints are the database's to enforce (a lost race lands in the
    # caller). The claim and the importer are the caller's rows, which need no look-up.
    review.full_clean(
        exclude=["claim", "imported_by"], validate_unique=False, validate_constraints=False
    )
    return review
