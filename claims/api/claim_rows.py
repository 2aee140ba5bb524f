"""A claim as the API shows it, built as a plain dict rather than field by field.

DRF's generic path (a field object, ``get_attribute`` and ``to_representation`` per value, a
nested serializer per figure and appearance) was most of the cost of a page of 50 claims
(``bench/``: the list's p95 grew 3.6-fold from 5 to 50 claims with the same queries). This
builds the same output directly from the claim's values (:data:`CLAIM_VALUES`: a list reads
them with ``QuerySet.values``, without making a model instance per claim) and its parts
(:func:`claims.selectors.claim_parts`); only the values DRF formats (times, the figures'
decimals) still go through the serializer's own fields. ``ClaimSerializer`` declares the fields
(and so the OpenAPI schema); ``tests/api/test_claim_list_fields.py`` checks that the output
here is byte for byte DRF's own, for claims in every state and every role.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from claims.models import Claim
from claims.selectors import ClaimParts, ListedAppearance, ListedQuantity

Format = Callable[[Any], Any]

# What a row reads of the claim itself: its fields and the annotations of the claim views
# (``claims.selectors.claim_rows`` and the caller's ``verdict_visible``). The workflow moves
# also read ``reviewed_by_caller`` where the query has it.
CLAIM_VALUES = (
    "id",
    "statement",
    "priority",
    "state",
    "checkworthiness",
    "submitted_by_username",
    "required_reviews",
    "review_round",
    "verdict_visible",
    "consensus_rating",
    "consensus_confidence",
    "agreement",
    "published_at",
    "published_by_username",
    "published_rating",
    "published_summary",
    "created_at",
    "updated_at",
)
REVIEWED_BY_CALLER = "reviewed_by_caller"


def claim_values(claim: Claim) -> dict[str, Any]:
    """A claim instance's :data:`CLAIM_VALUES` (and ``reviewed_by_caller`` where annotated),
    as ``QuerySet.values`` gives them for a page."""
    values = {name: getattr(claim, name) for name in CLAIM_VALUES}
    if hasattr(claim, REVIEWED_BY_CALLER):
        values[REVIEWED_BY_CALLER] = getattr(claim, REVIEWED_BY_CALLER)
    return values


@dataclass(frozen=True)
class RowFormats:
    """How the values DRF formats are written, as the claim serializer's fields write them."""

    created_at: Format
    updated_at: Format
    published_at: Format
    quantity_value: Format
    appearance_created_at: Format

    @classmethod
    def of(cls, fields: Mapping[str, serializers.Field]) -> RowFormats:
        """From a claim serializer's fields; times in the time zone active now (a page's).

        Fields that write times alike share what they wrote: a claim made with its
        appearances, or a batch of claims imported together, repeats the same few times.
        """
        quantity = fields["quantities"].child.fields
        appearance = fields["appearances"].child.fields
        written: dict[tuple[Any, ...], Format] = {}
        return cls(
            created_at=iso_datetime(fields["created_at"], written),
            updated_at=iso_datetime(fields["updated_at"], written),
            published_at=iso_datetime(fields["published_at"], written),
            quantity_value=quantity["value"].to_representation,
            appearance_created_at=iso_datetime(appearance["created_at"], written),
        )


def iso_datetime(
    field: serializers.DateTimeField, shared: dict[tuple[Any, ...], Format] | None = None
) -> Format:
    """``field.to_representation`` with the time zone looked up once instead of per value
    (the look-up was a tenth of a page's cost), and each distinct time written once. Anything
    but an aware time in ISO 8601 goes through the field itself.

    ``shared`` holds the formats made so far, by output format and time zone: fields that
    write alike get the same one, and so share the times it has written."""
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if output_format is None or output_format.lower() != ISO_8601 or zone is None:
        return field.to_representation
    key = (ISO_8601, zone)
    if shared is not None and key in shared:
        return shared[key]
    written: dict[dt.datetime, str] = {}

    def represent(value: Any) -> Any:
        # Only aware times are written down, and nothing else is equal to one.
        text = written.get(value) if isinstance(value, dt.datetime) else None
        if text is not None:
            return text
        if not isinstance(value, dt.datetime) or value.utcoffset() is None:
            return field.to_representation(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return field.to_representation(value)  # which says so, as DRF does
        if text.endswith("+00:00"):
            text = text[:-6] + "Z"
        written[value] = text
        return text

    if shared is not None:
        shared[key] = represent
    return represent


def claim_fields(
    claim: Mapping[str, Any], parts: ClaimParts, formats: RowFormats, transitions: list[str]
) -> dict[str, Any]:
    """``ModelSerializer.to_representation`` of the claim serializer's fields, before blind
    review hides anything, from the claim's :data:`CLAIM_VALUES` and parts."""
    value, appeared = formats.quantity_value, formats.appearance_created_at
    published_at, created_at, updated_at = (
        claim["published_at"],
        claim["created_at"],
        claim["updated_at"],
    )
    verdict_visible = claim["verdict_visible"]
    return {
        "id": claim["id"],
        "statement": claim["statement"],
        "priority": claim["priority"],
        "state": claim["state"],
        "checkworthiness": claim["checkworthiness"],
        "topics": parts.topics,
        "quantities": [_quantity(quantity, value) for quantity in parts.quantities],
        "appearances": [_appearance(appearance, appeared) for appearance in parts.appearances],
        "submitted_by": claim["submitted_by_username"],
        "required_reviews": claim["required_reviews"],
        "review_round": claim["review_round"],
        # DRF writes null for a null value without asking the field.
        "verdict_visible": None if verdict_visible is None else bool(verdict_visible),
        "consensus_rating": claim["consensus_rating"],
        "consensus_confidence": claim["consensus_confidence"],
        "agreement": claim["agreement"],
        "published_at": None if published_at is None else formats.published_at(published_at),
        "published_by": claim["published_by_username"],
        "published_rating": claim["published_rating"],
        "published_summary": claim["published_summary"],
        "created_at": None if created_at is None else formats.created_at(created_at),
        "updated_at": None if updated_at is None else formats.updated_at(updated_at),
        "transitions": transitions,
    }


def _quantity(quantity: ListedQuantity, value: Format) -> dict[str, Any]:
    amount = quantity.value
    return {
        "id": quantity.id,
        "kind": quantity.kind,
        "value": None if amount is None else value(amount),
        "unit": quantity.unit,
        "period": quantity.period,
        "approximate": quantity.approximate,
        "text": quantity.text,
    }


def _appearance(appearance: ListedAppearance, created_at: Format) -> dict[str, Any]:
    speaker, at = appearance.speaker, appearance.created_at
    return {
        "id": appearance.id,
        "source": appearance.source_id,
        "source_title": appearance.source_title,
        "quote": appearance.quote,
        "start": appearance.start,
        "end": appearance.end,
        "speaker": None
        if speaker is None
        else {"id": speaker.id, "name": speaker.name, "kind": speaker.kind, "role": speaker.role},
        "attribution": appearance.attribution,
        "note": appearance.note,
        "created_at": None if at is None else created_at(at),
    }
