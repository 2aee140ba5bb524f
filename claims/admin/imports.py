"""Import jobs, to follow, their report lines, and the "Import claims" page that queues one.

The page hands the file to ``import_job_create`` (the service the API and the command call)
and sends the editor to the job's page, which reloads itself while a worker imports the
file, and links to the job's report: a line per row, filtered by outcome. Jobs and their
lines are written only by the service and the worker, so the admin never changes one.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from claims.admin.base import (
    DeskAdmin,
    ReadOnlyAdminMixin,
    claim_link,
    job_form_view,
    short,
)
from claims.bulk import MAPPINGS, FileFormat, import_job_create
from claims.models import ImportJob, ImportRow, ImportStatus
from claims.roles import is_editor


class ImportForm(forms.Form):
    """A file and how to read it; what is in it, the service checks."""

    upload = forms.FileField(label="File", help_text="CSV (or TSV) or JSON Lines, UTF-8.")
    file_format = forms.ChoiceField(label="Format", choices=FileFormat.choices)
    mapping = forms.ChoiceField(
        label="Columns",
        choices=[(name, name) for name in MAPPINGS],
        help_text="default: the export's columns, with a header row; liar: the LIAR data "
        "set's TSV.",
    )


class EditorsOnlyMixin:
    """Jobs (imports, ingestion) and their reports are the editors' (and administrators'),
    who make them: the role decides, as it does in the services, not a model permission."""

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_editor(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_editor(request.user)


@admin.register(ImportJob)
class ImportJobAdmin(EditorsOnlyMixin, ReadOnlyAdminMixin, DeskAdmin):
    """The list of import jobs (status, progress, counts) and each job's page."""

    list_display = [
        "id",
        "created_at",
        "name",
        "mapping",
        "status",
        "progress",
        "created_count",
        "matched_count",
        "rejected_count",
        "created_by",
        "error_summary",
    ]
    list_display_links = ["id", "name"]
    list_filter = ["status", "mapping", "created_at"]
    search_fields = ["name", "error"]
    list_select_related = ["created_by"]
    date_hierarchy = "created_at"
    fields = [
        "status",
        "progress",
        "report",
        "name",
        "file_format",
        "mapping",
        "created_count",
        "matched_count",
        "rejected_count",
        "error",
        "attempts",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields
    # The ingest job's page: it reloads itself while a worker is on the job.
    change_form_template = "admin/claims/ingestjob/change_form.html"

    @admin.display(description="progress")
    def progress(self, obj: ImportJob) -> str:
        if not obj.rows_total:
            return f"{obj.rows_done} rows" if obj.rows_done else "—"
        return f"{obj.rows_done}/{obj.rows_total} rows ({100 * obj.rows_done // obj.rows_total}%)"

    @admin.display(description="report")
    def report(self, obj: ImportJob) -> str:
        url = reverse("admin:claims_importrow_changelist")
        return format_html(
            '<a href="{}?job__id__exact={}">every row</a> · '
            '<a href="{}?job__id__exact={}&amp;status__exact={}">the {} rejected</a>',
            url,
            obj.pk,
            url,
            obj.pk,
            ImportStatus.REJECTED,
            obj.rejected_count,
        )

    @admin.display(description="error")
    def error_summary(self, obj: ImportJob) -> str:
        return short(obj.error, 80) if obj.error else ""

    def get_urls(self) -> list[URLPattern]:
        page = path(
            "import/", self.admin_site.admin_view(self.import_view), name="claims_importjob_import"
        )
        return [page, *super().get_urls()]

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "show_save": False}
        if object_id is not None:
            job = self.get_object(request, object_id)
            # The page reloads itself while a worker is on the job.
            extra_context["refresh_seconds"] = 3 if job and not job.is_finished else None
        return super().changeform_view(request, object_id, form_url, extra_context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        def create(data: dict[str, Any]) -> ImportJob:
            return import_job_create(
                actor=request.user,
                upload=data["upload"],
                file_format=data["file_format"],
                mapping=data["mapping"],
            )

        return job_form_view(
            self,
            request,
            form_class=ImportForm,
            create=create,
            title="Import claims",
            submit_label="Import",
            queued="The file is queued for import as job #{pk}; its claims will appear in "
            "state new, ready for triage.",
            refusal="Only an editor may import claims.",
        )


@admin.register(ImportRow)
class ImportRowAdmin(EditorsOnlyMixin, ReadOnlyAdminMixin, DeskAdmin):
    """An import job's report: a line per row of its file, with what became of the row."""

    list_display = ["job", "row", "line", "status", "claim_page", "reason"]
    list_display_links = None
    list_filter = ["status", "job"]
    search_fields = ["statement", "reason"]
    list_select_related = ["job", "claim"]
    list_per_page = 100

    @admin.display(description="claim", ordering="claim")
    def claim_page(self, obj: ImportRow) -> str:
        return claim_link(obj.claim) if obj.claim is not None else obj.statement
