"""The archive in the admin: cited pages with their status, snapshots and changes."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from claims.roles import is_desk_member, is_editor
from config.archive.models import Citation, Page, PageChange, Snapshot
from config.archive.services.capture import page_retry


class DeskReadOnly:
    """Desk members read the archive; nobody edits it (it is what was fetched); administrators
    delete."""

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_desk_member(request.user) or request.user.is_superuser

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False


class ArchiveInline(DeskReadOnly, admin.TabularInline):
    extra = 0
    can_delete = False


class SnapshotInline(ArchiveInline):
    model = Snapshot
    fields = [
        "fetched_at",
        "final_url",
        "status_code",
        "body_sha256",
        "copy",
        "problem",
        "timestamped_at",
        "public_copy_url",
        "attest_problem",
    ]
    readonly_fields = fields

    @admin.display(description="Archived copy")
    def copy(self, snapshot: Snapshot) -> str:
        return format_html('<a href="{}">text</a>', reverse("archive:text", args=[snapshot.pk]))


class CitationInline(ArchiveInline):
    model = Citation
    fields = ["evidence", "source", "created_at"]
    readonly_fields = fields


@admin.register(Page)
class PageAdmin(DeskReadOnly, admin.ModelAdmin):
    list_display = ["url", "status", "archived_at", "sha256", "watch", "last_checked_at"]
    list_filter = ["status", "watch"]
    search_fields = ["url"]
    list_select_related = ["archived"]
    readonly_fields = [f.name for f in Page._meta.get_fields() if f.concrete and not f.many_to_many]
    inlines = [CitationInline, SnapshotInline]
    actions = ["retry"]

    @admin.display(description="Archived", ordering="archived__fetched_at")
    def archived_at(self, page: Page) -> object:
        return page.archived.fetched_at if page.archived else "—"

    @admin.display(description="SHA-256")
    def sha256(self, page: Page) -> str:
        return page.archived.body_sha256[:16] + "…" if page.archived else "—"

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return is_editor(request.user)

    @admin.action(
        description="Archive again (failed or partly archived pages)", permissions=["retry"]
    )
    def retry(self, request: HttpRequest, queryset: QuerySet[Page]) -> None:
        count = page_retry(page_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} page(s) queued to be archived again.", messages.INFO)


@admin.register(PageChange)
class PageChangeAdmin(DeskReadOnly, admin.ModelAdmin):
    list_display = ["page", "kind", "changed_share", "detected_at"]
    list_filter = ["kind"]
    search_fields = ["page__url"]
    list_select_related = ["page"]
    readonly_fields = [f.name for f in PageChange._meta.concrete_fields if f.name != "id"]
