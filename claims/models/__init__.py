"""What was said, where, and by whom.

A :class:`Claim` is the checkable statement in neutral words (:mod:`claims.models.claims`); each
place it was made is an :class:`Appearance` in a :class:`Source`, with the verbatim quote and its
character span (:mod:`claims.models.sources`). The verdict scale both apps use is in
:mod:`claims.models.verdicts`; articles handed in for extraction are :class:`IngestJob` rows
(:mod:`claims.models.ingest`), and the likely duplicates extraction finds are :class:`ClaimMatch`
rows (:mod:`claims.models.matches`); verdicts other fact-checkers published on a claim are
:class:`ExternalReview` rows (:mod:`claims.models.external_reviews`); files of claims for bulk
import are :class:`ImportJob` rows (:mod:`claims.models.imports`); a speaker's aliases and
every sentence attributed to them are :class:`SpeakerAlias` and :class:`AttributedStatement`
rows (:mod:`claims.models.speakers`); every change to a published verdict is a
:class:`Correction` (:mod:`claims.models.corrections`).
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
