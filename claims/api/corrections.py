"""``GET /api/v1/corrections/``: every change to a published verdict, newest first; read-only
(the changes are made through the claim's move endpoints)."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet
from rest_framework import mixins, serializers, viewsets

from claims.models import Correction, CorrectionKind
from claims.models.corrections import CORRECTION_CHANGE_FIELDS
from config.api.filters import IdFilter


class CorrectionSerializer(serializers.ModelSerializer):
    made_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    rating = serializers.CharField(
        read_only=True, help_text="The rating after the change; empty for a withdrawal."
    )

    class Meta:
        model = Correction
        fields = [
            "id",
            "claim",
            "kind",
            *CORRECTION_CHANGE_FIELDS,
            "made_by",
            "made_at",
        ]
        read_only_fields = fields


class CorrectionFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=CorrectionKind.choices)
    claim = IdFilter(field_name="claim_id", label="Claim id.")
    made_by = IdFilter(field_name="made_by_id", label="User id of the editor.")
    made = filters.IsoDateTimeFromToRangeFilter(
        field_name="made_at", label="When (made_after, made_before: ISO 8601)."
    )

    class Meta:
        model = Correction
        fields: list[str] = []


class CorrectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The desk's corrections, updates and withdrawals of published verdicts."""

    serializer_class = CorrectionSerializer
    filterset_class = CorrectionFilter
    ordering_fields = ["id", "made_at"]
    ordering = ["-made_at", "-id"]

    def get_queryset(self) -> QuerySet[Correction]:
        return Correction.objects.select_related("made_by").order_by("-made_at", "-id")
