"""Records → claims: each record a new claim, or a match of the claim with its statement.

One path for every importer (ClaimReview a record at a time, bulk import a chunk of rows): new
claims through ``claim_build`` and ``claims_create_many``, shared rows through the
``*_get_or_create`` services. The outcomes are described in ``claims.services.records``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models.functions import Upper
from django.db.models.lookups import In

from claims.exceptions import WorkflowConflict
from claims.models import (
    Appearance,
    Attribution,
    Claim,
    ExternalReview,
    ImportStatus,
    Priority,
    Source,
    Speaker,
)
from claims.roles import require_editor
from claims.services.capture import (
    AppearanceData,
    ClaimRows,
    appearance_add,
    claim_build,
    claim_update,
    claims_create_many,
)
from claims.services.external_reviews import external_review_build, external_review_record
from claims.services.records import (
    ImportedClaim,
    ImportOutcome,
    error_reason,
    place_source_arguments,
    quote_missing_note,
    speaker_ref_key,
    statement_clean,
    statement_key,
)
from claims.services.sources import (
    source_build,
    sources_get_or_create,
    speakers_get_or_create,
    topic_key,
    topics_get_or_create,
)

# What a record may be refused with once its rows are being written. Other database errors
# (a lost connection, a restart) are not the record's fault: they are raised as they come.
REFUSALS = (ValidationError, WorkflowConflict, IntegrityError, DataError)


@dataclass
class _Place:
    where: str
    source: Source  # built (source_build); the stored row once resolved
    quote: str
    speaker: tuple[str, str, str] | None
    attribution: str


@dataclass
class _Record:
    """A record read and checked without the database (:func:`_record_check`)."""

    data: ImportedClaim
    statement: str
    topics: list[str]
    places: list[_Place]
    reviews: list[ExternalReview]  # built, their claim not yet set
    rows: ClaimRows | None = None  # the claim to create, when no stored claim matches
    notes: list[str] = field(default_factory=list)


class UpperIn(In):
    """``UPPER(lhs) IN (UPPER(%s), …)``: the database folds the plain parameters as it folds the
    column, so no expression is compiled per value."""

    def batch_process_rhs(self, compiler, connection, rhs=None):  # type: ignore[no-untyped-def]
        sqls, params = super().batch_process_rhs(compiler, connection, rhs)
        return [f"UPPER({sql})" for sql in sqls], params


def claims_by_statement(statements: Sequence[str]) -> dict[str, Claim]:
    """The oldest claim of each statement by :func:`statement_key`, in one query (on the
    ``UPPER(statement)`` index, migration 0007)."""
    cleaned = {statement_clean(s) for s in statements} - {""}
    if not cleaned:
        return {}
    stored = Claim.objects.filter(UpperIn(Upper("statement"), sorted(cleaned)))
    found: dict[str, Claim] = {}
    for claim in stored.order_by("pk"):
        found.setdefault(statement_key(claim.statement), claim)
    return found


def records_import(
    *, actor: AbstractBaseUser | None, records: Sequence[ImportedClaim]
) -> list[ImportOutcome]:
    """Create or match the claim of each record, in the caller's transaction; one outcome each.

    1. Editors only. Each record is checked without the database; one that breaks a rule is
       rejected with the reason.
    2. One query finds the stored claims with the records' statements; a statement neither
       they nor an earlier record has makes a new claim (``claim_build``).
    3. The new claims' shared rows, then the claims and their verdicts, are written together.
    4. Every other record is matched to its claim, each in a savepoint (:func:`_record_match`).
    Raises what the database refuses in step 3 (``REFUSALS``): the caller then imports each
    record alone (:func:`record_import_try`), so the bad one gets its reason.
    """
    require_editor(actor, "import claims")
    outcomes: list[ImportOutcome | None] = [None] * len(records)
    stored = claims_by_statement([r.statement for r in records])
    checked: dict[int, _Record] = {}
    first_of: dict[str, int] = {}
    for index, data in enumerate(records):
        try:
            record = _record_check(actor, data)
            key = record.statement.casefold()
            if key not in stored and key not in first_of:
                record.rows = claim_build(
                    actor=actor,
                    statement=record.statement,
                    priority=data.priority or Priority.NORMAL,
                )
                first_of[key] = index
        except ValidationError as error:
            outcomes[index] = ImportOutcome(ImportStatus.REJECTED, reason=error_reason(error))
            continue
        checked[index] = record
    new = [record for record in checked.values() if record.rows is not None]
    _records_create(actor, new)
    for index, record in checked.items():
        if record.rows is not None:
            claim = record.rows.claim
            outcomes[index] = ImportOutcome(ImportStatus.CREATED, claim.pk, notes=record.notes)
            continue
        key = record.statement.casefold()
        claim = stored.get(key) or checked[first_of[key]].rows.claim
        try:
            with transaction.atomic():
                notes = _record_match(actor, claim, record)
        except REFUSALS as error:
            outcomes[index] = ImportOutcome(ImportStatus.REJECTED, reason=error_reason(error))
        else:
            outcomes[index] = ImportOutcome(ImportStatus.MATCHED, claim.pk, notes=notes)
    return outcomes


def record_import_try(*, actor: AbstractBaseUser | None, data: ImportedClaim) -> ImportOutcome:
    """:func:`records_import` of one record in a savepoint: one the database refuses is rolled
    back whole and reported as rejected."""
    try:
        with transaction.atomic():
            return records_import(actor=actor, records=[data])[0]
    except REFUSALS as error:
        return ImportOutcome(ImportStatus.REJECTED, reason=error_reason(error))


def _record_check(actor: AbstractBaseUser, data: ImportedClaim) -> _Record:
    statement = statement_clean(data.statement)
    if not statement:
        raise ValidationError({"statement": "The statement is empty."})
    topics = [name.strip()[:80] for name in data.topics if name and name.strip()]
    for name in topics:
        topic_key(name)  # a name too long to be a topic rejects the record
    quote = statement_clean(data.quote) or statement
    places = []
    for place in data.places:
        place_quote = statement_clean(place.quote) or quote
        where, arguments = place_source_arguments(place=place, quote=place_quote, data=data)
        speaker = speaker_ref_key(place.speaker)
        attribution = place.attribution if speaker is not None else Attribution.REPORTED
        source = source_build(actor=actor, **arguments)
        places.append(_Place(where, source, place_quote, speaker, attribution))
    reviews = [external_review_build(actor=actor, claim=None, verdict=v) for v in data.verdicts]
    return _Record(data, statement, topics, places, reviews)


def _records_create(actor: AbstractBaseUser, records: list[_Record]) -> None:
    """Step 3 of :func:`records_import`: the shared rows of all, then the claims of all."""
    if not records:
        return
    topics = {t.slug: t for t in topics_get_or_create(n for r in records for n in r.topics)}
    places = [place for record in records for place in record.places]
    speakers = speakers_get_or_create(p.speaker for p in places if p.speaker is not None)
    stored = sources_get_or_create([place.source for place in places])
    for place, result in zip(places, stored, strict=True):
        place.source = result.source
    for record in records:
        rows = record.rows
        assert rows is not None
        rows.topics = list(dict.fromkeys(topics[s] for s, _ in map(topic_key, record.topics) if s))
        used: set[int] = set()
        for place in record.places:
            speaker = speakers[place.speaker[:2]] if place.speaker is not None else None
            data = _appearance_at(place, place.source, speaker)
            if data is None:
                record.notes.append(quote_missing_note(place.source.pk, place.where))
            elif place.source.pk not in used:  # one appearance a source, as _record_match adds
                used.add(place.source.pk)
                rows.appearance_add(data)
    claims_create_many(actor=actor, rows=[record.rows for record in records])
    reviews = []
    for record in records:
        seen: set[tuple[str, str, str]] = set()
        for review in record.reviews:
            key = (review.publisher, review.url, review.external_id)
            if key in seen:
                record.notes.append(_already_recorded(review.publisher))
                continue
            seen.add(key)
            review.claim = record.rows.claim
            reviews.append(review)
    ExternalReview.objects.bulk_create(reviews)


def _record_match(actor: AbstractBaseUser, claim: Claim, record: _Record) -> list[str]:
    """Add a record's topics, appearances and verdicts to its claim (in a savepoint: it raises
    on a broken rule); the notes say what was left as it was."""
    notes: list[str] = []
    if claim.is_locked and (record.places or record.topics):
        notes.append(
            f"Claim #{claim.pk} is published: its topics and appearances were left as they "
            "are (reopen it to add them)."
        )
    elif record.topics:
        current = list(claim.topics.all())
        wanted = topics_get_or_create(record.topics)
        if {t.pk for t in wanted} - {t.pk for t in current}:
            claim_update(actor=actor, claim=claim, topics=[*current, *wanted])
    if not claim.is_locked:
        for place in record.places:
            source = sources_get_or_create([place.source])[0].source
            speaker = None
            if place.speaker is not None:
                speaker = speakers_get_or_create([place.speaker])[place.speaker[:2]]
            data = _appearance_at(place, source, speaker)
            if data is None:
                notes.append(quote_missing_note(source.pk, place.where))
            elif not Appearance.objects.filter(claim=claim, source=source).exists():
                appearance_add(actor=actor, claim=claim, data=data)
    for verdict in record.data.verdicts:
        _, created = external_review_record(actor=actor, claim=claim, verdict=verdict)
        if not created:
            notes.append(_already_recorded(verdict.publisher))
    return notes


def _appearance_at(place: _Place, source: Source, speaker: Speaker | None) -> AppearanceData | None:
    """The appearance of a place's quote in its stored source; None where the text lacks it."""
    start = source.text.find(place.quote)
    if start < 0:
        return None
    return AppearanceData(source, place.quote, start, speaker, place.attribution)


def _already_recorded(publisher: str) -> str:
    return f"{publisher}'s verdict was already recorded on this claim."
