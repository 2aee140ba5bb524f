"""The dashboard's corrections list: every change to a published verdict — what, when, by
whom, why — filterable by kind, date and editor, and exportable as CSV. Read-only: corrections
are made on the claim's "Correct the verdict" screen (``views.correct``) or by a new sign-off."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from claims.admin.base import DeskAdmin, ReadOnlyAdminMixin, short
from claims.admin.base import claim_link as claim_link_html
from claims.bulk.corrections_export import CORRECTION_COLUMNS, corrections_csv
from claims.models import Correction
from verification.dashboard.filters import DateRangeFilter


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdminMixin, DeskAdmin):
    list_display = [
        "made_at",
        "kind",
        "claim_link",
        "previous_rating",
        "rating",
        "note_short",
        "made_by",
        "public_page",
    ]
    list_filter = ["kind", ("made_at", DateRangeFilter), "made_by", "rating", "previous_rating"]
    search_fields = ["note", "claim__statement"]
    search_help_text = "Search the public note or the claim's statement."
    list_select_related = ["claim", "made_by"]
    date_hierarchy = "made_at"
    ordering = ["-made_at", "-pk"]
    # What the CSV export has, less what the page shows of the claim already.
    fields = [name for name in CORRECTION_COLUMNS if name not in ("id", "statement")]
    readonly_fields = fields
    actions = ["export_csv"]

    @admin.display(description="claim", ordering="claim__statement")
    def claim_link(self, obj: Correction) -> str:
        return claim_link_html(obj.claim)

    @admin.display(description="public note")
    def note_short(self, obj: Correction) -> str:
        return short(obj.note)

    @admin.display(description="public page")
    def public_page(self, obj: Correction) -> str:
        url = reverse("factcheck-detail", args=[obj.claim_id])
        return format_html('<a href="{}">fact check</a>', url)

    @admin.action(description="Export the selected corrections as CSV")
    def export_csv(
        self, request: HttpRequest, queryset: QuerySet[Correction]
    ) -> StreamingHttpResponse:
        response = StreamingHttpResponse(
            corrections_csv(queryset), content_type="text/csv; charset=utf-8"
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="corrections-{stamp}.csv"'
        return response
