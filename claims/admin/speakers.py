"""Speakers: a new one goes through ``speaker_get_or_create``, one row per name and role."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from claims import services as claim_services
from claims.admin.base import DeskAdmin, adopt
from claims.models import Speaker


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
            adopt(obj, speaker)
