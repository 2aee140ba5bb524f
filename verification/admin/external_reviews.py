"""Verdicts other fact-checkers published (``ExternalReview``), to read.

They are written by the importers (ClaimReview, bulk files) and shown beside the desk's own
reviews; they are published already, so blind review does not hide them.
"""

from __future__ import annotations

from django.contrib import admin

from claims.admin.base import DeskAdmin, ReadOnlyAdminMixin, ReadOnlyInline
from claims.models import ExternalReview


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
