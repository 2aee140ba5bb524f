"""A claim as the API shows it, built as a plain dict rather than field by field.

DRF's generic path (a field object, ``get_attribute`` and ``to_representation`` per value, a
nested serializer per figure and appearance) was most of the cost of a page of 50 claims
(``bench/``: the list's p95 grew 3.6-fold from 5 to 50 claims with the same queries). This
builds the same output directly from the claim and its parts
(:func:`claims.selectors.claims_with_parts`); only the values DRF formats (times, the figures'
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
from claims.selectors import ListedAppearance, ListedQuantity, claims_with_parts

Format = Callable[[Any], Any]


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
        """From a claim serializer's fields; times in the time zone active now (a page's)."""
        quantity = fields["quantities"].child.fields
        appearance = fields["appearances"].child.fields
        return cls(
            created_at=iso_datetime(fields["created_at"]),
            updated_at=iso_datetime(fields["updated_at"]),
            published_at=iso_datetime(fields["published_at"]),
            quantity_value=quantity["value"].to_representation,
            appearance_created_at=iso_datetime(appearance["created_at"]),
        )


def iso_datetime(field: serializers.DateTimeField) -> Format:
    """``field.to_representation`` with the time zone looked up once instead of per value
    (the look-up was a tenth of a page's cost). Anything but an aware time in ISO 8601 goes
    through the field itself."""
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if output_format is None or output_format.lower() != ISO_8601 or zone is None:
        return field.to_representation

    def represent(value: Any) -> Any:
        if not isinstance(value, dt.datetime) or value.utcoffset() is None:
            return field.to_representation(value)
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return field.to_representation(value)  # which says so, as DRF does
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return represent


def claim_fields(claim: Claim, formats: RowFormats, transitions: list[str]) -> dict[str, Any]:
    """``ModelSerializer.to_representation`` of the claim serializer's fields, before blind
    review hides anything. The claim needs the views' annotations (``verdict_visible``, and the
    usernames of :func:`claims.selectors.claim_rows`)."""
    parts = claims_with_parts([claim])[0].parts
    value, appeared = formats.quantity_value, formats.appearance_created_at
    return {
        "id": claim.pk,
        "statement": claim.statement,
        "priority": claim.priority,
        "state": claim.state,
        "checkworthiness": claim.checkworthiness,
        "topics": parts.topics,
        "quantities": [_quantity(quantity, value) for quantity in parts.quantities],
        "appearances": [_appearance(appearance, appeared) for appearance in parts.appearances],
        "submitted_by": claim.submitted_by_username,
        "required_reviews": claim.required_reviews,
        "review_round": claim.review_round,
        "verdict_visible": _or_none(claim.verdict_visible, bool),
        "consensus_rating": claim.consensus_rating,
        "consensus_confidence": claim.consensus_confidence,
        "agreement": claim.agreement,
        "published_at": _or_none(claim.published_at, formats.published_at),
        "published_by": claim.published_by_username,
        "published_rating": claim.published_rating,
        "published_summary": claim.published_summary,
        "created_at": _or_none(claim.created_at, formats.created_at),
        "updated_at": _or_none(claim.updated_at, formats.updated_at),
        "transitions": transitions,
    }


def _or_none(value: Any, formatted: Format) -> Any:
    # DRF writes null for a null value without asking the field.
    return None if value is None else formatted(value)


def _quantity(quantity: ListedQuantity, value: Format) -> dict[str, Any]:
    return {
        "id": quantity.id,
        "kind": quantity.kind,
        "value": _or_none(quantity.value, value),
        "unit": quantity.unit,
        "period": quantity.period,
        "approximate": quantity.approximate,
        "text": quantity.text,
    }


def _appearance(appearance: ListedAppearance, created_at: Format) -> dict[str, Any]:
    speaker = appearance.speaker
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
        "created_at": _or_none(appearance.created_at, created_at),
    }
