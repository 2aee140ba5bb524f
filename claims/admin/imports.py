"""Import jobs, their report lines, and the "Import claims" page that queues one through
``import_job_create`` (the service the API and the command call)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from claims.admin.base import DeskAdmin, EditorsOnlyMixin, ReadOnlyAdminMixin, claim_link
from claims.admin.jobs import JobAdmin
from claims.bulk import MAPPINGS, FileFormat, import_job_create
from claims.models import ImportJob, ImportRow, ImportStatus
from claims.models.jobs import JOB_RECORD_FIELDS


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


@admin.register(ImportJob)
class ImportJobAdmin(JobAdmin):
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
        *JOB_RECORD_FIELDS,
    ]
    readonly_fields = fields
    form_class = ImportForm
    submit_label = "Import"
    form_title = "Import claims"
    queued = (
        "The file is queued for import as job #{pk}; its claims will appear in state new, "
        "ready for triage."
    )
    refusal = "Only an editor may import claims."

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

    def job_create(self, request: HttpRequest, data: dict[str, Any]) -> ImportJob:
        return import_job_create(
            actor=request.user,
            upload=data["upload"],
            file_format=data["file_format"],
            mapping=data["mapping"],
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
