"""The claim page's own inlines: its quantities and its appearances in sources.

The evidence, review, assignment and event inlines are the verification admin's.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from claims.admin.forms import AppearanceForm, QuantityForm
from claims.models import Appearance, Quantity


class QuantityInline(admin.TabularInline):
    model = Quantity
    form = QuantityForm
    extra = 0
    fields = ["text", "kind", "value", "unit", "period", "approximate"]


class AppearanceInline(admin.StackedInline):
    model = Appearance
    form = AppearanceForm
    extra = 0
    show_change_link = True
    fields = [
        ("source", "speaker", "attribution"),
        "quote",
        ("start", "end"),
        "note",
        ("created_by", "created_at"),
    ]
    readonly_fields = ["created_by", "created_at"]
    autocomplete_fields = ["source", "speaker"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Appearance]:
        return super().get_queryset(request).select_related("source", "speaker", "created_by")
