"""Reviews, to read: written only through "Submit review" on an assignment, never edited, and
seen through ``verification.selectors.reviews_visible_to`` (blind review). Beside them, the
verdicts other fact-checkers published (``ExternalReview``, written by the importers): public
already, so blind review does not hide them.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from claims.admin.base import DeskAdmin, HistoryAdmin, ReadOnlyAdminMixin, ReadOnlyInline
from claims.models import ExternalReview
from verification.admin.events import ClaimColumnMixin
from verification.dashboard.filters import (
    ClaimLanguageFilter,
    ClaimTopicFilter,
    DateRangeFilter,
    ReviewVerdictAgreementFilter,
)
from verification.models import Review
from verification.models.reviews import REVIEW_RECORD_FIELDS
from verification.selectors import reviews_visible_to


def cited_titles(review: Review) -> str:
    return "; ".join(item.title for item in review.evidence.all()) or "—"


@admin.register(Review)
class ReviewAdmin(ClaimColumnMixin, ReadOnlyAdminMixin, HistoryAdmin):
    """Reviews are written only through "Submit review" on an assignment, and never edited."""

    list_display = [
        "id",
        "claim_short",
        "reviewer",
        "review_round",
        "rating",
        "confidence",
        "evidence_count",
        "created_at",
    ]
    list_filter = [
        "rating",
        "confidence",
        "review_round",
        # The desk overview's links (verification.dashboard): each reviewer's agreement.
        ("reviewer", admin.RelatedOnlyFieldListFilter),
        ReviewVerdictAgreementFilter,
        ClaimTopicFilter,
        ClaimLanguageFilter,
        ("claim__published_at", DateRangeFilter),
    ]
    search_fields = ["claim__statement", "rationale", "reviewer__username"]
    search_help_text = "Search claim statement, rationale or reviewer."
    date_hierarchy = "created_at"
    fields = [*REVIEW_RECORD_FIELDS, "cited", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Review]:
        # Blind review: a reviewer sees others' verdicts only once their own is in.
        return (
            reviews_visible_to(request.user)
            .annotate(evidence_count=Count("evidence", distinct=True))
            .prefetch_related("evidence")
            .order_by(*self.get_ordering(request))
        )

    @admin.display(description="evidence cited", ordering="evidence_count")
    def evidence_count(self, obj: Review) -> int:
        return obj.evidence_count

    @admin.display(description="evidence cited")
    def cited(self, obj: Review) -> str:
        return cited_titles(obj)


class ReviewInline(ReadOnlyInline):
    model = Review
    # The review admin's fields, less what the claim page shows already.
    fields = [name for name in ReviewAdmin.fields if name not in ("claim", "assignment")]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Review]:
        return self.scoped(request, reviews_visible_to(request.user).prefetch_related("evidence"))

    @admin.display(description="evidence cited")
    def cited(self, obj: Review) -> str:
        return cited_titles(obj)


@admin.register(ExternalReview)
class ExternalReviewAdmin(ReadOnlyAdminMixin, DeskAdmin):
    list_display = ["claim", "publisher", "rating_text", "rating", "published_on", "origin"]
    list_filter = ["rating", "origin"]
    list_select_related = ["claim"]
    search_fields = ["publisher", "rating_text", "claim__statement"]
    search_help_text = "Search the publisher, the verdict's words or the claim's statement."
    readonly_fields = [field.name for field in ExternalReview._meta.fields]
    raw_id_fields = ["claim"]


class ExternalReviewInline(ReadOnlyInline):
    model = ExternalReview
    fields = ["publisher", "rating_text", "rating", "url", "published_on", "origin"]
    verbose_name = "verdict published elsewhere"
    verbose_name_plural = "verdicts published elsewhere"
