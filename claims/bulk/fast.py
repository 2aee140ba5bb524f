"""The bulk path of an import: a batch's new claims written a table at a time (COPY).

Row by row (``claims.importing.imported_claim_try``) a LIAR row costs about forty queries: a
look-up and a savepoint for each topic, speaker, source and verdict, constraint checks run as
queries, one INSERT per row and table. At 100,000 rows that is most of an hour. This module
takes the rows that are plainly new claims and writes them the way the row-by-row path would,
with the same columns, field validation and history, but a batch at a time:

1. Plan: read each record's statement, topics, places (source, quote, speaker) and verdicts,
   building and field-validating the rows in memory (``record_prepare``, which needs no
   database, so the importer runs it ahead of the batch's writes, in a thread of its own).
   Then one query says which statements are stored. A record is taken only when it would be
   *created*: its statement matches no stored claim and no earlier record of the batch, its
   topic names are storable, its sources and verdicts pass field validation, and no two of
   its verdicts are the same. Everything else (matches, rows that will be rejected, anything
   unusual) is left to the row-by-row path, which runs after this one, in file order, so its
   report says exactly what it says today.
2. Resolve the shared rows with one query each: topics by slug, speakers by name, sources by
   content hash and URL (the same look-ups ``source_get_or_create`` makes), creating the
   missing topics and speakers with ``ON CONFLICT DO NOTHING`` and reading them back; the
   missing sources are written with the claims.
3. Write the claims with their history rows, topic links, "created" workflow events,
   appearances (with history) and external reviews, a table at a time: COPY on PostgreSQL,
   multi-row INSERTs elsewhere (``claims.bulk.tables``). The rows are plain dicts, built and
   field-validated here; no model instance is made for them.

The caller runs this in a savepoint. Constraints are left to the database (checking them in
Python costs a query each); if the database refuses anything, the caller rolls the savepoint
back and imports the whole batch row by row, so a bad row still gets its own reason and
nothing of it is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Value
from django.db.models.functions import Upper
from django.utils.text import slugify
from psycopg import sql

from claims.bulk.tables import Row, TableWriter, row_clean, values_getter
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
from verification.models import ExternalReview, WorkflowAction, WorkflowEvent
from verification.services.external_reviews import external_review_values

TOPIC_SLUG_MAX = Topic._meta.get_field("slug").max_length
PRIORITIES = frozenset(Priority.values)  # ``Priority.values`` builds a new list each time


@dataclass
class _Place:
    where: str
    source: Row  # built, not written; replaced by the stored row when resolved
    quote: str
    speaker: tuple[str, str, str] | None
    attribution: str


@dataclass
class _Plan:
    """One record the bulk path will create, with its rows built in memory."""

    index: int
    claim: Row
    topics: list[tuple[str, str]]  # (slug, name), in the record's order
    places: list[_Place]
    reviews: list[Row]
    notes: list[str] = field(default_factory=list)


@dataclass
class Draft:
    """What step 1 makes of a record without the database: its cleaned statement and, when it
    can be created in bulk if it turns out to be new, its plan (``None``: row by row)."""

    statement: str
    plan: _Plan | None


@dataclass(frozen=True)
class SharedKeys:
    """What a batch may create that another batch could create too: statement keys, topic
    slugs, speakers (name, role), and sources (content hashes and URLs). ``complete`` is False
    when some record of the batch has no plan (it goes row by row, and what it creates is known
    only once it is written)."""

    statements: frozenset[str]
    topics: frozenset[str]
    speakers: frozenset[tuple[str, str]]
    sources: frozenset[str]
    complete: bool


def shared_keys(drafts: Sequence[Draft]) -> SharedKeys:
    """The :class:`SharedKeys` of a batch's drafts (needs no database)."""
    plans = [draft.plan for draft in drafts if draft.plan is not None]
    places = [place for plan in plans for place in plan.places]
    return SharedKeys(
        statements=frozenset(d.statement.casefold() for d in drafts if d.statement),
        topics=frozenset(slug for plan in plans for slug, _ in plan.topics),
        speakers=frozenset(p.speaker[:2] for p in places if p.speaker is not None),
        sources=frozenset(
            key for p in places for key in (p.source["content_hash"], p.source["url"]) if key
        ),
        complete=len(plans) == sum(1 for d in drafts if d.statement),
    )


