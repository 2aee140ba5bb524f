"""Claims, sources, speakers and topics as the API shows them, and the input each write takes.

Output serializers only read; input serializers check a request's shape and turn it into a
service's arguments. A claim's parts are written by ``to_representation`` value by value: DRF's
generic path cost several times the rows themselves on a page of 50 claims (``bench/``); the
declared fields are the schema's, and ``tests/api/test_claim_serializer.py`` checks the two agree.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from claims.models import (
    Appearance,
    Attribution,
    Period,
    Priority,
    Quantity,
    QuantityKind,
    Source,
    SourceKind,
    Speaker,
    SpeakerKind,
    Topic,
)
from claims.services import AppearanceData, QuantityData
from config.api.fields import InputSerializer, NumberField, username_field

# --- Topics, speakers, sources --------------------------------------------------------------


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "slug", "name"]
        read_only_fields = ["slug"]


class TopicInputSerializer(InputSerializer):
    # 80, not the name's 120: the slug made from the name has room for 80 characters.
    name = serializers.CharField(max_length=80)


class SpeakerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["id", "name", "kind", "role"]

    def to_representation(self, speaker: Speaker) -> dict[str, Any]:
        return {"id": speaker.pk, "name": speaker.name, "kind": speaker.kind, "role": speaker.role}


class SpeakerInputSerializer(InputSerializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=SpeakerKind.choices, default=SpeakerKind.PERSON)
    role = serializers.CharField(max_length=300, allow_blank=True, default="")


class SourceSerializer(serializers.ModelSerializer):
    """A source in a list: everything but its text."""

    created_by = username_field()

    class Meta:
        model = Source
        fields = [
            "id",
            "kind",
            "url",
            "title",
            "publisher",
            "author",
            "published_on",
            "language",
            "content_hash",
            "created_at",
            "created_by",
        ]


class SourceDetailSerializer(SourceSerializer):
    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "text"]


class SourceInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=500)
    text = serializers.CharField(
        allow_blank=True,
        default="",
        trim_whitespace=False,
        help_text="The full text; appearances quote spans of it. The same text (ignoring line "
        "wrapping) is stored once: posting it again returns the stored source.",
    )
    url = serializers.URLField(max_length=2000, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=SourceKind.choices, default=SourceKind.ARTICLE)
    publisher = serializers.CharField(max_length=200, allow_blank=True, default="")
    author = serializers.CharField(max_length=200, allow_blank=True, default="")
    published_on = serializers.DateField(allow_null=True, default=None)
    language = serializers.CharField(max_length=16, default="en")


# --- Claims ---------------------------------------------------------------------------------


# How the rows below write times and figures: as DRF's fields for the models' columns do.
_TIME = serializers.DateTimeField(read_only=True)
_VALUE = serializers.DecimalField(max_digits=24, decimal_places=6, read_only=True)


def _time(value: Any) -> str | None:
    return None if value is None else _TIME.to_representation(value)


class QuantitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Quantity
        fields = ["id", "kind", "value", "unit", "period", "approximate", "text"]

    def to_representation(self, quantity: Quantity) -> dict[str, Any]:
        return {
            "id": quantity.pk,
            "kind": quantity.kind,
            "value": _VALUE.to_representation(quantity.value),
            "unit": quantity.unit,
            "period": quantity.period,
            "approximate": quantity.approximate,
            "text": quantity.text,
        }


class AppearanceSerializer(serializers.ModelSerializer):
    speaker = SpeakerSerializer(read_only=True, allow_null=True)
    source_title = serializers.CharField(source="source.title", read_only=True)

    class Meta:
        model = Appearance
        fields = [
            "id",
            "source",
            "source_title",
            "quote",
            "start",
            "end",
            "speaker",
            "attribution",
            "note",
            "created_at",
        ]

    def to_representation(self, appearance: Appearance) -> dict[str, Any]:
        speaker = appearance.speaker
        return {
            "id": appearance.pk,
            "source": appearance.source_id,
            "source_title": appearance.source.title,
            "quote": appearance.quote,
            "start": appearance.start,
            "end": appearance.end,
            "speaker": None if speaker is None else _SPEAKER.to_representation(speaker),
            "attribution": appearance.attribution,
            "note": appearance.note,
            "created_at": _time(appearance.created_at),
        }


_SPEAKER = SpeakerSerializer()


class QuantityInputSerializer(InputSerializer):
    value = NumberField(max_digits=24, decimal_places=6)
    unit = serializers.CharField(max_length=40, help_text='"USD", "people", "months", "%".')
    kind = serializers.ChoiceField(choices=QuantityKind.choices, default=QuantityKind.COUNT)
    period = serializers.ChoiceField(choices=Period.choices, allow_blank=True, default="")
    approximate = serializers.BooleanField(default=False)
    text = serializers.CharField(max_length=200, allow_blank=True, default="")

    def to_data(self, validated: dict[str, Any]) -> QuantityData:
        return QuantityData(**validated)


class AppearanceInputSerializer(InputSerializer):
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())
    quote = serializers.CharField(trim_whitespace=False, help_text="Verbatim, as in the source.")
    start = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text="Offset of the quote in the source's text. When omitted, the quote's only "
        "occurrence in the text is used (a quote found twice needs it).",
    )
    speaker = serializers.PrimaryKeyRelatedField(
        queryset=Speaker.objects.all(), allow_null=True, default=None
    )
    attribution = serializers.ChoiceField(choices=Attribution.choices, default=Attribution.REPORTED)
    note = serializers.CharField(allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "start" not in attrs:
            text, quote = attrs["source"].text, attrs["quote"]
            found = text.count(quote) if quote else 0
            if found == 0:
                raise serializers.ValidationError({"quote": "The source's text has no such quote."})
            if found > 1:
                raise serializers.ValidationError(
                    {"start": f"The quote occurs {found} times in the source; say which (start)."}
                )
            attrs["start"] = text.index(quote)
        return attrs

    def to_data(self, validated: dict[str, Any]) -> AppearanceData:
        return AppearanceData(**validated)


class ClaimCreateSerializer(InputSerializer):
    statement = serializers.CharField(help_text="The claim in neutral words.")
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    topics = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), many=True, default=list
    )
    checkworthiness = serializers.FloatField(
        min_value=0, max_value=1, allow_null=True, default=None
    )
    quantities = QuantityInputSerializer(many=True, default=list)
    appearances = AppearanceInputSerializer(many=True, default=list)

    def service_arguments(self) -> dict[str, Any]:
        """``claim_create``'s keyword arguments (all but the actor)."""
        data = dict(self.validated_data)
        quantity, appearance = QuantityInputSerializer(), AppearanceInputSerializer()
        data["quantities"] = [quantity.to_data(item) for item in data["quantities"]]
        data["appearances"] = [appearance.to_data(item) for item in data["appearances"]]
        return data


class ClaimUpdateSerializer(InputSerializer):
    """What an editor may change on a claim; a PATCH sends any of it, a PUT all of it."""

    statement = serializers.CharField()
    priority = serializers.ChoiceField(choices=Priority.choices)
    topics = serializers.SlugRelatedField(
        slug_field="slug", queryset=Topic.objects.all(), many=True
    )
