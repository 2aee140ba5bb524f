"""The services that write what was said, where and by whom: :mod:`.capture` (claims, their
figures and appearances), :mod:`.sources` (rows claims share), :mod:`.speakers` and
:mod:`.speaker_edits`, and :mod:`.records` / :mod:`.record_import` (other desks' records).
"""

from claims.services.capture import (
    AppearanceData,
    ClaimRows,
    QuantityData,
    appearance_add,
    appearance_move,
    claim_build,
    claim_create,
    claim_update,
    claims_create_many,
    quantity_add,
    validate_span,
)
from claims.services.sources import (
    SourceResult,
    source_build,
    source_get_or_create,
    sources_get_or_create,
    speaker_aliases_add,
    speaker_get_or_create,
    speakers_get_or_create,
    topics_get_or_create,
)
from claims.services.speaker_edits import (
    speaker_alias_add,
    speaker_alias_check,
    speaker_alias_removal_check,
    speaker_alias_remove,
    speakers_merge,
)
from claims.services.speakers import (
    SpeakerName,
    StatementData,
    speakers_resolve,
    statements_record,
)

__all__ = [
    "AppearanceData",
    "ClaimRows",
    "QuantityData",
    "SourceResult",
    "SpeakerName",
    "StatementData",
    "appearance_add",
    "appearance_move",
    "claim_build",
    "claim_create",
    "claim_update",
    "claims_create_many",
    "quantity_add",
    "source_build",
    "source_get_or_create",
    "sources_get_or_create",
    "speaker_alias_add",
    "speaker_alias_check",
    "speaker_alias_removal_check",
    "speaker_alias_remove",
    "speaker_aliases_add",
    "speaker_get_or_create",
    "speakers_get_or_create",
    "speakers_merge",
    "speakers_resolve",
    "statements_record",
    "topics_get_or_create",
    "validate_span",
]
