"""schema.org ClaimReview, out (:mod:`.jsonld`) and in (:mod:`.find`, :mod:`.parse`,
:mod:`.importer`), and other fact-checkers' verdicts read onto the desk's ratings
(:mod:`.ratings`)."""

from claims.claimreview.importer import ImportReport, ItemResult, claimreview_import
from claims.claimreview.jsonld import (
    claim_review_feed,
    claim_review_jsonld,
    claim_review_preview,
    factcheck_url,
    published_claim_reviews,
    published_rating_of,
    withdrawn_fact_check,
)

__all__ = [
    "ImportReport",
    "ItemResult",
    "claim_review_feed",
    "claim_review_jsonld",
    "claim_review_preview",
    "claimreview_import",
    "factcheck_url",
    "published_claim_reviews",
    "published_rating_of",
    "withdrawn_fact_check",
]
