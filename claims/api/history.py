"""A claim's change history (django-simple-history), as the API shows it."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from claims.models import Claim, ClaimState, Confidence, Priority, Rating

# The fields of a claim's historical record the API shows, in order.
SNAPSHOT_FIELDS = (
    "statement",
    "priority",
    "state",
    "required_reviews",
    "review_round",
    "consensus_rating",
    "consensus_confidence",
    "agreement",
    "published_at",
)
VERDICT_FIELDS = ("consensus_rating", "consensus_confidence", "agreement")
CHANGE_KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def claim_history(claim: Claim, *, verdict_visible: bool) -> list[dict[str, Any]]:
    """Every historical record of the claim, oldest first, each with the fields that changed
    since the one before. One query; the verdict fields are blanked when ``verdict_visible``
    is false, in the snapshots and in the lists of changes alike."""
    records = claim.history.select_related("history_user").order_by("history_date", "history_id")
    rows: list[dict[str, Any]] = []
    previous: dict[str, Any] | None = None
    for record in records:
        snapshot = {name: getattr(record, name) for name in SNAPSHOT_FIELDS}
        if not verdict_visible:
            snapshot.update(dict.fromkeys(VERDICT_FIELDS))
        changed = (
            [name for name in SNAPSHOT_FIELDS if snapshot[name] != previous[name]]
            if previous is not None
            else []
        )
        rows.append(
            {
                "id": record.history_id,
                "date": record.history_date,
                "type": CHANGE_KINDS.get(record.history_type, record.history_type),
                "user": record.history_user.get_username() if record.history_user else None,
                "changed": changed,
                **snapshot,
                # No verdict yet reads as null, as on the claim itself.
                "consensus_rating": snapshot["consensus_rating"] or None,
                "consensus_confidence": snapshot["consensus_confidence"] or None,
            }
        )
        previous = snapshot
    return rows


class ClaimHistoryRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateTimeField()
    type = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    user = serializers.CharField(allow_null=True, help_text="Null when the system acted.")
    changed = serializers.ListField(
        child=serializers.CharField(), help_text="Fields that differ from the record before."
    )
    statement = serializers.CharField()
    priority = serializers.ChoiceField(choices=Priority.choices)
    state = serializers.ChoiceField(choices=ClaimState.choices)
    required_reviews = serializers.IntegerField()
    review_round = serializers.IntegerField()
    consensus_rating = serializers.ChoiceField(choices=Rating.choices, allow_null=True)
    consensus_confidence = serializers.ChoiceField(choices=Confidence.choices, allow_null=True)
    agreement = serializers.FloatField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
