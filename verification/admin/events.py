"""Workflow events: their list, and the read-only inline on the claim page; and the claim
column verification's lists share."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from claims.admin.base import DeskAdmin, ReadOnlyAdminMixin, ReadOnlyInline, short
from verification.models import WorkflowEvent


class ClaimColumnMixin:
    """``claim_short`` for ``list_display``: the row's claim, cut to fit a list."""

    @admin.display(description="claim")
    def claim_short(self, obj: Any) -> str:
        return short(str(obj.claim), 50)


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(ClaimColumnMixin, ReadOnlyAdminMixin, DeskAdmin):
    """The workflow's own record: written by the services, never by hand."""

    list_display = [
        "created_at",
        "claim_short",
        "action",
        "from_state",
        "to_state",
        "actor",
        "assignment_ref",
        "note_short",
    ]
    list_display_links = ["created_at"]
    list_filter = ["action"]
    search_fields = ["claim__statement", "note", "actor__username"]
    search_help_text = "Search claim statement, note or actor."
    date_hierarchy = "created_at"
    fields = [
        "claim",
        "assignment",
        "action",
        "from_state",
        "to_state",
        "actor",
        "note",
        "created_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkflowEvent]:
        # Selecting here replaces list_select_related; the change page shows the assignment's
        # name, which reads its reviewer.
        return (
            super().get_queryset(request).select_related("claim", "actor", "assignment__reviewer")
        )

    @admin.display(description="assignment")
    def assignment_ref(self, obj: WorkflowEvent) -> str:
        return f"#{obj.assignment_id}" if obj.assignment_id else "—"

    @admin.display(description="note")
    def note_short(self, obj: WorkflowEvent) -> str:
        return short(obj.note, 60)


class WorkflowEventInline(ReadOnlyInline):
    model = WorkflowEvent
    fields = ["created_at", "action", "from_state", "to_state", "actor", "note"]
    verbose_name_plural = "workflow events"
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkflowEvent]:
        return self.scoped(request, WorkflowEvent.objects.select_related("actor"))
