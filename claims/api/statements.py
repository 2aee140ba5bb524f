"""``GET /api/v1/statements/``: every sentence a source attributes to a speaker, claim or not
(``?speaker=``, ``?source=``); ingestion writes them (``statements_record``)."""

from __future__ import annotations

import django_filters as filters
from django.db.models import OuterRef, QuerySet, Subquery
from rest_framework import mixins, serializers, viewsets

from claims.api.serializers import SpeakerSerializer
from claims.models import Appearance, AttributedStatement, Attribution
from config.api.filters import IdFilter


class AttributedStatementSerializer(serializers.ModelSerializer):
    speaker = SpeakerSerializer(read_only=True)
    source_title = serializers.CharField(source="source.title", read_only=True)
    claim = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The claim made from this sentence, if any."
    )

    class Meta:
        model = AttributedStatement
        fields = [
            "id",
            "speaker",
            "role",
            "source",
            "source_title",
            "quote",
            "start",
            "end",
            "attribution",
            "cue",
            "quoted",
            "claim",
            "created_at",
        ]
        read_only_fields = fields


class StatementFilter(filters.FilterSet):
    speaker = IdFilter(field_name="speaker_id", label="Speaker id.")
    source = IdFilter(field_name="source_id", label="Source id.")
    attribution = filters.ChoiceFilter(choices=Attribution.choices)

    class Meta:
        model = AttributedStatement
        fields: list[str] = []


class AttributedStatementViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """What speakers said in the desk's sources, each sentence with its speaker and span."""

    serializer_class = AttributedStatementSerializer
    filterset_class = StatementFilter
    ordering_fields = ["id", "start", "created_at"]
    ordering = ["source_id", "start"]

    def get_queryset(self) -> QuerySet[AttributedStatement]:
        claim = Appearance.objects.filter(
            source=OuterRef("source"), start=OuterRef("start"), end=OuterRef("end")
        ).values("claim_id")[:1]
        return (
            AttributedStatement.objects.select_related("speaker", "source")
            .defer("source__text")
            .annotate(claim=Subquery(claim))
            .order_by("source_id", "start", "id")
        )
