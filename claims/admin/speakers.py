"""Speakers, with their aliases and everything each said; a new speaker goes through
``speaker_get_or_create``, one row per name and role. Attributed statements are listed on their
own (read-only: ingestion writes them), filtered by speaker from a speaker's row."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from claims import services as claim_services
from claims.admin.base import DeskAdmin, ReadOnlyAdminMixin, ReadOnlyInline, adopt, short
from claims.models import AttributedStatement, Speaker, SpeakerAlias


class SpeakerAliasInline(ReadOnlyInline):
    model = SpeakerAlias
    fields = ["key", "kind"]
    show_change_link = False
    verbose_name_plural = "names this speaker is matched by (across articles)"


@admin.register(Speaker)
class SpeakerAdmin(DeskAdmin):
    list_display = ["name", "kind", "role", "appearance_count", "statement_count"]
    list_filter = ["kind"]
    search_fields = ["name", "role", "aliases__key"]
    search_help_text = "Search name, role or alias."
    inlines = [SpeakerAliasInline]

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

    def save_model(self, request: HttpRequest, obj: Speaker, form: Any, change: bool) -> None:
        if change:
            obj.save()
        else:
            speaker = claim_services.speaker_get_or_create(
                name=obj.name, role=obj.role, kind=obj.kind
            )
            adopt(obj, speaker)


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
