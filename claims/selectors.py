"""Reads of claims, shaped for lists and pages without N+1 queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from claims.models import Appearance, Claim


def claim_list() -> QuerySet[Claim]:
    """Claims with what a list shows: submitter, topics, quantities, appearances with sources."""
    return Claim.objects.select_related("submitted_by", "published_by").prefetch_related(
        "topics",
        "quantities",
        Prefetch(
            "appearances",
            queryset=Appearance.objects.select_related("source", "speaker"),
        ),
    )
