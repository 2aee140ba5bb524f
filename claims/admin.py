"""The claims side of the admin: topics, sources, speakers, and the claim page the desk works on.

New rows go through ``claims.services`` (so a claim made here records who submitted it and its
"created" event, and a span must reproduce its quote); workflow moves are changelist actions
that call ``verification.services``. A published claim is read-only here until it is reopened.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.text import capfirst

from claims import services as claim_services
from claims.models import (
    Appearance,
    Attribution,
    Claim,
    ClaimState,
    Quantity,
    Rating,
    Source,
    Speaker,
    Topic,
    content_hash_of,
)
from verification import admin_views
from verification import services as workflow
from verification.admin import (
    AssignmentInline,
    ClaimChildAdminMixin,
    DeskAdmin,
    EvidenceInline,
    HistoryAdmin,
    ReviewInline,
    WorkflowEventInline,
    evidence_save_new,
    short,
)
from verification.models import OPEN_ASSIGNMENT_STATES, Assignment, Evidence, Review
from verification.roles import is_editor
from verification.selectors import can_see_verdicts, overdue_assignments
from verification.services.assignments import ASSIGNABLE_CLAIM_STATES

# The claim's verdict: hidden from a reviewer until their own review of the round is in.
VERDICT_FIELDS = ("consensus_rating", "consensus_confidence", "agreement")


# --- Topics, sources, speakers -------------------------------------------------------------


@admin.register(Topic)
class TopicAdmin(DeskAdmin):
    list_display = ["name", "slug", "claim_count", "expert_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_claims=Count("claims", distinct=True), n_experts=Count("experts", distinct=True)
            )
        )

    @admin.display(description="claims", ordering="n_claims")
    def claim_count(self, obj: Topic) -> int:
        return obj.n_claims

    @admin.display(description="experts", ordering="n_experts")
    def expert_count(self, obj: Topic) -> int:
        return obj.n_experts


class SourceForm(forms.ModelForm):
    # Django 6 assumes https for a URL typed without a scheme; say so now.
    url = forms.URLField(required=False, max_length=2000, assume_scheme="https")

    class Meta:
        model = Source
        fields = [
            "kind",
            "title",
            "url",
            "publisher",
            "author",
            "published_on",
            "language",
            "text",
        ]

    def clean_text(self) -> str:
        # Browsers send textarea line breaks as CRLF; spans count the stored characters.
        return self.cleaned_data["text"].replace("\r\n", "\n")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text = data.get("text", "")
        if "text" in self.changed_data and text.strip():
            same = Source.objects.filter(content_hash=content_hash_of(text))
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            existing = same.first()
            if existing is not None:
                self.add_error(
                    "text", f"This text is already stored as source #{existing.pk}: {existing}."
                )
        return data


# Lists and autocompletes never show a source's full text; change pages do.
TEXT_FREE_VIEWS = ("changelist", "autocomplete")


@admin.register(Source)
class SourceAdmin(DeskAdmin):
    form = SourceForm
    list_display = [
        "title",
        "kind",
        "publisher",
        "author",
        "published_on",
        "language",
        "appearance_count",
        "created_at",
    ]
    list_filter = ["kind", "language"]
    search_fields = ["title", "url", "publisher", "author"]
    search_help_text = "Search title, URL, publisher or author."
    list_select_related = ["created_by"]
    date_hierarchy = "published_on"
    readonly_fields = ["content_hash", "created_by", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        sources = super().get_queryset(request).annotate(n_appearances=Count("appearances"))
        match = request.resolver_match
        if match is not None and (match.url_name or "").endswith(TEXT_FREE_VIEWS):
            sources = sources.defer("text")
        return sources

    def get_readonly_fields(self, request: HttpRequest, obj: Source | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        # Appearances point into the text by character offsets; editing it would break them.
        if obj is not None and obj.appearances.exists():
            fields.append("text")
        return fields

    @admin.display(description="appearances", ordering="n_appearances")
    def appearance_count(self, obj: Source) -> int:
        return obj.n_appearances

    def save_model(self, request: HttpRequest, obj: Source, form: Any, change: bool) -> None:
        if change:
            obj.content_hash = content_hash_of(obj.text) if obj.text.strip() else None
            obj.save()
            return
        result = claim_services.source_get_or_create(
            actor=request.user,
            title=obj.title,
            text=obj.text,
            url=obj.url,
            kind=obj.kind,
            publisher=obj.publisher,
            author=obj.author,
            published_on=obj.published_on,
            language=obj.language,
        )
        admin_views.adopt(obj, result.source)


@admin.register(Speaker)
class SpeakerAdmin(DeskAdmin):
    list_display = ["name", "kind", "role", "appearance_count"]
    list_filter = ["kind"]
    search_fields = ["name", "role"]
    search_help_text = "Search name or role."

    def get_queryset(self, request: HttpRequest) -> QuerySet[Speaker]:
        return super().get_queryset(request).annotate(n_appearances=Count("appearances"))

    @admin.display(description="appearances", ordering="n_appearances")
    def appearance_count(self, obj: Speaker) -> int:
        return obj.n_appearances

    def save_model(self, request: HttpRequest, obj: Speaker, form: Any, change: bool) -> None:
        if change:
            obj.save()
        else:
            speaker = claim_services.speaker_get_or_create(
                name=obj.name, role=obj.role, kind=obj.kind
            )
            admin_views.adopt(obj, speaker)


# --- Quantities and appearances ------------------------------------------------------------


def _refuse_if_locked(form: forms.ModelForm, claim: Claim | None) -> None:
    if claim is not None and claim.is_locked:
        form.add_error(None, f"Claim #{claim.pk} is published and read-only; reopen it first.")


class QuantityForm(forms.ModelForm):
    class Meta:
        model = Quantity
        fields = ["claim", "kind", "value", "unit", "period", "approximate", "text"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _refuse_if_locked(self, data.get("claim"))
        return data


def quantity_save_new(*, actor: Any, claim: Claim, row: Quantity) -> Quantity:
    return claim_services.quantity_add(
        actor=actor,
        claim=claim,
        data=claim_services.QuantityData(
            value=row.value,
            unit=row.unit,
            kind=row.kind,
            period=row.period,
            approximate=row.approximate,
            text=row.text,
        ),
    )


class AppearanceForm(forms.ModelForm):
    """An appearance whose span must reproduce its quote (``claims.services.validate_span``)."""

    end = forms.IntegerField(
        min_value=1, required=False, help_text="Leave empty for start + the quote's length."
    )

    class Meta:
        model = Appearance
        fields = ["claim", "source", "speaker", "attribution", "quote", "start", "end", "note"]

    def clean_quote(self) -> str:
        # Browsers send textarea line breaks as CRLF; the source's text has plain LF.
        return self.cleaned_data["quote"].replace("\r\n", "\n")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _refuse_if_locked(self, data.get("claim"))
        source, quote, start = data.get("source"), data.get("quote"), data.get("start")
        if source is None or not quote or start is None:
            return data  # the missing field already carries its error
        if data.get("end") is None:
            data["end"] = start + len(quote)
        try:
            claim_services.validate_span(source=source, quote=quote, start=start, end=data["end"])
        except ValidationError as error:
            self.add_error(None, error)
        if data.get("attribution") == Attribution.SAID and data.get("speaker") is None:
            self.add_error("speaker", "A claim the speaker said needs its speaker.")
        return data


def appearance_save_new(*, actor: Any, claim: Claim, row: Appearance) -> Appearance:
    return claim_services.appearance_add(
        actor=actor,
        claim=claim,
        data=claim_services.AppearanceData(
            source=row.source,
            quote=row.quote,
            start=row.start,
            end=row.end,
            speaker=row.speaker,
            attribution=row.attribution,
            note=row.note,
        ),
    )


@admin.register(Quantity)
class QuantityAdmin(ClaimChildAdminMixin, DeskAdmin):
    form = QuantityForm
    list_display = ["__str__", "claim_short", "kind", "value", "unit", "period", "approximate"]
    list_filter = ["kind", "period", "approximate"]
    search_fields = ["claim__statement", "text", "unit"]
    search_help_text = "Search claim statement, figure as written, or unit."
    list_select_related = ["claim"]
    autocomplete_fields = ["claim"]

    @admin.display(description="claim")
    def claim_short(self, obj: Quantity) -> str:
        return short(str(obj.claim), 50)

    def save_model(self, request: HttpRequest, obj: Quantity, form: Any, change: bool) -> None:
        if change:
            obj.save()
        else:
            admin_views.adopt(obj, quantity_save_new(actor=request.user, claim=obj.claim, row=obj))


@admin.register(Appearance)
class AppearanceAdmin(ClaimChildAdminMixin, HistoryAdmin):
    form = AppearanceForm
    list_display = ["id", "quote_short", "claim_short", "source", "speaker", "attribution", "span"]
    list_display_links = ["id", "quote_short"]
    list_filter = ["attribution", "source__kind"]
    search_fields = ["quote", "speaker__name", "source__title", "claim__statement"]
    search_help_text = "Search quote, speaker, source title or claim statement."
    autocomplete_fields = ["claim", "source", "speaker"]
    readonly_fields = ["created_by", "created_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Appearance]:
        return (
            super()
            .get_queryset(request)
            .select_related("claim", "source", "speaker")
            .defer("source__text")
        )

    @admin.display(description="quote")
    def quote_short(self, obj: Appearance) -> str:
        return short(obj.quote, 60)

    @admin.display(description="claim")
    def claim_short(self, obj: Appearance) -> str:
        return short(str(obj.claim), 50)

    @admin.display(description="span")
    def span(self, obj: Appearance) -> str:
        return f"{obj.start}–{obj.end}"

    def save_model(self, request: HttpRequest, obj: Appearance, form: Any, change: bool) -> None:
        if change:
            obj.save()
        else:
            created = appearance_save_new(actor=request.user, claim=obj.claim, row=obj)
            admin_views.adopt(obj, created)


class QuantityInline(admin.TabularInline):
    model = Quantity
    form = QuantityForm
    extra = 0
    fields = ["text", "kind", "value", "unit", "period", "approximate"]


class AppearanceInline(admin.StackedInline):
    model = Appearance
    form = AppearanceForm
    extra = 0
    show_change_link = True
    fields = [
        ("source", "speaker", "attribution"),
        "quote",
        ("start", "end"),
        "note",
        ("created_by", "created_at"),
    ]
    readonly_fields = ["created_by", "created_at"]
    autocomplete_fields = ["source", "speaker"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Appearance]:
        return super().get_queryset(request).select_related("source", "speaker", "created_by")


# --- Claims ------------------------------------------------------------------------------


class ClaimOverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Has overdue work"), ("no", "Nothing overdue")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        overdue = Exists(overdue_assignments().filter(claim_id=OuterRef("pk")))
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.filter(~overdue)
        return None


class ConsensusRatingFilter(admin.SimpleListFilter):
    """Filter by verdict; a reviewer's filter only reaches verdicts they may see."""

    title = "consensus rating"
    parameter_name = "rating"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [*Rating.choices, ("none", "No verdict yet")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        value = self.value()
        if value is None:
            return None
        queryset = queryset.filter(consensus_rating="" if value == "none" else value)
        if not is_editor(request.user):
            queryset = queryset.filter(verdict_visible=True)
        return queryset


class AppearanceRelationFilter(admin.SimpleListFilter):
    """Claims appearing with a given speaker or source (``Exists``: no duplicate rows)."""

    field: str

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        value = self.value()
        if value is None:
            return None
        if not value.isdigit():
            return queryset.none()
        match = Appearance.objects.filter(claim_id=OuterRef("pk"), **{self.field: int(value)})
        return queryset.filter(Exists(match))


class SpeakerFilter(AppearanceRelationFilter):
    title = "speaker"
    parameter_name = "speaker"
    field = "speaker_id"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[int, str]]:
        return [(speaker.pk, str(speaker)) for speaker in Speaker.objects.all()]


