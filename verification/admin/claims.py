"""The claim page the desk works on, and the claim list.

New claims go through ``claims.services.claim_create`` (which records who submitted it and
its "created" event) and edits through ``claim_update``; the workflow moves are the list's
actions (:mod:`verification.admin.claim_actions`). A published claim is read-only here until it is
reopened, and a reviewer does not see the verdict before their own review of the round is in.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models
from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.text import capfirst

from claims import services as claim_services
from claims.admin.base import ChangeContextMixin, HistoryAdmin, adopt, short
from claims.admin.forms import ClaimForm, appearance_save_new, quantity_save_new
from claims.admin.inlines import AppearanceInline, QuantityInline
from claims.models import Appearance, Claim, ClaimState, Quantity
from claims.roles import is_editor
from verification.admin.assignments import AssignmentInline
from verification.admin.claim_actions import ClaimWorkflowActions
from verification.admin.claim_filters import (
    ClaimOverdueFilter,
    ConsensusRatingFilter,
    PublishedVerdictFilter,
    SourceFilter,
    SpeakerFilter,
)
from verification.admin.claim_page import claim_page_context, match_decide_view
from verification.admin.events import WorkflowEventInline
from verification.admin.evidence import EvidenceInline, evidence_save_new
from verification.admin.reviews import ExternalReviewInline, ReviewInline
from verification.admin.signoff import SignoffAdminMixin
from verification.admin.views import assign_reviewer_view, page_url
from verification.dashboard.filters import DateRangeFilter
from verification.models import OPEN_ASSIGNMENT_STATES, Assignment, Evidence
from verification.selectors import can_see_verdicts, verdict_visibility
from verification.services.assignments import ASSIGNABLE_CLAIM_STATES

# The claim's verdict: hidden from a reviewer until their own review of the round is in.
VERDICT_FIELDS = ("consensus_rating", "consensus_confidence", "agreement")


@admin.register(Claim)
class ClaimAdmin(SignoffAdminMixin, ClaimWorkflowActions, ChangeContextMixin, HistoryAdmin):
    """The claim list and page; the list's actions, and their note, are
    :class:`~verification.admin.claim_actions.ClaimWorkflowActions`."""

    form = ClaimForm
    list_display = [
        "id",
        "statement_short",
        "state",
        "priority",
        "topic_names",
        "first_speaker",
        "verdict",
        "reviews_progress",
        "submitted_by",
        "created_at",
    ]
    list_display_links = ["id", "statement_short"]
    list_filter = [
        "state",
        "priority",
        "language",
        ConsensusRatingFilter,
        "topics",
        SpeakerFilter,
        SourceFilter,
        ClaimOverdueFilter,
        # The desk overview's links (verification.dashboard): verdicts by rating, date ranges.
        PublishedVerdictFilter,
        ("created_at", DateRangeFilter),
        ("published_at", DateRangeFilter),
    ]
    search_fields = [
        "statement",
        "appearances__quote",
        "appearances__speaker__name",
        "appearances__source__title",
    ]
    search_help_text = "Search the statement, the quotes, speakers' names and sources' titles."
    date_hierarchy = "created_at"
    # Topics are few: a labelled checkbox list, where select2's multi-select search box has no
    # label a screen reader could announce.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [
        QuantityInline,
        AppearanceInline,
        EvidenceInline,
        ReviewInline,
        ExternalReviewInline,
        AssignmentInline,
        WorkflowEventInline,
    ]
    readonly_fields = [
        "checkworthiness",
        "state",
        "review_round",
        "required_reviews",
        "submitted_by",
        "created_at",
        "updated_at",
        "published_by",
        "published_at",
        *VERDICT_FIELDS,
        "verdict_hidden",
    ]

    # --- Lists ---------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        current_round = Q(reviews__review_round=F("review_round"))
        return (
            super()
            .get_queryset(request)
            .select_related("submitted_by", "published_by")
            .prefetch_related(
                "topics",
                Prefetch("appearances", queryset=Appearance.objects.select_related("speaker")),
            )
            .annotate(
                current_reviews=Count("reviews", filter=current_round, distinct=True),
                verdict_visible=verdict_visibility(request.user),
            )
        )

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        # Query-string filters on the verdict would let a blind reviewer probe it.
        user = request.user if request is not None else None
        if lookup.split("__")[0] in VERDICT_FIELDS and not is_editor(user):
            return False
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description="statement")
    def statement_short(self, obj: Claim) -> str:
        return short(obj.statement, 90)

    @admin.display(description="topics")
    def topic_names(self, obj: Claim) -> str:
        return ", ".join(topic.name for topic in obj.topics.all()) or "—"

    @admin.display(description="speaker")
    def first_speaker(self, obj: Claim) -> str:
        speakers = [a.speaker for a in obj.appearances.all() if a.speaker is not None]
        return speakers[0].name if speakers else "—"

    @admin.display(description="consensus")
    def verdict(self, obj: Claim) -> str:
        # Whether there is a verdict at all is no secret (the reviews column counts them).
        if not obj.consensus_rating:
            return "—"
        if not obj.verdict_visible:
            return "hidden until your review is in"
        text = f"{obj.get_consensus_rating_display()}, {obj.consensus_confidence} confidence"
        if obj.agreement is not None:
            text += f", α = {obj.agreement:.2f}"
        return text

    @admin.display(description="reviews", ordering="current_reviews")
    def reviews_progress(self, obj: Claim) -> str:
        return f"{obj.current_reviews}/{obj.required_reviews}"

    # --- The change page -----------------------------------------------------------------

    def get_fieldsets(self, request: HttpRequest, obj: Claim | None = None) -> list:
        if obj is None:
            return [(None, {"fields": ["statement", "priority", "topics"]})]
        verdict = VERDICT_FIELDS if can_see_verdicts(request.user, obj) else ["verdict_hidden"]
        return [
            (None, {"fields": ["statement", ("priority", "checkworthiness"), "topics"]}),
            (
                "Workflow",
                {
                    "fields": [
                        ("state", "review_round", "required_reviews"),
                        ("submitted_by", "created_at", "updated_at"),
                        ("published_by", "published_at"),
                    ]
                },
            ),
            ("Verdict", {"fields": verdict}),
        ]

    @admin.display(description="consensus")
    def verdict_hidden(self, obj: Claim) -> str:
        return "Hidden until your own review of this round is in (blind review)."

    def get_inlines(self, request: HttpRequest, obj: Claim | None) -> list:
        if obj is None:
            # A claim being created has no evidence, reviews or history yet, and an inline
            # the person cannot add to would only show an empty table.
            return [
                inline
                for inline in (QuantityInline, AppearanceInline)
                if request.user.has_perm(f"claims.add_{inline.model._meta.model_name}")
            ]
        return list(self.inlines)

    def has_change_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Claim | None = None) -> bool:
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Claim, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            # claim_create records the submitter and the "created" event; the inlines are then
            # saved against this very row, so the form's instance becomes it.
            claim = claim_services.claim_create(
                actor=request.user,
                statement=data["statement"],
                priority=data["priority"],
                topics=list(data["topics"]),
            )
            adopt(obj, claim)
        elif form.changed_data:
            claim_services.claim_update(
                actor=request.user,
                claim=obj,
                statement=data["statement"],
                priority=data["priority"],
                topics=list(data["topics"]),
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: list, change: bool) -> None:
        # Topics were set by the service; only the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    # New inline rows are created by the service for their model.
    ROW_CREATORS = {
        Quantity: quantity_save_new,
        Appearance: appearance_save_new,
        Evidence: evidence_save_new,
    }

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        create = self.ROW_CREATORS.get(formset.model)
        if create is None:
            formset.save()  # the read-only inlines: nothing to save
            return
        rows = formset.save(commit=False)
        for row in formset.deleted_objects:
            row.delete()
        for row in rows:
            if row.pk is None:
                row.pk = create(actor=request.user, claim=form.instance, row=row).pk
            else:
                row.save()
        formset.save_m2m()

    def change_context(self, request: HttpRequest, claim: Claim | None) -> dict[str, Any]:
        if claim is None:
            return {}
        # The timeline, assignments with their emails, likely duplicates (claim_page).
        return {**self._page_links(request, claim), **claim_page_context(request, claim)}

    def _page_links(self, request: HttpRequest, claim: Claim) -> dict[str, str]:
        links = {}
        if is_editor(request.user) and claim.state in ASSIGNABLE_CLAIM_STATES:
            links["assign_url"] = reverse("admin:claims_claim_assign", args=[claim.pk])
        if is_editor(request.user) and claim.state == ClaimState.IN_REVIEW:
            links["signoff_url"] = reverse("admin:claims_claim_signoff", args=[claim.pk])
        if is_editor(request.user) and claim.state == ClaimState.PUBLISHED:
            links["correct_url"] = reverse("admin:claims_claim_correct", args=[claim.pk])
        evidence_open = claim.state not in (ClaimState.PUBLISHED, ClaimState.DISMISSED)
        if evidence_open and request.user.has_perm("verification.add_evidence"):
            links["add_evidence_url"] = (
                reverse("admin:verification_evidence_add") + f"?claim={claim.pk}"
            )
        own_open = Assignment.objects.filter(
            claim=claim,
            reviewer_id=request.user.pk,
            review_round=claim.review_round,
            state__in=OPEN_ASSIGNMENT_STATES,
        ).first()
        if own_open is not None:
            links["review_url"] = reverse(
                "admin:verification_assignment_review", args=[own_open.pk]
            )
        return links

    def get_urls(self) -> list:
        return [
            page_url(self, "<path:object_id>/assign/", self.assign_view, "claims_claim_assign"),
            page_url(
                self,
                "<path:object_id>/matches/<int:match_id>/<str:decision>/",
                self.match_decide_view,
                "claims_claim_match_decide",
            ),
            *super().get_urls(),
        ]

    def assign_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return assign_reviewer_view(self, request, object_id)

    def match_decide_view(
        self, request: HttpRequest, object_id: str, match_id: int, decision: str
    ) -> HttpResponse:
        return match_decide_view(self, request, unquote(object_id), match_id, decision)

    def set_history_delta_changes(
        self, request: HttpRequest, historical_records: Any, foreign_keys_are_objs: bool = True
    ) -> None:
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        records = list(historical_records)
        if not records:
            return
        claim = Claim.objects.filter(pk=records[0].id).first() or records[0].instance
        if can_see_verdicts(request.user, claim):
            return
        # The history would otherwise show the consensus changing before the reviewer's own
        # review is in.
        hidden = {capfirst(Claim._meta.get_field(name).verbose_name) for name in VERDICT_FIELDS}
        for record in records:
            changes = getattr(record, "history_delta_changes", None)
            if changes:
                record.history_delta_changes = [c for c in changes if c["field"] not in hidden]
