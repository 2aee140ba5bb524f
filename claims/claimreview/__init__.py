"""schema.org ClaimReview, out and in.

- Out (:mod:`.jsonld`): a published claim as ClaimReview JSON-LD, and a feed of them.
- In (:mod:`.parse`, :mod:`.importer`): ClaimReview as found in the wild — JSON-LD, Google Fact
  Check Tools records, DataCommons feeds, HTML pages — imported as claims with their
  appearances and the publishers' verdicts.
- :mod:`.ratings`: other fact-checkers' verdict words and scales read onto the desk's ratings.
"""

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
