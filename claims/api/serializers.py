"""Claims, sources, speakers and topics as the API shows them, and the input each write takes.

Output and input are separate serializers: output serializers only read (the views annotate
and prefetch what they show), input serializers only check the shape of a request and turn it
into the arguments of a service in ``claims.services``, which applies the rules.

A claim and its parts are written by their serializers' ``to_representation`` from the
instance directly, value by value: DRF's generic path (a bound field per value, nested
serializers' fields built for every page) cost several times what the rows themselves did on a
page of 50 claims (``bench/``). The declared fields are what the OpenAPI schema says, and
``tests/api/test_claim_serializer.py`` checks the rows against DRF's generic output for them.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import (
    Appearance,
    Attribution,
    Claim,
    Confidence,
    Period,
    Priority,
    Quantity,
    QuantityKind,
    Rating,
    Source,
    SourceKind,
    Speaker,
    SpeakerKind,
    Topic,
)
from claims.services import AppearanceData, QuantityData
from config.api.fields import InputSerializer, NumberField, username_field
from verification.api.moves import ClaimMove, claim_moves_for
from verification.roles import is_editor

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


_SPEAKER, _QUANTITY, _APPEARANCE = SpeakerSerializer(), QuantitySerializer(), AppearanceSerializer()


class ClaimSerializer(serializers.ModelSerializer):
    """A claim with where it appeared, its figures, its state, and — when the caller may see it
    (blind review) — its consensus verdict; ``transitions`` lists the workflow endpoints the
    caller may call on it now."""

    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    quantities = QuantitySerializer(many=True, read_only=True)
    appearances = AppearanceSerializer(many=True, read_only=True)
    submitted_by = username_field()
    published_by = username_field()
    verdict_visible = serializers.BooleanField(
        read_only=True,
        help_text="False while the caller may not see the verdict (a reviewer whose own review "
        "of this round is not in); the consensus fields are then null.",
    )
    consensus_rating = serializers.ChoiceField(
        choices=Rating.choices, allow_null=True, read_only=True
    )
    consensus_confidence = serializers.ChoiceField(
        choices=Confidence.choices, allow_null=True, read_only=True
    )
    agreement = serializers.FloatField(
        allow_null=True,
        read_only=True,
        help_text="Krippendorff's alpha (ordinal) of this round's reviews; null with fewer "
        "than two firm ratings, or when the verdict is hidden from the caller.",
    )
    published_rating = serializers.ChoiceField(
        choices=Rating.choices,
        allow_null=True,
        read_only=True,
        help_text="The rating the signing editor published (the consensus unless they "
        "overruled it); null until published.",
    )
    published_summary = serializers.CharField(
        read_only=True, help_text="The summary for readers published with the verdict."
    )
    transitions = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "statement",
            "priority",
            "state",
            "checkworthiness",
            "topics",
            "quantities",
            "appearances",
            "submitted_by",
            "required_reviews",
            "review_round",
            "verdict_visible",
            "consensus_rating",
            "consensus_confidence",
            "agreement",
            "published_at",
            "published_by",
            "published_rating",
            "published_summary",
            "created_at",
            "updated_at",
            "transitions",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(ClaimMove.choices)))
    def get_transitions(self, claim: Claim) -> list[str]:
        return claim_moves_for(self.context["request"].user, claim, editor=self._caller_is_editor)

    @cached_property
    def _caller_is_editor(self) -> bool:
        # Once per serializer, i.e. once per page: a list serializes every row with one child.
        return is_editor(self.context["request"].user)

    def to_representation(self, claim: Claim) -> dict[str, Any]:
        """The fields above, the verdict hidden as blind review says; from a claim of the
        claim views' query (``claims.selectors.claim_list``, annotated for the caller, its parts
        prefetched into lists)."""
        visible = claim.verdict_visible
        return {
            "id": claim.pk,
            "statement": claim.statement,
            "priority": claim.priority,
            "state": claim.state,
            "checkworthiness": claim.checkworthiness,
            "topics": [topic.slug for topic in claim.shown_topics],
            "quantities": [_QUANTITY.to_representation(q) for q in claim.shown_quantities],
            "appearances": [_APPEARANCE.to_representation(a) for a in claim.shown_appearances],
            "submitted_by": claim.submitted_by_username,
            "required_reviews": claim.required_reviews,
            "review_round": claim.review_round,
            "verdict_visible": None if visible is None else bool(visible),
            # No consensus yet is null too, not an empty string.
            "consensus_rating": (claim.consensus_rating or None) if visible else None,
            "consensus_confidence": (claim.consensus_confidence or None) if visible else None,
            "agreement": claim.agreement if visible else None,
            "published_at": _time(claim.published_at),
            "published_by": claim.published_by_username,
            "published_rating": claim.published_rating or None,
            "published_summary": claim.published_summary,
            "created_at": _time(claim.created_at),
            "updated_at": _time(claim.updated_at),
            "transitions": self.get_transitions(claim),
        }


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