class SourceFilter(AppearanceRelationFilter):
    title = "source"
    parameter_name = "source"
    field = "source_id"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[int, str]]:
        return list(Source.objects.order_by("title").values_list("pk", "title"))


def verdict_visibility(user: Any) -> Value | ExpressionWrapper:
    """The list-sized form of ``verification.selectors.can_see_verdicts``: an annotation that
    is true where this person may see the claim's verdict."""
    if is_editor(user):
        return Value(True, output_field=BooleanField())
    own_review = Review.objects.filter(
        claim_id=OuterRef("pk"), reviewer_id=user.pk, review_round=OuterRef("review_round")
    )
    return ExpressionWrapper(
        Q(state=ClaimState.PUBLISHED) | Q(Exists(own_review)), output_field=BooleanField()
    )


class ClaimForm(forms.ModelForm):
    class Meta:
        model = Claim
        fields = ["statement", "priority", "topics"]

    def clean_statement(self) -> str:
        statement = self.cleaned_data["statement"].strip()
        if not statement:
            raise ValidationError("The statement is empty.")
        return statement


@admin.register(Claim)
class ClaimAdmin(HistoryAdmin):
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
        ConsensusRatingFilter,
        "topics",
        SpeakerFilter,
        SourceFilter,
        ClaimOverdueFilter,
    ]
    search_fields = [
        "statement",
        "appearances__quote",
        "appearances__speaker__name",
        "appearances__source__title",
    ]
    search_help_text = "Search the statement, the quotes, speakers' names and sources' titles."
    date_hierarchy = "created_at"
    autocomplete_fields = ["topics"]
    action_form = admin_views.NoteActionForm
    actions = [
        "triage_selected",
        "dismiss_selected",
        "restore_selected",
        "send_back_selected",
        "publish_selected",
        "reopen_selected",
    ]
    inlines = [
        QuantityInline,
        AppearanceInline,
        EvidenceInline,
        ReviewInline,
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
            admin_views.adopt(obj, claim)
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

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        claim = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if claim is not None:
            extra_context.update(self._page_links(request, claim))
        return super().change_view(request, object_id, form_url, extra_context)

    def _page_links(self, request: HttpRequest, claim: Claim) -> dict[str, str]:
        links = {}
        if is_editor(request.user) and claim.state in ASSIGNABLE_CLAIM_STATES:
            links["assign_url"] = reverse("admin:claims_claim_assign", args=[claim.pk])
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
        assign = path(
            "<path:object_id>/assign/",
            self.admin_site.admin_view(self.assign_view),
            name="claims_claim_assign",
        )
        return [assign, *super().get_urls()]

    def assign_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return admin_views.assign_reviewer_view(self, request, object_id)

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

    # --- Workflow actions: one service call per selected claim ---------------------------

    def has_workflow_permission(self, request: HttpRequest) -> bool:
        return is_editor(request.user)

    def _run(self, request: HttpRequest, queryset: QuerySet, move: Any, done: str) -> None:
        note = request.POST.get("note", "")
        admin_views.run_for_each(
            self,
            request,
            queryset,
            move=lambda claim: move(actor=request.user, claim=claim, note=note),
            done=done,
        )

    @admin.action(description="Triage the selected claims", permissions=["workflow"])
    def triage_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._run(request, queryset, workflow.claim_triage, "Triaged")

    @admin.action(description="Dismiss the selected claims (note)", permissions=["workflow"])
    def dismiss_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        def dismiss(*, actor: Any, claim: Claim, note: str) -> Claim:
            return workflow.claim_dismiss(actor=actor, claim=claim, reason=note)

        self._run(request, queryset, dismiss, "Dismissed")

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
        def reopen(*, actor: Any, claim: Claim, note: str) -> Claim:
            return workflow.claim_reopen(actor=actor, claim=claim, reason=note)

        self._run(request, queryset, reopen, "Reopened")
