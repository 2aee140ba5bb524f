"""Sources: a new one goes through ``source_get_or_create``; only the change page shows the
text, read-only once appearances point into it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from claims import services as claim_services
from claims.admin.base import DeskAdmin, ServiceCreateMixin
from claims.admin.forms import SourceForm
from claims.models import Source, content_hash_of

# Lists and autocompletes never show a source's full text; change pages do.
TEXT_FREE_VIEWS = ("changelist", "autocomplete")


@admin.register(Source)
class SourceAdmin(ServiceCreateMixin, DeskAdmin):
    form = SourceForm
    list_display = [
        "title",
        "kind",
        "publisher",
        "author",
        "published_on",
        "language",
        "appearance_count",
        "created_at",
    ]
    list_filter = ["kind", "language"]
    search_fields = ["title", "url", "publisher", "author"]
    search_help_text = "Search title, URL, publisher or author."
    list_select_related = ["created_by"]
    date_hierarchy = "published_on"
    readonly_fields = ["content_hash", "created_by", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        sources = super().get_queryset(request).annotate(n_appearances=Count("appearances"))
        match = request.resolver_match
        if match is not None and (match.url_name or "").endswith(TEXT_FREE_VIEWS):
            sources = sources.defer("text")
        return sources

    def get_readonly_fields(self, request: HttpRequest, obj: Source | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        # Appearances point into the text by character offsets; editing it would break them.
        if obj is not None and obj.appearances.exists():
            fields.append("text")
        return fields

    @admin.display(description="appearances", ordering="n_appearances")
    def appearance_count(self, obj: Source) -> int:
        return obj.n_appearances

    def save_model(self, request: HttpRequest, obj: Source, form: Any, change: bool) -> None:
        if change:
            obj.content_hash = content_hash_of(obj.text) if obj.text.strip() else None
        super().save_model(request, obj, form, change)

    def service_create(self, request: HttpRequest, obj: Source) -> Source:
        # The form's fields are the service's arguments.
        given = {name: getattr(obj, name) for name in SourceForm.Meta.fields}
        return claim_services.source_get_or_create(actor=request.user, **given).source