@dataclass(frozen=True)
class Behind:
    """The batch before this one, written on another connection and maybe not committed yet
    (``claims.bulk.overlap``): what it may create, and ``settle``, which waits for its commit.
    """

    keys: SharedKeys
    settle: Callable[[], None]

    def settle_if_shared(self, keys: set, shared: frozenset) -> None:
        """Wait for the batch before to commit if it may create one of ``keys`` too
        (``shared``: that kind of its keys)."""
        if not shared.isdisjoint(keys):
            self.settle()


def record_prepare(actor: AbstractBaseUser, index: int, record: ImportedClaim) -> Draft:
    """The database-free part of step 1 for the batch's ``index``-th record (see the module's
    docstring).

    Needs no database, so the importer runs it ahead of the batch's writing, in its read-ahead
    thread (``claims.bulk.readahead``). A record whose statement turns out to be stored, or
    to repeat an earlier record's, has its plan dropped by :func:`records_create`.
    """
    statement = statement_clean(record.statement)
    plan = None
    # An empty statement, or a rule broken (ValidationError): left to the row-by-row path,
    # which rejects the record with the reason.
    if statement:
        with suppress(ValidationError):
            plan = _record_plan(actor, index, record, statement)
    return Draft(statement, plan)


def records_create(
    *,
    actor: AbstractBaseUser,
    records: Sequence[ImportedClaim],
    copy: bool | None = None,
    drafts: Sequence[Draft] | None = None,
    behind: Behind | None = None,
) -> list[ImportOutcome | None]:
    """Create the batch's plainly new claims in bulk; ``None`` for a record left to the
    row-by-row path. Run it in a savepoint (see the module's docstring).

    ``copy``: write with COPY where the database has it (``None``), or never (``False``).
    ``drafts``: :func:`record_prepare` of each record, when already made (the importer
    makes them ahead, in its read-ahead thread). They are used up: writing fills their rows
    in (ids, defaults, stored sources).
    ``behind``: the batch before, when it may not have committed yet (``claims.bulk.overlap``).
    A record with one of its statements is left to the row-by-row path, as a match of a stored
    claim is; before creating a topic, speaker or source it may create too, this waits for its
    commit (then finds it, or creates it), so neither batch ever waits for the other's lock
    while the other waits for it.
    """
    if drafts is None:
        drafts = [record_prepare(actor, i, record) for i, record in enumerate(records)]
    plans = _plan(drafts, behind.keys.statements if behind is not None else frozenset())
    outcomes: list[ImportOutcome | None] = [None] * len(records)
    if not plans:
        return outcomes
    writer = TableWriter(copy=copy)
    topic_names: dict[str, str] = {}
    speaker_kinds: dict[tuple[str, str], str] = {}
    for plan in plans:  # the first name (kind) a batch gives a new topic (speaker) is kept
        for slug, name in plan.topics:
            topic_names.setdefault(slug, name)
        for place in plan.places:
            if place.speaker is not None:
                name, role, kind = place.speaker
                speaker_kinds.setdefault((name, role), kind)
    topics = _topics(topic_names, behind)
    speakers = _speakers(speaker_kinds, behind)
    _sources_resolve(writer, [place for plan in plans for place in plan.places], behind)

    claims = [plan.claim for plan in plans]
    writer.insert(Claim, claims, ids=True)
    _history_write(writer, Claim, claims, actor)
    links = {(plan.claim["id"], topics[slug]) for plan in plans for slug, _ in plan.topics}
    writer.insert(Claim.topics.through, [{"claim_id": c, "topic_id": t} for c, t in sorted(links)])
    writer.insert(
        WorkflowEvent,
        [
            {
                "claim_id": claim["id"],
                "actor_id": actor.pk,
                "action": WorkflowAction.CREATE,
                "to_state": claim["state"],
            }
            for claim in claims
        ],
    )
    appearances = [row for plan in plans for row in _appearances(actor, plan, speakers)]
    writer.insert(Appearance, appearances, ids=True)
    _history_write(writer, Appearance, appearances, actor)
    reviews = []
    for plan in plans:
        for review in plan.reviews:
            review["claim_id"] = plan.claim["id"]
            reviews.append(review)
    writer.insert(ExternalReview, reviews)
    for plan in plans:
        outcomes[plan.index] = ImportOutcome(
            status=ImportStatus.CREATED, claim_id=plan.claim["id"], notes=plan.notes
        )
    return outcomes


def _history_write(
    writer: TableWriter, model: type[models.Model], rows: list[Row], actor: AbstractBaseUser
) -> None:
    """The "created" history rows of ``rows`` (written), as django-simple-history's
    ``bulk_create_with_history`` makes them."""
    if not rows or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = model.history.model
    tracked = [f.attname for f in history.tracked_fields]
    tracked_values = values_getter(tracked)
    made = {
        "history_date": writer.now,
        "history_user_id": actor.pk,
        "history_change_reason": "",
        "history_type": "+",
    }
    writer.insert(
        history, [dict(zip(tracked, tracked_values(row), strict=True), **made) for row in rows]
    )


