"""What was said, where, and by whom: a :class:`Claim` in neutral words (``claims``), each
place it was made an :class:`Appearance` in a :class:`Source` (``sources``), the verdict scale
(``verdicts``), ingest and import jobs (``ingest``, ``imports``), ingestion's likely duplicates
(``matches``), other fact-checkers' verdicts (``external_reviews``), speakers' aliases and
statements (``speakers``) and the changes to published verdicts (``corrections``).
"""

from claims.models.claims import (
    Claim,
    ClaimState,
    Period,
    Priority,
    Quantity,
    QuantityKind,
    Topic,
)
from claims.models.corrections import Correction, CorrectionKind
from claims.models.external_reviews import ExternalReview, ExternalReviewOrigin
from claims.models.imports import ImportJob, ImportJobStatus, ImportRow, ImportStatus
from claims.models.ingest import IngestJob, IngestKind, IngestStatus
from claims.models.matches import ClaimMatch, MatchOutcome
from claims.models.sources import (
    Appearance,
    Attribution,
    Source,
    SourceKind,
    Speaker,
    SpeakerKind,
    content_hash_of,
)
from claims.models.speakers import AliasKind, AttributedStatement, SpeakerAlias, name_key
from claims.models.verdicts import CONFIDENCE_BANDS, RATING_ORDINAL, Confidence, Rating

__all__ = [
    "CONFIDENCE_BANDS",
    "RATING_ORDINAL",
    "AliasKind",
    "Appearance",
    "AttributedStatement",
    "Attribution",
    "Claim",
    "ClaimMatch",
    "ClaimState",
    "Confidence",
    "Correction",
    "CorrectionKind",
    "ExternalReview",
    "ExternalReviewOrigin",
    "ImportJob",
    "ImportJobStatus",
    "ImportRow",
    "ImportStatus",
    "IngestJob",
    "IngestKind",
    "IngestStatus",
    "MatchOutcome",
    "Period",
    "Priority",
    "Quantity",
    "QuantityKind",
    "Rating",
    "Source",
    "SourceKind",
    "Speaker",
    "SpeakerAlias",
    "SpeakerKind",
    "Topic",
    "content_hash_of",
    "name_key",
]
