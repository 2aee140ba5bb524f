"""A record of a claim read from another desk's file or markup, and what became of it.

The importers (ClaimReview, CSV, JSON Lines) read each item into an :class:`ImportedClaim`;
``claims.services.record_import`` makes it a claim and reports an :class:`ImportOutcome`:
**created** (no claim had the same statement, compared by :func:`statement_key`; the claim
starts "new" and the other fact-checker's verdict is an ``ExternalReview`` beside it),
**matched** (new appearances, topics and verdicts added to the claim with that statement,
appearances and topics only while it is unpublished) or **rejected** (with the reason).

An importer has only a URL or a venue's name and the words as the fact-checker recorded them,
so the source's text is that record (:func:`record_text`) and the span is honest about what it
spans; a source stored at that URL is used as it is when its text contains the quote.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DataError, IntegrityError

from claims.models import Attribution, SourceKind, SpeakerKind
from claims.services.external_reviews import ExternalVerdict
from claims.services.sources import speaker_key

QUOTE_MARKS = "\"'“”„‟‘’‚‛«»‹›「」『』"
SOCIAL_HOSTS = (
    "facebook.com", "fb.com", "twitter.com", "x.com", "instagram.com", "tiktok.com",
    "youtube.com", "youtu.be", "t.me", "whatsapp.com", "threads.net", "reddit.com",
)  # fmt: skip
SPEAKER_KINDS = frozenset(SpeakerKind.values)  # ``.values`` builds a new list each time


@dataclass(frozen=True)
class SpeakerRef:
    """A speaker as an article or a record names it, with the role it gives."""

    name: str
    role: str = ""
    kind: str = SpeakerKind.PERSON


@dataclass(frozen=True)
class PlaceRef:
    """Where a record says the claim was made: a URL, or only a venue's name."""

    url: str = ""
    title: str = ""
    publisher: str = ""
    published_on: dt.date | None = None
    kind: str = ""
    language: str = ""
    speaker: SpeakerRef | None = None
    quote: str = ""  # the words there, when they differ from the claim's
    attribution: str = Attribution.SAID


@dataclass
class ImportedClaim:
    """One record, read; ``recorded_by``/``reference`` say whose record the words are."""

    statement: str
    recorded_by: str
    reference: str = ""
    quote: str = ""
    priority: str = ""
    topics: Sequence[str] = ()
    places: Sequence[PlaceRef] = ()
    verdicts: Sequence[ExternalVerdict] = ()


@dataclass
class ImportOutcome:
    """What happened to one record; ``claim_id`` is the claim created or matched."""

    status: str
    claim_id: int | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)


def statement_clean(text: str) -> str:
    """NFC, whitespace folded, one pair of surrounding quotation marks dropped."""
    text = " ".join(unicodedata.normalize("NFC", text or "").split())
    if (
        len(text) >= 2
        and text[0] in QUOTE_MARKS
        and text[-1] in QUOTE_MARKS
        and not any(ch in QUOTE_MARKS for ch in text[1:-1])
    ):
        text = text[1:-1].strip()
    return text


def excerpt(text: str, size: int) -> str:
    """``text`` cut to ``size`` characters, an ellipsis last, for a report line."""
    return text if len(text) <= size else text[: size - 1] + "…"


def statement_key(text: str) -> str:
    """What "the same statement" compares: the cleaned statement, case-folded."""
    return statement_clean(text).casefold()


def source_kind_for(url: str) -> str:
    host = url.split("//", 1)[-1].split("/", 1)[0].lower().removeprefix("www.")
    if any(host == h or host.endswith("." + h) for h in SOCIAL_HOSTS):
        return SourceKind.SOCIAL_POST
    return SourceKind.ARTICLE if url else SourceKind.OTHER


def valid_url(url: str) -> bool:
    if not url or len(url) > 2000:
        return False
    try:
        URLValidator()(url)
    except ValidationError:
        return False
    return True


def record_text(*, quote: str, where: str, recorded_by: str, reference: str) -> str:
    """A source's text when the desk holds only a fact-checker's record of it (module doc)."""
    ref = f" ({reference})" if reference and reference != where else ""
    return (
        f"{quote}\n\n[{where}: the words above as {recorded_by} recorded them{ref}. "
        "The desk has not read this document.]"
    )


def place_source_arguments(
    *, place: PlaceRef, quote: str, data: ImportedClaim
) -> tuple[str, dict[str, Any]]:
    """Where a place is (for notes) and the arguments of ``source_build`` for it."""
    url = place.url if valid_url(place.url) else ""
    where = url or place.title or "an unnamed source"
    return where, {
        "title": (place.title or url or f"Recorded by {data.recorded_by}")[:500],
        "text": record_text(
            quote=quote, where=where, recorded_by=data.recorded_by, reference=data.reference
        ),
        "url": url or None,
        "kind": place.kind or source_kind_for(url),
        "publisher": place.publisher[:200],
        "published_on": place.published_on,
        "language": (place.language or "en")[:16],
    }


def quote_missing_note(source_id: int, where: str) -> str:
    return (
        f"Source #{source_id} ({where}) is already stored with a text that does not contain "
        "the quote; no appearance was added there."
    )


def speaker_ref_key(ref: SpeakerRef | None) -> tuple[str, str, str] | None:
    """``(name, role, kind)`` as ``speakers_get_or_create`` will store them; None: no speaker."""
    if ref is None or not ref.name.strip():
        return None
    kind = ref.kind if ref.kind in SPEAKER_KINDS else SpeakerKind.PERSON
    return (*speaker_key(ref.name.strip()[:200], ref.role.strip()[:300]), kind)


def error_reason(error: Exception) -> str:
    """One line for a report: the rule the record broke."""
    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return "; ".join(
                f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
                for name, messages in error.message_dict.items()
            )
        return " ".join(error.messages)
    if isinstance(error, DataError | IntegrityError):
        return f"The database refused the record: {str(error).splitlines()[0]}"
    return str(error)
