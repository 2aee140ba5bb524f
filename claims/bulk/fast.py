"""The bulk path of an import: a batch's new claims written with a few multi-row INSERTs.

Row by row (``claims.importing.imported_claim_try``) a LIAR row costs about forty queries: a
look-up and a savepoint for each topic, speaker, source and verdict, constraint checks run as
queries, one INSERT per row and table. At 100,000 rows that is most of an hour. This module
takes the rows that are plainly new claims and writes them the way the row-by-row path would,
with the same models, validation and history, but a batch at a time:

1. Plan: read each record's statement, topics, places (source, quote, speaker) and verdicts,
   building and field-validating the rows in memory. A record is taken only when it would be
   *created*: its statement matches no stored claim and no earlier record of the batch, its
   topic names are storable, its sources and verdicts pass field validation, and no two of
   its verdicts are the same. Everything else (matches, rows that will be rejected, anything
   unusual) is left to the row-by-row path, which runs after this one, in file order, so its
   report says exactly what it says today.
2. Resolve the shared rows with one query each: topics by slug, speakers by name, sources by
   content hash and URL (the same look-ups ``source_get_or_create`` makes), creating the
   missing ones with ``ON CONFLICT DO NOTHING`` and reading them back.
3. Insert the claims with their history rows, topic links, "created" workflow events,
   appearances (with history) and external reviews.

The caller runs this in a savepoint. Constraints are left to the database (checking them in
Python costs a query each); if the database refuses anything, the caller rolls the savepoint
back and imports the whole batch row by row, so a bad row still gets its own reason and
nothing of it is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Value
from django.db.models.functions import Upper
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from claims.importing import (
    ImportedClaim,
    ImportOutcome,
    ImportStatus,
    place_source_arguments,
    quote_missing_note,
    speaker_ref_key,
    statement_clean,
    statement_key,
)
from claims.models import (
    Appearance,
    Attribution,
    Claim,
    Priority,
    Source,
    Speaker,
    Topic,
    content_hash_of,
)
from claims.services import AppearanceData, _appearance_build
from verification.models import ExternalReview, WorkflowAction, WorkflowEvent
from verification.services.external_reviews import external_review_build

TOPIC_SLUG_MAX = Topic._meta.get_field("slug").max_length


@dataclass
class _Place:
    where: str
    source: Source  # built, not saved; replaced by the stored row when resolved
    quote: str
    speaker: tuple[str, str, str] | None
    attribution: str


@dataclass
class _Plan:
    """One record the bulk path will create, with its rows built in memory."""

    index: int
    claim: Claim
    topics: list[tuple[str, str]]  # (slug, name), in the record's order
    places: list[_Place]
    reviews: list[ExternalReview]
    notes: list[str] = field(default_factory=list)


def records_create(
    *, actor: AbstractBaseUser, records: Sequence[ImportedClaim]
) -> list[ImportOutcome | None]:
    """Create the batch's plainly new claims in bulk; ``None`` for a record left to the
    row-by-row path. Run it in a savepoint (see the module's docstring)."""
    plans = _plan(actor, records)
    outcomes: list[ImportOutcome | None] = [None] * len(records)
    if not plans:
        return outcomes
    topic_names: dict[str, str] = {}
    speaker_kinds: dict[tuple[str, str], str] = {}
    for plan in plans:  # the first name (kind) a batch gives a new topic (speaker) is kept
        for slug, name in plan.topics:
            topic_names.setdefault(slug, name)
        for place in plan.places:
            if place.speaker is not None:
                name, role, kind = place.speaker
                speaker_kinds.setdefault((name, role), kind)
    topics = _topics(topic_names)
    speakers = _speakers(speaker_kinds)
    _sources_resolve([place for plan in plans for place in plan.places])

    claims = bulk_create_with_history([plan.claim for plan in plans], Claim, default_user=actor)
    Through = Claim.topics.through
    links = {
        (claim.pk, topics[slug].pk)
        for plan, claim in zip(plans, claims, strict=True)
        for slug, _ in plan.topics
    }
    Through.objects.bulk_create([Through(claim_id=c, topic_id=t) for c, t in sorted(links)])
    WorkflowEvent.objects.bulk_create(
        WorkflowEvent(claim=claim, actor=actor, action=WorkflowAction.CREATE, to_state=claim.state)
        for claim in claims
    )
    appearances = []
    for plan, claim in zip(plans, claims, strict=True):
        appearances += _appearances(actor, plan, claim, speakers)
    bulk_create_with_history(appearances, Appearance, default_user=actor)
    reviews = []
    for plan, claim in zip(plans, claims, strict=True):
        for review in plan.reviews:
            review.claim = claim
            reviews.append(review)
    ExternalReview.objects.bulk_create(reviews)
    for plan, claim in zip(plans, claims, strict=True):
        outcomes[plan.index] = ImportOutcome(
            status=ImportStatus.CREATED, claim=claim, notes=plan.notes
        )
    return outcomes


def _plan(actor: AbstractBaseUser, records: Sequence[ImportedClaim]) -> list[_Plan]:
    statements = [statement_clean(record.statement) for record in records]
    stored = _stored_statement_keys([s for s in statements if s])
    seen: set[str] = set()
    plans = []
    for index, (record, statement) in enumerate(zip(records, statements, strict=True)):
        if not statement:
            continue  # rejected by the row-by-row path, with its reason
        key = statement.casefold()
        first = key not in seen and key not in stored
        seen.add(key)
        if not first:
            continue  # a match: the row-by-row path adds to the claim created first
        try:
            plan = _record_plan(actor, index, record, statement)
        except ValidationError:
            continue  # a rule broken: the row-by-row path rejects it with the reason
        if plan is not None:
            plans.append(plan)
    return plans


def _stored_statement_keys(statements: list[str]) -> set[str]:
    """Keys of stored claims with one of these statements, found as ``claim_find_by_statement``
    finds them (``UPPER(statement)``, on its index, then the key compared in Python)."""
    if not statements:
        return set()
    found = (
        Claim.objects.annotate(upper=Upper("statement"))
        .filter(upper__in=[Upper(Value(s)) for s in set(statements)])
        .values_list("statement", flat=True)
    )
    return {statement_key(statement) for statement in found}


def _record_plan(
    actor: AbstractBaseUser, index: int, record: ImportedClaim, statement: str
) -> _Plan | None:
    priority = record.priority or Priority.NORMAL
    if priority not in Priority.values:
        return None
    claim = Claim(statement=statement, priority=priority, submitted_by=actor)
    # The constraints are the database's (a refusal sends the batch row by row); the submitter
    # is the signed-in actor, whose row need not be looked up once per claim.
    claim.full_clean(exclude=["state", "submitted_by"], validate_constraints=False)
    topics = []
    for raw in record.topics:
        name = " ".join(raw.strip()[:80].split()) if raw else ""
        slug = slugify(name)
        if not slug:
            continue
        if len(slug) > TOPIC_SLUG_MAX:
            return None
        topics.append((slug, name))
    quote = statement_clean(record.quote) or statement
    places = []
    for place in record.places:
        place_quote = statement_clean(place.quote) or quote
        where, arguments = place_source_arguments(place=place, quote=place_quote, data=record)
        text = arguments["text"]
        source = Source(
            **{**arguments, "title": arguments["title"].strip()},
            content_hash=content_hash_of(text) if text.strip() else None,
            created_by=actor,
        )
        # Uniqueness is what resolving does (_sources_resolve); constraints are the database's.
        source.full_clean(exclude=["created_by"], validate_unique=False, validate_constraints=False)
        speaker = speaker_ref_key(place.speaker)
        attribution = place.attribution if speaker is not None else Attribution.REPORTED
        places.append(_Place(where, source, place_quote, speaker, attribution))
    reviews = [
        external_review_build(actor=actor, claim=None, verdict=verdict)
        for verdict in record.verdicts
    ]
    keys = {(r.publisher, r.url, r.external_id) for r in reviews}
    if len(keys) < len(reviews):
        return None  # a verdict twice in one record: the row-by-row path notes it
    return _Plan(index, claim, topics, places, reviews)


def _topics(names: dict[str, str]) -> dict[str, Topic]:
    """Topics by slug, the missing ones created (``topics_get_or_create``, many at once)."""
    if not names:
        return {}
    found = {t.slug: t for t in Topic.objects.filter(slug__in=names)}
    missing = [Topic(slug=slug, name=name) for slug, name in names.items() if slug not in found]
    if missing:
        Topic.objects.bulk_create(missing, ignore_conflicts=True)
        found |= {t.slug: t for t in Topic.objects.filter(slug__in=[t.slug for t in missing])}
    return found


def _speakers(kinds: dict[tuple[str, str], str]) -> dict[tuple[str, str], Speaker]:
    """Speakers by (name, role), the missing ones created (``speaker_get_or_create``)."""
    if not kinds:
        return {}

    def stored(names: set[str]) -> dict[tuple[str, str], Speaker]:
        rows = Speaker.objects.filter(name__in=names)
        return {(s.name, s.role): s for s in rows if (s.name, s.role) in kinds}

    found = stored({name for name, _ in kinds})
    missing = [
        Speaker(name=name, role=role, kind=kind)
        for (name, role), kind in kinds.items()
        if (name, role) not in found
    ]
    if missing:
        Speaker.objects.bulk_create(missing, ignore_conflicts=True)
        found |= stored({s.name for s in missing})
    return found


def _sources_resolve(places: list[_Place]) -> None:
    """Give each place its stored source: found by content hash, then by URL, as
    ``source_get_or_create`` looks; the rest inserted once each."""
    hashes = {p.source.content_hash for p in places if p.source.content_hash}
    urls = {p.source.url for p in places if p.source.url}
    by_hash = {s.content_hash: s for s in Source.objects.filter(content_hash__in=hashes)}
    by_url = {s.url: s for s in Source.objects.filter(url__in=urls)} if urls else {}
    new: list[Source] = []
    for place in places:
        built = place.source
        found = by_hash.get(built.content_hash) if built.content_hash else None
        if found is None and built.url:
            found = by_url.get(built.url)
        if found is None:
            new.append(built)
            found = built
            if built.content_hash:
                by_hash[built.content_hash] = built
            if built.url:
                by_url[built.url] = built
        place.source = found
    Source.objects.bulk_create(new)


def _appearances(
    actor: AbstractBaseUser,
    plan: _Plan,
    claim: Claim,
    speakers: dict[tuple[str, str], Speaker],
) -> list[Appearance]:
    built = []
    used: set[int] = set()
    for place in plan.places:
        source = place.source
        start = source.text.find(place.quote)
        if start < 0:
            plan.notes.append(quote_missing_note(source, place.where))
            continue
        if source.pk in used:
            continue  # one appearance per claim and source, as appearance_add keeps it
        used.add(source.pk)
        speaker = speakers[place.speaker[:2]] if place.speaker else None
        data = AppearanceData(
            source=source,
            quote=place.quote,
            start=start,
            speaker=speaker,
            attribution=place.attribution,
        )
        built.append(_appearance_build(claim, data, actor))
    return built
