"""Appearances on their own list and page; new ones go through ``appearance_add``."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from claims.admin.base import ClaimChildAdminMixin, HistoryAdmin, ServiceCreateMixin, short
from claims.admin.forms import AppearanceForm, appearance_save_new
from claims.models import Appearance


@admin.register(Appearance)
class AppearanceAdmin(ServiceCreateMixin, ClaimChildAdminMixin, HistoryAdmin):
    form = AppearanceForm
    list_display = ["id", "quote_short", "claim_short", "source", "speaker", "attribution", "span"]
    list_display_links = ["id", "quote_short"]
    list_filter = ["attribution", "source__kind"]
    search_fields = ["quote", "speaker__name", "source__title", "claim__statement"]
    search_help_text = "Search quote, speaker, source title or claim statement."
    autocomplete_fields = ["claim", "source", "speaker"]
    readonly_fields = ["created_by", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Appearance]:
        return (
            super()
            .get_queryset(request)
            .select_related("claim", "source", "speaker")
            .defer("source__text")
        )

    @admin.display(description="quote")
    def quote_short(self, obj: Appearance) -> str:
        return short(obj.quote, 60)

    @admin.display(description="span")
    def span(self, obj: Appearance) -> str:
        return f"{obj.start}–{obj.end}"

    def service_create(self, request: HttpRequest, obj: Appearance) -> Appearance:
        return appearance_save_new(actor=request.user, claim=obj.claim, row=obj)
