"""The claim resource's row: the claim (``claims``'), the verdict the caller may see (blind
review) and the moves the caller may make on it now (``verification``'s)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.serializers import AppearanceSerializer, QuantitySerializer, _time
from claims.models import Claim, Confidence, Rating
from claims.roles import is_editor
from config.api.fields import username_field
from verification.api.moves import ClaimMove, claim_moves_for

_QUANTITY, _APPEARANCE = QuantitySerializer(), AppearanceSerializer()


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
            "language",
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
        """The fields above, the verdict hidden as blind review says, from a claim of the claim
        views' query (``claims.selectors.claim_list``, annotated for the caller)."""
        visible = claim.verdict_visible
        return {
            "id": claim.pk,
            "statement": claim.statement,
            "priority": claim.priority,
            "state": claim.state,
            "checkworthiness": claim.checkworthiness,
            "language": claim.language,
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
