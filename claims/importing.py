"""What the importers share (ClaimReview markup, CSV and JSON Lines): one record → one claim.

A record names a statement, where it was made and by whom, and perhaps a verdict another
fact-checker published. :func:`imported_claim_try` turns it into rows through the capture
services, all or nothing, and says what happened:

- **created**: no claim had the same statement (compared after Unicode normalisation, case
  folding, whitespace folding and dropping surrounding quotation marks), so one was created in
  state "new". Imported claims are the desk's to triage: the other fact-checker's verdict is
  recorded beside the claim (``ExternalReview``), never as the desk's own.
- **matched**: a claim with the same statement exists; new appearances, topics and verdicts are
  added to it (appearances and topics only while it is not published).
- **rejected**: the record breaks a rule; the reason is given and nothing of it is kept.

Where a claim was made: the capture model keeps each appearance as a quote at a span of its
source's text, but an importer has only a URL (or a venue's name) and the words as the
fact-checker recorded them. The source is stored with that record as its text — the quote,
then a bracketed line saying whose record it is and that the desk has not read the document —
so the span is honest about what it spans. An already stored source at that URL (an article
the desk ingested) is used as it is when its text contains the quote.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DataError, IntegrityError, models, transaction

from claims.exceptions import WorkflowConflict
from claims.models import (
    Appearance,
    Attribution,
    Claim,
    Priority,
    SourceKind,
    Speaker,
    SpeakerKind,
)
from claims.services import (
    AppearanceData,
    appearance_add,
    claim_create,
    claim_update,
    source_get_or_create,
    speaker_get_or_create,
    topics_get_or_create,
)
from verification.services.external_reviews import ExternalVerdict, external_review_record

QUOTE_MARKS = "\"'“”„‟‘’‚‛«»‹›「」『』"
SOCIAL_HOSTS = (
    "facebook.com", "fb.com", "twitter.com", "x.com", "instagram.com", "tiktok.com",
    "youtube.com", "youtu.be", "t.me", "whatsapp.com", "threads.net", "reddit.com",
)  # fmt: skip
SPEAKER_KINDS = frozenset(SpeakerKind.values)  # ``.values`` builds a new list each time


class ImportStatus(models.TextChoices):
    CREATED = "created", "Created"
    MATCHED = "matched", "Matched an existing claim"
    REJECTED = "rejected", "Rejected"


@dataclass(frozen=True)
class SpeakerRef:
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
    """What happened to one record. ``claim_id`` is the claim's id whether or not ``claim``
    is loaded (the bulk path, ``claims.bulk.fast``, writes rows and builds no instances)."""

    status: str
    claim: Claim | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    claim_id: int | None = None

    def __post_init__(self) -> None:
        if self.claim_id is None and self.claim is not None:
            self.claim_id = self.claim.pk


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


def statement_key(text: str) -> str:
    """What "the same statement" compares: the cleaned statement, case-folded."""
    return statement_clean(text).casefold()


def claim_find_by_statement(statement: str) -> Claim | None:
    """The oldest claim whose statement is the same as this one (see :func:`statement_key`)."""
    cleaned = statement_clean(statement)
    key = cleaned.casefold()
    for claim in Claim.objects.filter(statement__iexact=cleaned).order_by("pk"):
        if statement_key(claim.statement) == key:
            return claim
    return None


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
    """Where a place is (for notes) and the arguments of ``source_get_or_create`` for it.

    Shared by the row-by-row path and the bulk path (``claims.bulk.fast``), so a place becomes
    the same source whichever path imports it.
    """
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
    """``(name, role, kind)`` as ``speaker_get_or_create`` will store them; None: no speaker."""
    if ref is None or not " ".join(ref.name.split()):
        return None
    kind = ref.kind if ref.kind in SPEAKER_KINDS else SpeakerKind.PERSON
    name, role = ref.name.strip()[:200], ref.role.strip()[:300]
    return " ".join(name.split()), " ".join(role.split()), kind


def _speaker(ref: SpeakerRef | None) -> Speaker | None:
    key = speaker_ref_key(ref)
    if key is None:
        return None
    name, role, kind = key
    return speaker_get_or_create(name=name, role=role, kind=kind)


def _place_add(
    *, actor: AbstractBaseUser, claim: Claim, place: PlaceRef, quote: str, data: ImportedClaim
) -> str | None:
    """Add one appearance; returns a note when it could not be added (the item still stands)."""
    where, arguments = place_source_arguments(place=place, quote=quote, data=data)
    source = source_get_or_create(actor=actor, **arguments).source
    start = source.text.find(quote)
    if start < 0:
        return quote_missing_note(source.pk, where)
    if Appearance.objects.filter(claim=claim, source=source).exists():
        return None
    speaker = _speaker(place.speaker)
    attribution = place.attribution if speaker is not None else Attribution.REPORTED
    appearance_add(
        actor=actor,
        claim=claim,
        data=AppearanceData(
            source=source, quote=quote, start=start, speaker=speaker, attribution=attribution
        ),
    )
    return None


def imported_claim_save(*, actor: AbstractBaseUser, data: ImportedClaim) -> ImportOutcome:
    """Create or match the claim of one record, with its appearances, topics and verdicts.

    1. Find a claim with the same statement; otherwise create one (state "new").
    2. On a claim that is not published, add the record's topics and its appearances (a source
       for each place, stored once).
    3. Record each external verdict once.
    Raises on a broken rule; run it in a savepoint (:func:`imported_claim_try` does).
    """
    statement = statement_clean(data.statement)
    if not statement:
        raise ValidationError({"statement": "The statement is empty."})
    notes: list[str] = []
    topic_names = [name.strip()[:80] for name in data.topics if name and name.strip()]
    claim = claim_find_by_statement(statement)
    if claim is None:
        claim = claim_create(
            actor=actor,
            statement=statement,
            priority=data.priority or Priority.NORMAL,
            topics=topics_get_or_create(topic_names),
        )
        status = ImportStatus.CREATED
    else:
        status = ImportStatus.MATCHED
        if claim.is_locked and (data.places or topic_names):
            notes.append(
                f"Claim #{claim.pk} is published: its topics and appearances were left as they "
                "are (reopen it to add them)."
            )
        elif topic_names:
            current = list(claim.topics.all())
            wanted = topics_get_or_create(topic_names)
            if {t.pk for t in wanted} - {t.pk for t in current}:
                claim_update(actor=actor, claim=claim, topics=[*current, *wanted])
    if not claim.is_locked:
        quote = statement_clean(data.quote) or statement
        for place in data.places:
            note = _place_add(
                actor=actor,
                claim=claim,
                place=place,
                quote=statement_clean(place.quote) or quote,
                data=data,
            )
            if note:
                notes.append(note)
    for verdict in data.verdicts:
        _, created = external_review_record(actor=actor, claim=claim, verdict=verdict)
        if not created:
            notes.append(f"{verdict.publisher}'s verdict was already recorded on this claim.")
    return ImportOutcome(status=status, claim=claim, notes=notes)


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


def imported_claim_try(*, actor: AbstractBaseUser, data: ImportedClaim) -> ImportOutcome:
    """:func:`imported_claim_save` in its own savepoint: a record that breaks a rule is rolled
    back whole (never half a claim) and reported as rejected with the reason."""
    try:
        with transaction.atomic():
            return imported_claim_save(actor=actor, data=data)
    except (ValidationError, WorkflowConflict, DataError, IntegrityError) as error:
        return ImportOutcome(status=ImportStatus.REJECTED, reason=error_reason(error))
