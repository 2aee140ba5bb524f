"""Evidence: its own list and page, and the inline on the claim page.

New rows go through ``verification.services.evidence_add``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from claims.admin.base import ClaimChildAdminMixin, HistoryAdmin, ServiceCreateMixin
from claims.models import Claim, ClaimState
from verification import services
from verification.admin.events import ClaimColumnMixin
from verification.models import EVIDENCE_DETAILS, Evidence


class EvidenceForm(forms.ModelForm):
    """Evidence as the admin takes it, on the claim page and on its own page.

    The checks repeat ``evidence_add``'s so that a refusal is a form error, not a crash.
    """

    # Django 6 assumes https for a URL typed without a scheme; say so now.
    url = forms.URLField(required=False, max_length=2000, assume_scheme="https")

    class Meta:
        model = Evidence
        fields = ["claim", *EVIDENCE_DETAILS]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("url") and not data.get("document_ref"):
            self.add_error("url", "Give a URL or a document reference.")
        claim = data.get("claim")
        closed = (ClaimState.PUBLISHED, ClaimState.DISMISSED)
        if self.instance.pk is None and claim is not None and claim.state in closed:
            raise ValidationError(
                f"Cannot add evidence to claim #{claim.pk}: it is "
                f"{claim.get_state_display().lower()}."
            )
        return data


def evidence_save_new(*, actor: Any, claim: Claim, row: Evidence) -> Evidence:
    """Store a new evidence row from the admin through ``evidence_add`` (which sets
    ``added_by`` and the default origin key)."""
    return services.evidence_add(actor=actor, claim=claim, **services.evidence_details(row))


@admin.register(Evidence)
class EvidenceAdmin(ServiceCreateMixin, ClaimColumnMixin, ClaimChildAdminMixin, HistoryAdmin):
    form = EvidenceForm
    list_display = [
        "id",
        "title",
        "claim_short",
        "stance",
        "grade",
        "publisher",
        "origin_key",
        "times_cited",
        "added_by",
        "created_at",
    ]
    list_display_links = ["id", "title"]
    list_filter = ["stance", "source_reliability", "credibility"]
    search_fields = ["title", "publisher", "url", "document_ref", "origin_key", "claim__statement"]
    search_help_text = "Search title, publisher, URL, document, origin key or claim statement."
    list_select_related = ["claim", "added_by"]
    autocomplete_fields = ["claim"]
    readonly_fields = ["added_by", "created_at"]
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Evidence]:
        return super().get_queryset(request).annotate(cited=Count("cited_by", distinct=True))

    @admin.display(description="grade", ordering="source_reliability")
    def grade(self, obj: Evidence) -> str:
        return obj.grade

    @admin.display(description="cited", ordering="cited")
    def times_cited(self, obj: Evidence) -> int:
        return obj.cited

    def service_create(self, request: HttpRequest, obj: Evidence) -> Evidence:
        return evidence_save_new(actor=request.user, claim=obj.claim, row=obj)


class EvidenceInline(admin.StackedInline):
    model = Evidence
    form = EvidenceForm
    extra = 0
    show_change_link = True
    fields = [
        ("title", "publisher"),
        ("url", "document_ref"),
        "excerpt",
        ("stance", "source_reliability", "credibility"),
        "origin_key",
        ("added_by", "created_at"),
    ]
    readonly_fields = ["added_by", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Evidence]:
        return super().get_queryset(request).select_related("added_by")
