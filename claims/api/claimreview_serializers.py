"""The import reports' shapes, for the OpenAPI schema (the views send the services' reports)."""

from __future__ import annotations

from rest_framework import serializers

from claims.models import ImportStatus


class ImportCountsSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    matched = serializers.IntegerField(help_text="Same statement as a claim the desk has.")
    rejected = serializers.IntegerField()


class ClaimReviewItemSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The item's place in the document, from 1.")
    kind = serializers.CharField(help_text='"ClaimReview" or "Google Fact Check record".')
    status = serializers.ChoiceField(choices=ImportStatus.choices)
    statement = serializers.CharField(allow_blank=True)
    review_url = serializers.CharField(allow_blank=True)
    claim = serializers.IntegerField(allow_null=True, help_text="The claim created or matched.")
    reason = serializers.CharField(allow_blank=True, help_text="Why the item was rejected.")
    notes = serializers.ListField(
        child=serializers.CharField(),
        help_text="What was read loosely or left out (an unknown rating, a skipped appearance).",
    )


class ClaimReviewImportReportSerializer(serializers.Serializer):
    counts = ImportCountsSerializer()
    items = ClaimReviewItemSerializer(many=True)
    problems = serializers.ListField(child=serializers.CharField())


# ClaimReview output, described for the schema (the documents are built by
# ``claims.claimreview.jsonld``; a Serializer would only restate them).
_THING = {"type": "object", "required": ["@type", "name"], "additionalProperties": True}
_CREATIVE_WORK = {
    "type": "object",
    "required": ["@type", "headline"],
    "properties": {
        "@type": {"type": "string", "enum": ["CreativeWork"]},
        "url": {"type": "string", "format": "uri"},
        "headline": {"type": "string"},
        "datePublished": {"type": "string", "format": "date"},
        "publisher": _THING,
        "archivedAt": {
            "type": "string",
            "format": "uri",
            "description": "The desk's public archived copy of the page, when it keeps one.",
        },
    },
}
CLAIM_REVIEW_SCHEMA = {
    "type": "object",
    "description": "schema.org ClaimReview (https://schema.org/ClaimReview).",
    "required": [
        "@type", "url", "claimReviewed", "reviewRating", "author", "datePublished",
        "itemReviewed",
    ],
    "properties": {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@type": {"type": "string", "enum": ["ClaimReview"]},
        "url": {"type": "string", "format": "uri", "description": "The public fact-check page."},
        "claimReviewed": {"type": "string"},
        "reviewRating": {
            "type": "object",
            "required": ["@type", "alternateName"],
            "description": "Firm ratings carry ratingValue 1–5 (5 true); unverifiable only "
            "its words.",
            "properties": {
                "@type": {"type": "string", "enum": ["Rating"]},
                "alternateName": {"type": "string"},
                "ratingValue": {"type": "integer", "minimum": 1, "maximum": 5},
                "bestRating": {"type": "integer", "enum": [5]},
                "worstRating": {"type": "integer", "enum": [1]},
            },
        },
        "author": _THING,
        "datePublished": {"type": "string", "format": "date"},
        "reviewBody": {"type": "string", "description": "The editor's summary for readers."},
        "itemReviewed": {
            "type": "object",
            "required": ["@type", "datePublished"],
            "properties": {
                "@type": {"type": "string", "enum": ["Claim"]},
                "author": _THING,
                "datePublished": {"type": "string", "format": "date"},
                "appearance": {"type": "array", "items": _CREATIVE_WORK},
                "firstAppearance": _CREATIVE_WORK,
            },
        },
    },
}  # fmt: skip
CLAIM_REVIEW_FEED_SCHEMA = {
    "type": "object",
    "description": "schema.org DataFeed of ClaimReviews, newest first; the next and previous "
    "pages are in the Link header.",
    "required": ["@context", "@type", "dataFeedElement"],
    "properties": {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@type": {"type": "string", "enum": ["DataFeed"]},
        "name": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "dataFeedElement": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["@type", "item"],
                "properties": {
                    "@type": {"type": "string", "enum": ["DataFeedItem"]},
                    "dateCreated": {"type": "string", "format": "date-time"},
                    "url": {"type": "string", "format": "uri"},
                    "item": {"type": "array", "items": CLAIM_REVIEW_SCHEMA},
                },
            },
        },
    },
}
