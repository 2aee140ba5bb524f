"""Reviewer profiles: availability, capacity and expertise, saved through the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from claims.admin.base import HistoryAdmin
from verification.models import OPEN_ASSIGNMENT_STATES, ReviewerProfile
from verification.services.reviewers import reviewer_profile_save


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(HistoryAdmin):
    list_display = [
        "user",
        "availability",
        "capacity",
        "open_assignments",
        "expertise_names",
        "reminders_enabled",
    ]
    list_filter = ["availability", "expertise", "reminders_enabled"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    search_help_text = "Search username, email or name."
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    # Topics are few: a labelled checkbox list, where select2's multi-select search box has no
    # label a screen reader could announce.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReviewerProfile]:
        open_work = Q(user__assignments__state__in=OPEN_ASSIGNMENT_STATES)
        return (
            super()
            .get_queryset(request)
            .prefetch_related("expertise")
            .annotate(open_count=Count("user__assignments", filter=open_work, distinct=True))
        )

    @admin.display(description="open assignments", ordering="open_count")
    def open_assignments(self, obj: ReviewerProfile) -> int:
        return obj.open_count

    def save_model(
        self, request: HttpRequest, obj: ReviewerProfile, form: Any, change: bool
    ) -> None:
        # Through the service: a reviewer back from away gets the waiting claims.
        reviewer_profile_save(actor=request.user, profile=obj)

    @admin.display(description="expertise")
    def expertise_names(self, obj: ReviewerProfile) -> str:
        return ", ".join(topic.name for topic in obj.expertise.all()) or "—"