def _plan(drafts: Sequence[Draft], pending: frozenset[str] = frozenset()) -> list[_Plan]:
    """The drafts' plans of the records that would be *created*: a statement no stored claim,
    no pending one and no earlier record of the batch has."""
    stored = _stored_statement_keys([d.statement for d in drafts if d.statement]) | pending
    seen: set[str] = set()
    plans = []
    for draft in drafts:
        if not draft.statement:
            continue
        key = draft.statement.casefold()
        first = key not in seen and key not in stored
        seen.add(key)
        if not first:
            continue  # a match: the row-by-row path adds to the claim created first
        if draft.plan is not None:
            plans.append(draft.plan)
    return plans


def _stored_statement_keys(statements: list[str]) -> set[str]:
    """Keys of stored claims with one of these statements, found as ``claim_find_by_statement``
    finds them (``UPPER(statement)``, on its index, then the key compared in Python)."""
    if not statements:
        return set()
    if connection.vendor == "postgresql":
        # One array parameter: a thousand ``UPPER(%s)`` expressions cost more to compile than
        # the database takes to answer. One index probe a statement, as the row-by-row path
        # makes: "OFFSET 0" keeps the planner from turning the probes into a scan of the whole
        # table, which it prefers while an import grows the table faster than its statistics.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.statement FROM unnest(%s::text[]) AS s(statement) CROSS JOIN LATERAL "
                f"(SELECT statement FROM {Claim._meta.db_table} "
                "WHERE UPPER(statement) = UPPER(s.statement) OFFSET 0) AS c",
                [sorted(set(statements))],
            )
            found = [statement for (statement,) in cursor.fetchall()]
    else:
        found = (
            Claim.objects.annotate(upper=Upper("statement"))
            .filter(upper__in=[Upper(Value(s)) for s in set(statements)])
            .order_by()
            .values_list("statement", flat=True)
        )
    return {statement_key(statement) for statement in found}


def _record_plan(
    actor: AbstractBaseUser, index: int, record: ImportedClaim, statement: str
) -> _Plan | None:
    priority = record.priority or Priority.NORMAL
    if priority not in PRIORITIES:
        return None
    # State "new" is the claim's default, and claim_create's starting state.
    claim: Row = {"statement": statement, "priority": priority, "submitted_by_id": actor.pk}
    row_clean(Claim, claim)
    topics = []
    for raw in record.topics:
        slug, name = _topic_key(raw)
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
        source: Row = {
            **arguments,
            "title": arguments["title"].strip(),
            "content_hash": content_hash_of(text) if text.strip() else None,
            "created_by_id": actor.pk,
        }
        # Uniqueness is what resolving does (_sources_resolve); constraints are the database's.
        row_clean(Source, source)
        speaker = speaker_ref_key(place.speaker)
        attribution = place.attribution if speaker is not None else Attribution.REPORTED
        places.append(_Place(where, source, place_quote, speaker, attribution))
    reviews = []
    for verdict in record.verdicts:
        review = {**external_review_values(verdict=verdict), "imported_by_id": actor.pk}
        row_clean(ExternalReview, review)
        reviews.append(review)
    keys = {(r["publisher"], r["url"], r["external_id"]) for r in reviews}
    if len(keys) < len(reviews):
        return None  # a verdict twice in one record: the row-by-row path notes it
    return _Plan(index, claim, topics, places, reviews)


@lru_cache(maxsize=4096)
def _topic_key(raw: str) -> tuple[str, str]:
    """``(slug, name)`` of a topic as ``topics_get_or_create`` stores it. Cached: an import
    names the same topics over and over, and ``slugify`` is dear."""
    name = " ".join(raw.strip()[:80].split()) if raw else ""
    return slugify(name), name


def _topics(names: dict[str, str], behind: Behind | None = None) -> dict[str, int]:
    """Topic ids by slug, the missing topics created (``topics_get_or_create``, many at once)."""
    if not names:
        return {}
    found = dict(Topic.objects.filter(slug__in=names).values_list("slug", "pk"))
    if behind is not None:
        behind.settle_if_shared(set(names) - set(found), behind.keys.topics)
    # In key order: an import's next batch, on another connection, may be creating some of
    # the same at once, and the same order on both sides means one waits, never both.
    missing = [Topic(slug=slug, name=names[slug]) for slug in sorted(names) if slug not in found]
    if missing:
        Topic.objects.bulk_create(missing, ignore_conflicts=True)
        found |= dict(
            Topic.objects.filter(slug__in=[t.slug for t in missing]).values_list("slug", "pk")
        )
    return found


