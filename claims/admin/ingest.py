"""Ingest jobs, and the "Ingest an article" page that queues one through ``ingest_job_create``
(the service the API and the command call)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from claims.admin.base import short
from claims.admin.jobs import JobAdmin
from claims.extraction.documents import Format
from claims.extraction.jobs import UPLOAD_FORMATS, ingest_job_create
from claims.models import IngestJob, SourceKind
from claims.models.jobs import JOB_RECORD_FIELDS
from claims.selectors import (
    CandidateOutcome,
    candidate_outcome,
    ingest_job_appearances,
    transcript_ranking,
)


class IngestForm(forms.Form):
    """One article, given one way. Which way, and the size limit, the service checks."""

    title = forms.CharField(
        required=False,
        max_length=500,
        label="Title",
        help_text="Optional: by default the article's own title.",
    )
    text = forms.CharField(
        required=False,
        strip=False,  # quotes are spans of the text as given
        label="Article text",
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        help_text="Paste the article: plain text, Markdown or HTML; or a transcript.",
    )
    kind = forms.ChoiceField(
        choices=[
            ("", "By what it is (a .vtt, .srt, .tsv or .csv file is a transcript)"),
            (SourceKind.ARTICLE, "An article"),
            (SourceKind.TRANSCRIPT, "A transcript: SPEAKER: text lines, CLEF rows or captions"),
        ],
        required=False,
        label="Read it as",
        help_text="In a transcript each line's speaker is the speaker of its claims.",
    )
    upload = forms.FileField(
        required=False,
        label="Or a file",
        help_text=f"A text, Markdown, HTML or transcript file ({UPLOAD_FORMATS}).",
    )
    url = forms.CharField(
        required=False,
        max_length=2000,
        label="Or its URL",
        widget=forms.URLInput(attrs={"size": 80}),
        help_text="An http:// or https:// address; the page is fetched by a worker.",
    )
    publisher = forms.CharField(
        required=False, max_length=200, label="Publisher", help_text="Optional."
    )
    author = forms.CharField(required=False, max_length=200, label="Author", help_text="Optional.")
    published_on = forms.DateField(
        required=False,
        label="Published on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional: by default the date the page gives, if any.",
    )


@admin.register(IngestJob)
class IngestJobAdmin(JobAdmin):
    """The list of ingest jobs (status, progress, what each made) and each job's page, for
    editors, who ingest articles."""

    list_display = [
        "id",
        "created_at",
        "what",
        "kind",
        "status",
        "progress",
        "created_count",
        "attached_count",
        "suggested_count",
        "skipped_count",
        "source_link",
        "created_by",
        "error_summary",
    ]
    list_display_links = ["id", "what"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["title", "input", "error"]
    search_help_text = "Search title, URL or text, or error."
    list_select_related = ["created_by", "source"]
    fields = [
        "status",
        "progress",
        "kind",
        "title",
        "format",
        "source_link",
        "created_count",
        "attached_count",
        "suggested_count",
        "skipped_count",
        *JOB_RECORD_FIELDS,
        "input",
    ]
    readonly_fields = fields
    form_class = IngestForm
    submit_label = "Ingest"
    form_title = "Ingest an article"
    queued = (
        "The article is queued for extraction as job #{pk}; its claims will appear in state "
        "new, ready for triage."
    )
    refusal = "Only an editor may ingest an article."

    def get_queryset(self, request: HttpRequest) -> QuerySet[IngestJob]:
        jobs = super().get_queryset(request)
        match = request.resolver_match
        if match is not None and (match.url_name or "").endswith("changelist"):
            # The list shows neither the article nor its source's text.
            jobs = jobs.defer("input", "source__text")
        return jobs

    # --- Columns -------------------------------------------------------------------------

    @admin.display(description="article")
    def what(self, obj: IngestJob) -> str:
        return obj.title or (obj.input if obj.kind == "url" else "(pasted)") or "—"

    @admin.display(description="progress")
    def progress(self, obj: IngestJob) -> str:
        if not obj.total:
            return "—"
        return f"{obj.done}/{obj.total} sentences ({100 * obj.done // obj.total}%)"

    @admin.display(description="source", ordering="source")
    def source_link(self, obj: IngestJob) -> str:
        if obj.source_id is None:
            return "—"
        url = reverse("admin:claims_source_change", args=[obj.source_id])
        return format_html('<a href="{}">#{} {}</a>', url, obj.source_id, short(obj.source.title))

    # --- The job's page, and the "Ingest an article" page --------------------------------

    def job_context(self, job: IngestJob) -> dict[str, Any]:
        return {
            # What the desk holds from the article: each sentence with its claim.
            "candidates": [
                (appearance, CandidateOutcome(candidate_outcome(appearance, job)))
                for appearance in ingest_job_appearances(job)
            ],
            # A transcript's every sentence, most check-worthy first.
            "ranking": transcript_ranking(job),
        }

    def job_create(self, request: HttpRequest, data: dict[str, Any]) -> IngestJob:
        return ingest_job_create(
            actor=request.user,
            text=data["text"] or None,
            url=data["url"] or None,
            upload=data["upload"],
            title=data["title"],
            publisher=data["publisher"],
            author=data["author"],
            published_on=data["published_on"],
            format=Format.TRANSCRIPT if data["kind"] == SourceKind.TRANSCRIPT else Format.AUTO,
        )
