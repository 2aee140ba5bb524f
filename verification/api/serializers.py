"""Evidence, reviews, assignments, reviewer profiles, workflow events and desk figures as the
API shows them, and the input each write takes (checked for shape here, for rules in
``verification.services``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import Claim, ClaimState, Confidence, Rating, Topic
from config.api.fields import InputSerializer, username_field
from verification.api.moves import AssignmentMove, assignment_moves_for
from verification.models import (
    Assignment,
    Availability,
    Evidence,
    InformationCredibility,
    Review,
    ReviewerProfile,
    SourceReliability,
    Stance,
    WorkflowEvent,
)
from verification.models.assignments import ASSIGNMENT_RECORD_FIELDS
from verification.models.reviews import REVIEW_RECORD_FIELDS


class EvidenceSerializer(serializers.ModelSerializer):
    added_by = username_field()
    grade = serializers.CharField(read_only=True, help_text='The Admiralty code, e.g. "B2".')

    class Meta:
        model = Evidence
        fields = [
            "id",
            "claim",
            "url",
            "document_ref",
            "title",
            "publisher",
            "excerpt",
            "stance",
            "source_reliability",
            "credibility",
            "grade",
            "origin_key",
            "added_by",
            "created_at",
        ]


class EvidenceInputSerializer(InputSerializer):
    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())
    title = serializers.CharField(max_length=500)
    stance = serializers.ChoiceField(choices=Stance.choices)
    source_reliability = serializers.ChoiceField(
        choices=SourceReliability.choices, help_text="Admiralty A–F."
    )
    credibility = serializers.ChoiceField(
        choices=InformationCredibility.choices, help_text="Admiralty 1–6."
    )
    url = serializers.URLField(max_length=2000, allow_blank=True, default="")
    document_ref = serializers.CharField(
        max_length=300, allow_blank=True, default="", help_text="When there is no URL."
    )
    publisher = serializers.CharField(max_length=200, allow_blank=True, default="")
    excerpt = serializers.CharField(allow_blank=True, default="")
    origin_key = serializers.CharField(
        max_length=300,
        allow_blank=True,
        default="",
        help_text="Reprints of one story share a key; derived from the URL when empty.",
    )


class ReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True)
    evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Review
        fields = ["id", *REVIEW_RECORD_FIELDS, "evidence", "created_at"]


class ReviewInputSerializer(InputSerializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    confidence = serializers.ChoiceField(choices=Confidence.choices)
    rationale = serializers.CharField(help_text="Why, citing the evidence.")
    evidence = serializers.PrimaryKeyRelatedField(
        queryset=Evidence.objects.all(),
        many=True,
        default=list,
        help_text="Evidence ids of the same claim; a firm rating needs at least one.",
    )


class ReviewCreateSerializer(ReviewInputSerializer):
    """POST /reviews/: the assignment the review is for (one of the caller's)."""

    assignment = serializers.PrimaryKeyRelatedField(queryset=Assignment.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignments = self.context.get("assignments")
        if assignments is not None:
            self.fields["assignment"].queryset = assignments


class AssignmentSerializer(serializers.ModelSerializer):
    claim_statement = serializers.CharField(source="claim.statement", read_only=True)
    claim_state = serializers.ChoiceField(
        source="claim.state", choices=ClaimState.choices, read_only=True
    )
    reviewer_username = serializers.CharField(source="reviewer.username", read_only=True)
    assigned_by = username_field()
    overdue = serializers.SerializerMethodField()
    transitions = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "claim",
            "claim_statement",
            "claim_state",
            "reviewer",
            "reviewer_username",
            "review_round",
            "state",
            "due_at",
            "overdue",
            *ASSIGNMENT_RECORD_FIELDS,
            "transitions",
        ]

    def get_overdue(self, assignment: Assignment) -> bool:
        return assignment.is_overdue()

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(AssignmentMove.choices))
    )
    def get_transitions(self, assignment: Assignment) -> list[str]:
        return assignment_moves_for(self.context["request"].user, assignment)


class DeclineSerializer(InputSerializer):
    reason = serializers.CharField(allow_blank=True, default="")


class WithdrawSerializer(InputSerializer):
    reason = serializers.CharField(help_text="Why it is taken back (required).")


class ReviewerProfileSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    expertise = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    open_assignments = serializers.IntegerField(read_only=True)

    class Meta:
        model = ReviewerProfile
        fields = [
            "id",
            "user",
            "username",
            "capacity",
            "availability",
            "reminders_enabled",
            "expertise",
            "open_assignments",
        ]


class ReviewerProfileInputSerializer(InputSerializer):
    """What a reviewer (their own) or an editor (anyone's) may change; PATCH any, PUT all."""

    capacity = serializers.IntegerField(min_value=1, max_value=32767)
    availability = serializers.ChoiceField(choices=Availability.choices)
    reminders_enabled = serializers.BooleanField()
    expertise = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), many=True
    )


class ReviewerProfileCreateSerializer(ReviewerProfileInputSerializer):
    user = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())
    capacity = serializers.IntegerField(min_value=1, max_value=32767, default=3)
    availability = serializers.ChoiceField(
        choices=Availability.choices, default=Availability.AVAILABLE
    )
    reminders_enabled = serializers.BooleanField(default=True)
    expertise = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), many=True, default=list
    )

    def validate_user(self, user: Any) -> Any:
        if ReviewerProfile.objects.filter(user=user).exists():
            raise serializers.ValidationError(f"{user.get_username()} already has a profile.")
        return user


class WorkflowEventSerializer(serializers.ModelSerializer):
    actor = username_field("Null when the system acted.")

    class Meta:
        model = WorkflowEvent
        fields = [
            "id",
            "claim",
            "assignment",
            "actor",
            "action",
            "from_state",
            "to_state",
            "note",
            "created_at",
        ]


ClaimCountsSerializer = type(
    "ClaimCountsSerializer",
    (serializers.Serializer,),
    {state.value: serializers.IntegerField() for state in ClaimState},
)


class DeskStatsSerializer(serializers.Serializer):
    claims_by_state = ClaimCountsSerializer()
    open_assignments = serializers.IntegerField()
    overdue_assignments = serializers.IntegerField()
    claims_with_overdue_work = serializers.IntegerField()
    desk_agreement = serializers.FloatField(
        allow_null=True,
        help_text="Krippendorff's alpha (ordinal) over every claim's current-round firm "
        "ratings; null with too few ratings to compare.",
    )