def _speakers(
    kinds: dict[tuple[str, str], str], behind: Behind | None = None
) -> dict[tuple[str, str], int]:
    """Speaker ids by (name, role), the missing speakers created (``speaker_get_or_create``)."""
    if not kinds:
        return {}

    def stored(names: set[str]) -> dict[tuple[str, str], int]:
        rows = Speaker.objects.filter(name__in=names).values_list("name", "role", "pk")
        return {(name, role): pk for name, role, pk in rows if (name, role) in kinds}

    found = stored({name for name, _ in kinds})
    if behind is not None:
        behind.settle_if_shared(set(kinds) - set(found), behind.keys.speakers)
    missing = [  # in key order, as in _topics
        Speaker(name=name, role=role, kind=kinds[name, role])
        for name, role in sorted(kinds)
        if (name, role) not in found
    ]
    if missing:
        Speaker.objects.bulk_create(missing, ignore_conflicts=True)
        found |= stored({s.name for s in missing})
    return found


def _sources_resolve(
    writer: TableWriter, places: list[_Place], behind: Behind | None = None
) -> None:
    """Give each place its stored source: found by content hash, then by URL, as
    ``source_get_or_create`` looks; the rest written once each."""
    hashes = {p.source["content_hash"] for p in places if p.source["content_hash"]}
    urls = {p.source["url"] for p in places if p.source["url"]}
    if behind is not None:  # looked up after its commit, it is found, not written twice
        behind.settle_if_shared(hashes | urls, behind.keys.sources)
    by_hash = {s["content_hash"]: s for s in _sources_where("content_hash", hashes)}
    by_url = {s["url"]: s for s in _sources_where("url", urls)}
    new: list[Row] = []
    for place in places:
        built = place.source
        found = by_hash.get(built["content_hash"]) if built["content_hash"] else None
        if found is None and built["url"]:
            found = by_url.get(built["url"])
        if found is None:
            new.append(built)
            found = built
            if built["content_hash"]:
                by_hash[built["content_hash"]] = built
            if built["url"]:
                by_url[built["url"]] = built
        place.source = found
    writer.insert(Source, new, ids=True)


SOURCE_COLUMNS = ("id", "text", "content_hash", "url")


def _sources_where(column: str, values: set[str]) -> list[Row]:
    """Stored sources whose ``column`` is one of ``values`` (``SOURCE_COLUMNS`` of each)."""
    if not values:
        return []
    if connection.vendor != "postgresql":
        return list(Source.objects.filter(**{f"{column}__in": values}).values(*SOURCE_COLUMNS))
    # One array parameter rather than the ORM's IN list of a thousand: building and quoting
    # that list cost more than the index probes (the column's index serves "= ANY").
    query = sql.SQL("SELECT {} FROM {} WHERE {} = ANY(%s::text[])").format(
        sql.SQL(", ").join(map(sql.Identifier, SOURCE_COLUMNS)),
        sql.Identifier(Source._meta.db_table),
        sql.Identifier(column),
    )
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(connection.connection), [list(values)])
        return [dict(zip(SOURCE_COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def _appearances(
    actor: AbstractBaseUser, plan: _Plan, speakers: dict[tuple[str, str], int]
) -> list[Row]:
    """The plan's appearance rows, as ``appearance_add`` stores them (``_appearance_build``)."""
    built: list[Row] = []
    used: set[int] = set()
    for place in plan.places:
        source = place.source
        start = source["text"].find(place.quote)
        if start < 0:
            plan.notes.append(quote_missing_note(source["id"], place.where))
            continue
        if source["id"] in used:
            continue  # one appearance per claim and source, as appearance_add keeps it
        used.add(source["id"])
        # The span is where str.find found the quote, so it reproduces the quote (the rule
        # validate_span checks); a "said" attribution always comes with its speaker here.
        built.append(
            {
                "claim_id": plan.claim["id"],
                "source_id": source["id"],
                "quote": place.quote,
                "start": start,
                "end": start + len(place.quote),
                "speaker_id": speakers[place.speaker[:2]] if place.speaker else None,
                "attribution": place.attribution,
                "created_by_id": actor.pk if actor.is_authenticated else None,
            }
        )
    return built
