"""Verdicts published elsewhere (imported ClaimReview, data sets' labels), recorded beside a claim.

They never feed the desk's consensus: the desk checks an imported claim itself, with the other
fact-checker's verdict in view.
"""

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
    """Record another fact-checker's verdict on a claim once; ``(review, created)``.

    1. Editors only: imports are an editor's act.
    2. The same verdict (same publisher and URL, or same publisher and data-set id) already on
       the claim is returned untouched, so importing a file twice records nothing new.
    3. Otherwise validate and insert. Allowed on a published claim too: it changes nothing the
       desk published, it sits beside it.
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
    """The row :func:`external_review_record` inserts, built and field-validated, not saved.

    The claim may be given later (``None``): the importer checks a record's verdicts before it
    creates the claim they go with (``claims.services.record_import``).
    """
    review = ExternalReview(
        claim=claim,
        imported_by=actor,
        publisher=verdict.publisher[:200],
        url=verdict.url,
        external_id=verdict.external_id[:200],
        publisher_url=verdict.publisher_url,
        title=verdict.title[:500],
        rating_text=verdict.rating_text or Rating(verdict.rating).label,
        rating=verdict.rating,
        rating_value=verdict.rating_value,
        best_rating=verdict.best_rating,
        worst_rating=verdict.worst_rating,
        language=verdict.language[:16],
        published_on=verdict.published_on,
        origin=verdict.origin,
    )
    # Fields only: the constraints are the database's to enforce (a lost race lands in the
    # caller). The claim and the importer are the caller's rows, which need no look-up.
    review.full_clean(
        exclude=["claim", "imported_by"], validate_unique=False, validate_constraints=False
    )
    return review
