"""The login record in the admin: read-only, for administrators."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from config.accounts.models import LoginEvent


@admin.register(LoginEvent)
class LoginEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "username", "user", "ip", "user_agent", "new_device"]
    list_filter = ["kind", "new_device", "created_at"]
    search_fields = ["username", "ip", "user_agent"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    # An audit record: nobody adds, edits or deletes one here.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: LoginEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: LoginEvent | None = None) -> bool:
        return False
