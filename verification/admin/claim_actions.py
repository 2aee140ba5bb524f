"""The claim list's workflow actions: one ``verification.services`` call per selected claim.

Only editors see them; each refusal is reported by claim while the other claims go through.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from claims.admin.base import ServiceActionsMixin
from claims.roles import is_editor
from verification import services as workflow


class ClaimWorkflowActions(ServiceActionsMixin):
    """Triage, dismiss, restore, send back, publish and reopen from the changelist.

    Mixed into :class:`verification.admin.claims.ClaimAdmin`. The note typed in the action bar
    is the reason a move records (and the reason some moves require).
    """

    service_row = "claim"
    actions = [
        "triage_selected",
        "dismiss_selected",
        "restore_selected",
        "send_back_selected",
        "publish_selected",
        "reopen_selected",
    ]

    def has_workflow_permission(self, request: HttpRequest) -> bool:
        return is_editor(request.user)

    def _run(
        self, request: HttpRequest, queryset: QuerySet, move: Any, done: str, note_as: str = "note"
    ) -> None:
        # The action bar's note is passed as the argument the service names it by.
        self.run_service(request, queryset, move, done, **{note_as: request.POST.get("note", "")})

    @admin.action(description="Triage the selected claims", permissions=["workflow"])
    def triage_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, workflow.claim_triage, "Triaged")

    @admin.action(description="Dismiss the selected claims (note)", permissions=["workflow"])
    def dismiss_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, workflow.claim_dismiss, "Dismissed", note_as="reason")

    @admin.action(description="Restore the selected dismissed claims", permissions=["workflow"])
    def restore_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, workflow.claim_restore, "Restored")

    @admin.action(description="Send the selected claims back (note)", permissions=["workflow"])
    def send_back_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, workflow.claim_send_back, "Sent back")

    @admin.action(description="Publish the selected claims", permissions=["workflow"])
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, workflow.claim_publish, "Published")

    @admin.action(description="Reopen the selected claims (note)", permissions=["workflow"])
    def reopen_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, workflow.claim_reopen, "Reopened", note_as="reason")
