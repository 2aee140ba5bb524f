"""The email outbox (``EmailLog``), to read."""

from __future__ import annotations

from django.contrib import admin

from claims.admin.base import DeskAdmin, ReadOnlyAdminMixin
from verification.models import EmailLog


@admin.register(EmailLog)
class EmailLogAdmin(ReadOnlyAdminMixin, DeskAdmin):
    """The outbox, to read: rows are written by ``verification.emails`` and moved by the
    delivery tasks; editing one would break "never sent twice"."""

    list_display = [
        "created_at",
        "kind",
        "recipient",
        "subject",
        "status",
        "attempts",
        "claim_ref",
        "sent_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "subject", "key"]
    search_help_text = "Search recipient, subject or key."
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in EmailLog._meta.fields]

    @admin.display(description="claim")
    def claim_ref(self, obj: EmailLog) -> str:
        return f"#{obj.claim_id}" if obj.claim_id else "—"
