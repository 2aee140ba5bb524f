"""Speakers, with their aliases; a new one goes through ``speaker_get_or_create``. Attributed
statements are listed read-only (ingestion writes them), filtered from a speaker's row."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from claims import services as claim_services
from claims.admin.base import (
    SERVICE_ERRORS,
    DeskAdmin,
    ReadOnlyAdminMixin,
    ServiceCreateMixin,
    error_text,
    short,
)
from claims.models import AttributedStatement, Speaker, SpeakerAlias
from claims.roles import is_editor


class AliasFormSet(forms.BaseInlineFormSet):
    """New names are checked as the service checks them, so a refusal shows on its row."""

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            if form.instance.pk is not None and form.cleaned_data.get("DELETE"):
                try:
                    claim_services.speaker_alias_removal_check(form.instance)
                except ValidationError as error:
                    form.add_error(None, error.message_dict["alias"])
            elif form.instance.pk is None and form.has_changed() and not form.errors:
                key = form.cleaned_data.get("key", "")
                try:
                    claim_services.speaker_alias_check(self.instance, key)
                except ValidationError as error:
                    form.add_error("key", error.message_dict["name"])


class SpeakerAliasInline(admin.TabularInline):
    """The names a speaker is matched by: editors add or delete one (through the services),
    nobody edits one in place."""

    model = SpeakerAlias
    formset = AliasFormSet
    fields = ["key", "kind"]
    readonly_fields = ["kind"]
    extra = 0
    show_change_link = False
    verbose_name = "name"
    verbose_name_plural = "names this speaker is matched by (across articles)"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_editor(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Rows are shown read-only, but an editor's form must carry the add and delete ones.
        return is_editor(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_editor(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["kind"]


@admin.register(Speaker)
class SpeakerAdmin(ServiceCreateMixin, DeskAdmin):
    list_display = ["name", "kind", "role", "appearance_count", "statement_count"]
    list_filter = ["kind"]
    search_fields = ["name", "role", "aliases__key"]
    search_help_text = "Search name, role or alias."
    inlines = [SpeakerAliasInline]
    actions = ["merge_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Speaker]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_appearances=Count("appearances", distinct=True),
                n_statements=Count("statements", distinct=True),
            )
        )

    @admin.display(description="appearances", ordering="n_appearances")
    def appearance_count(self, obj: Speaker) -> int:
        return obj.n_appearances

    @admin.display(description="statements", ordering="n_statements")
    def statement_count(self, obj: Speaker) -> str:
        url = reverse("admin:claims_attributedstatement_changelist")
        return format_html(
            '<a href="{}?speaker__id__exact={}">{}</a>', url, obj.pk, obj.n_statements
        )

    @admin.action(description="Merge the selected speakers into the oldest of them")
    def merge_selected(self, request: HttpRequest, queryset: QuerySet[Speaker]) -> None:
        chosen = list(queryset.order_by("pk"))
        try:
            kept = claim_services.speakers_merge(
                actor=request.user, keep=chosen[0], others=chosen[1:]
            )
        except SERVICE_ERRORS as error:
            self.message_user(request, f"Nothing was merged: {error_text(error)}", messages.ERROR)
            return
        self.message_user(
            request,
            f"Merged {len(chosen) - 1} speaker(s) into #{kept.pk} {kept.name}: their "
            "appearances, statements and names are its now.",
            messages.SUCCESS,
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Names are added and taken off through the services, never saved by the formset."""
        if formset.model is not SpeakerAlias:
            super().save_formset(request, form, formset, change)
            return
        # What the admin's change message reads (as ``formset.save()`` would have set it).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            data = getattr(row, "cleaned_data", None) or {}
            if row.instance.pk is not None and data.get("DELETE"):
                claim_services.speaker_alias_remove(actor=request.user, alias=row.instance)
                formset.deleted_objects.append(row.instance)
            elif row.instance.pk is None and row.has_changed() and not data.get("DELETE"):
                formset.new_objects.append(
                    claim_services.speaker_alias_add(
                        actor=request.user, speaker=form.instance, name=data["key"]
                    )
                )

    def service_create(self, request: HttpRequest, obj: Speaker) -> Speaker:
        return claim_services.speaker_get_or_create(name=obj.name, role=obj.role, kind=obj.kind)


@admin.register(AttributedStatement)
class AttributedStatementAdmin(ReadOnlyAdminMixin, DeskAdmin):
    """Everything a speaker said in a source, claim or not."""

    list_display = ["quote_short", "speaker", "role", "source", "attribution", "cue", "quoted"]
    list_filter = ["attribution", "cue", "quoted", "speaker__kind"]
    search_fields = ["quote", "speaker__name", "source__title"]
    search_help_text = "Search quote, speaker or source title."
    list_select_related = ["speaker", "source"]
    raw_id_fields = ["speaker", "source"]
    fields = ["speaker", "role", "source", "quote", "start", "end", "attribution", "cue"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[AttributedStatement]:
        return super().get_queryset(request).defer("source__text")

    @admin.display(description="statement")
    def quote_short(self, obj: AttributedStatement) -> str:
        return short(obj.quote, 80)
