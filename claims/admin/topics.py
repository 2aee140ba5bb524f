"""Topics, with how many claims and experts each has."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from claims.admin.base import DeskAdmin
from claims.models import Topic


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
