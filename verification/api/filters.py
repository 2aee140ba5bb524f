"""List filters for evidence, reviews, assignments, reviewer profiles and workflow events."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Model, QuerySet
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


def filter_meta(model: type[Model]) -> type:
    """A filter set's ``Meta``: the model (whose fields label the filters), and no filters but
    those declared."""
    return type("Meta", (), {"model": model, "fields": []})


class ClaimRowFilter(filters.FilterSet):
    """What a list of claims' rows (evidence, reviews, assignments, events) is filtered by:
    the claim, and when the row was made."""

    claim = IdFilter(field_name="claim_id")
    created = filters.DateFromToRangeFilter(field_name="created_at")


class EvidenceFilter(ClaimRowFilter):
    stance = filters.MultipleChoiceFilter(choices=Stance.choices)
    source_reliability = filters.MultipleChoiceFilter(choices=SourceReliability.choices)
    credibility = filters.MultipleChoiceFilter(choices=InformationCredibility.choices)
    added_by = IdFilter(field_name="added_by_id", label="User id.")

    Meta = filter_meta(Evidence)


class ReviewFilter(ClaimRowFilter):
    reviewer = IdFilter(field_name="reviewer_id", label="User id.")
    rating = filters.MultipleChoiceFilter(choices=Rating.choices)
    confidence = filters.MultipleChoiceFilter(choices=Confidence.choices)
    review_round = IdFilter(label="Review round (1, 2, …).")

    Meta = filter_meta(Review)


class AssignmentFilter(ClaimRowFilter):
    reviewer = IdFilter(field_name="reviewer_id", label="User id.")
    state = filters.MultipleChoiceFilter(choices=AssignmentState.choices)
    overdue = StrictBooleanFilter(method="filter_overdue", label="Open and past its due date.")
    due = filters.DateFromToRangeFilter(field_name="due_at")

    Meta = filter_meta(Assignment)

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

    Meta = filter_meta(ReviewerProfile)


class WorkflowEventFilter(ClaimRowFilter):
    assignment = IdFilter(field_name="assignment_id")
    action = filters.MultipleChoiceFilter(choices=WorkflowAction.choices)
    actor = IdFilter(field_name="actor_id", label="User id.")

    Meta = filter_meta(WorkflowEvent)
