"""List filters for evidence, reviews, assignments, reviewer profiles and workflow events."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.utils import timezone

from claims.models import Confidence, Rating, Topic
from config.api.filters import IdFilter, StrictBooleanFilter
from verification.models import (
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    AssignmentState,
    Availability,
    Evidence,
    InformationCredibility,
    Review,
    ReviewerProfile,
    SourceReliability,
    Stance,
    WorkflowAction,
    WorkflowEvent,
)


class EvidenceFilter(filters.FilterSet):
    claim = IdFilter(field_name="claim_id")
    stance = filters.MultipleChoiceFilter(choices=Stance.choices)
    source_reliability = filters.MultipleChoiceFilter(choices=SourceReliability.choices)
    credibility = filters.MultipleChoiceFilter(choices=InformationCredibility.choices)
    added_by = IdFilter(field_name="added_by_id", label="User id.")
    created = filters.DateFromToRangeFilter(field_name="created_at")

    class Meta:
        model = Evidence
        fields: list[str] = []


class ReviewFilter(filters.FilterSet):
    claim = IdFilter(field_name="claim_id")
    reviewer = IdFilter(field_name="reviewer_id", label="User id.")
    rating = filters.MultipleChoiceFilter(choices=Rating.choices)
    confidence = filters.MultipleChoiceFilter(choices=Confidence.choices)
    review_round = IdFilter(label="Review round (1, 2, …).")
    created = filters.DateFromToRangeFilter(field_name="created_at")

    class Meta:
        model = Review
        fields: list[str] = []


class AssignmentFilter(filters.FilterSet):
    claim = IdFilter(field_name="claim_id")
    reviewer = IdFilter(field_name="reviewer_id", label="User id.")
    state = filters.MultipleChoiceFilter(choices=AssignmentState.choices)
    overdue = StrictBooleanFilter(method="filter_overdue", label="Open and past its due date.")
    due = filters.DateFromToRangeFilter(field_name="due_at")
    created = filters.DateFromToRangeFilter(field_name="created_at")

    class Meta:
        model = Assignment
        fields: list[str] = []

    def filter_overdue(self, assignments: QuerySet[Assignment], name: str, value: Any) -> Any:
        if value is None:
            return assignments
        late = {"state__in": OPEN_ASSIGNMENT_STATES, "due_at__lt": timezone.now()}
        return assignments.filter(**late) if value else assignments.exclude(**late)


class ReviewerProfileFilter(filters.FilterSet):
    availability = filters.ChoiceFilter(choices=Availability.choices)
    expertise = filters.ModelChoiceFilter(
        field_name="expertise",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        label="Topic slug.",
    )

    class Meta:
        model = ReviewerProfile
        fields: list[str] = []


class WorkflowEventFilter(filters.FilterSet):
    claim = IdFilter(field_name="claim_id")
    assignment = IdFilter(field_name="assignment_id")
    action = filters.MultipleChoiceFilter(choices=WorkflowAction.choices)
    actor = IdFilter(field_name="actor_id", label="User id.")
    created = filters.DateFromToRangeFilter(field_name="created_at")

    class Meta:
        model = WorkflowEvent
        fields: list[str] = []
