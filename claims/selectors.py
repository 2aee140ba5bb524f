"""Reads of claims, shaped for lists and pages without N+1 queries."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connections, models, router
from django.db.models import F, Lookup, Prefetch, Q, QuerySet

from claims.models import Appearance, Claim, ClaimMatch, IngestJob, MatchOutcome, Quantity


def claim_list() -> QuerySet[Claim]:
    """Claims with their related rows loaded as model objects (submitter, topics, quantities,
    appearances with sources and speakers): DRF's generic field path, which the API no longer
    takes (it reads :func:`claim_rows` and :func:`claim_parts`) but which its rows are
    tested against, byte for byte."""
    return Claim.objects.select_related("submitted_by", "published_by").prefetch_related(
        "topics",
        "quantities",
        Prefetch(
            "appearances",
            queryset=Appearance.objects.select_related("source", "speaker"),
        ),
    )


def claim_rows() -> QuerySet[Claim]:
    """Claims as the API shows them, with the usernames of their submitter and publisher
    (``submitted_by_username``, ``published_by_username``; not the users themselves) and
    without their topics, figures and appearances: the claim serializer reads those with
    :func:`claim_parts`, for a whole page at once."""
    return Claim.objects.annotate(
        submitted_by_username=F("submitted_by__username"),
        published_by_username=F("published_by__username"),
    )


class ListedSpeaker(NamedTuple):
    id: int
    name: str
    kind: str
    role: str


class ListedQuantity(NamedTuple):
    id: int
    kind: str
    value: Decimal
    unit: str
    period: str
    approximate: bool
    text: str


class ListedAppearance(NamedTuple):
    id: int
    source_id: int
    source_title: str
    quote: str
    start: int
    end: int
    speaker: ListedSpeaker | None
    attribution: str
    note: str
    created_at: dt.datetime


@dataclass
class ClaimParts:
    """A claim's topics (slugs), figures and appearances, in the models' orders."""

    topics: list[str] = field(default_factory=list)
    quantities: list[ListedQuantity] = field(default_factory=list)
    appearances: list[ListedAppearance] = field(default_factory=list)


def claims_with_parts(claims: Iterable[Claim]) -> list[Claim]:
    """The claims, each with ``parts`` (:class:`ClaimParts`): three queries for any number of
    claims (:func:`claim_parts`), none for claims that have them already."""
    claims = list(claims)
    wanted = [claim for claim in claims if getattr(claim, "parts", None) is None]
    if wanted:
        parts = claim_parts([claim.pk for claim in wanted])
        for claim in wanted:
            claim.parts = parts[claim.pk]
    return claims


def claim_parts(claim_ids: Iterable[int]) -> dict[int, ClaimParts]:
    """The topics, figures and appearances of the claims ``claim_ids``, by claim id: three
    queries for any number of claims, none for none.

    Read as tuples rather than prefetched: a page of 50 claims made some 500 model instances
    and a filtered queryset per claim and relation, which cost more than the rest of the page.
    On PostgreSQL the three queries are compiled once per process and take the ids as one
    array parameter (``claim_id = ANY(…)``): building them anew for each page, and an ``IN``
    list value by value, cost more than reading their rows (``bench/``, 2f).
    """
    parts = {pk: ClaimParts() for pk in claim_ids}
    if not parts:
        return parts
    topics, quantities, appearances = _parts_rows(list(parts))
    for claim_id, slug in topics:
        parts[claim_id].topics.append(slug)
    for claim_id, *row in quantities:
        parts[claim_id].quantities.append(ListedQuantity(*row))
    for claim_id, pk, source, title, quote, start, end, said, note, at, *who in appearances:
        speaker = None if who[0] is None else ListedSpeaker(*who)
        row = ListedAppearance(pk, source, title, quote, start, end, speaker, said, note, at)
        parts[claim_id].appearances.append(row)
    return parts


def _parts_querysets(of_claims: Q | Lookup) -> tuple[QuerySet, QuerySet, QuerySet]:
    """The rows :func:`claim_parts` reads (topics, figures, appearances with their speakers),
    each led by its claim's id, for the claims ``of_claims`` selects (a filter on
    ``claim_id``)."""
    topics = (
        Claim.topics.through.objects.filter(of_claims)
        .order_by("topic__name", "topic__slug")
        .values_list("claim_id", "topic__slug")
    )
    quantities = (
        Quantity.objects.filter(of_claims)
        .order_by(*Quantity._meta.ordering)
        .values_list("claim_id", *ListedQuantity._fields)
    )
    appearances = (
        Appearance.objects.filter(of_claims)
        .order_by(*Appearance._meta.ordering, "id")
        .values_list(
            "claim_id",
            "id",
            "source_id",
            "source__title",
            "quote",
            "start",
            "end",
            "attribution",
            "note",
            "created_at",
            *(f"speaker__{name}" for name in ListedSpeaker._fields),
        )
    )
    return topics, quantities, appearances


def _parts_rows(claim_ids: list[int]) -> list[list[tuple]]:
    """The rows of :func:`_parts_querysets` for ``claim_ids``: by the compiled queries where
    the database has them, else through the ORM."""
    alias = router.db_for_read(Claim)
    compiled = _compiled_parts_queries(alias)
    if compiled is None:
        return [list(rows) for rows in _parts_querysets(Q(claim_id__in=claim_ids))]
    # One array literal for the three queries: adapting a list of ints is done value by value.
    ids = "{" + ",".join(str(int(pk)) for pk in claim_ids) + "}"
    results = []
    with psycopg_datetimes(alias), connections[alias].cursor() as cursor:
        for sql, params in compiled:
            cursor.execute(sql, [ids if p is _CLAIM_IDS else p for p in params])
            results.append(cursor.fetchall())
    return results


@contextlib.contextmanager
def psycopg_datetimes(alias: str) -> Iterator[None]:
    """Within: the queries on the database ``alias`` read ``timestamptz`` values with
    psycopg's own loader (compiled) instead of Django's (Python: some 3 µs a value, a tenth of
    what a claim's row in a list costs, ``bench/`` 2f).

    Both give the same instant, aware: Django's in the connection's time zone, psycopg's in the
    session's, which Django sets to the connection's. Nothing changes without time zones
    (``USE_TZ`` off, where Django's loader drops them) or on another database."""
    connection = connections[alias]
    if connection.vendor != "postgresql" or connection.timezone is None:
        yield
        return
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    if not is_psycopg3:
        yield
        return
    from psycopg.types.datetime import TimestamptzLoader

    def load_in_psycopg(execute: Any, sql: str, params: Any, many: bool, context: dict) -> Any:
        # Django makes a cursor per query, with its own loader; this query's is psycopg's.
        context["cursor"].cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(load_in_psycopg):
        yield


class _AnyOf(Lookup):
    """``lhs = ANY(%s::type[])``: the values in one parameter, a PostgreSQL array literal
    (``{1,2,3}``) of the left-hand side's type, so that the SQL is the same however many
    values it holds."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        array = f"{self.lhs.output_field.db_type(connection)}[]"
        return f"{lhs} = ANY(%s::{array})", [*params, self.rhs]


# Stands for the claim ids in the compiled queries' parameters.
_CLAIM_IDS = object()


@functools.cache
def _compiled_parts_queries(alias: str) -> tuple[tuple[str, tuple[Any, ...]], ...] | None:
    """The SQL and parameters of :func:`_parts_querysets` on the database ``alias``, with
    ``_CLAIM_IDS`` where the ids go; None where the rows would not come out of a plain cursor
    as the ORM gives them (a database without arrays, a column Django converts)."""
    if connections[alias].vendor != "postgresql":
        return None
    compiled = []
    for queryset in _parts_querysets(_AnyOf(F("claim_id"), _CLAIM_IDS)):
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if compiler.get_converters([column for column, _, _ in compiler.select]):
            return None
        compiled.append((sql, tuple(params)))
    return tuple(compiled)


def claim_matches_list() -> QuerySet[ClaimMatch]:
    """Matches with both sides and the decision, ready to show: the appearance (its claim,
    source and speaker) and the existing claim it was matched to."""
    return ClaimMatch.objects.select_related(
        "appearance__claim",
        "appearance__source",
        "appearance__speaker",
        "appearance__created_by",
        "existing",
        "decided_by",
    ).defer("appearance__source__text")


def claim_matches(claim: Claim) -> QuerySet[ClaimMatch]:
    """Ingestion's matches that concern ``claim``, both ways: its appearances (now, or before a
    confirmed duplicate moved them to the existing claim) matched to existing claims, and other
    claims' appearances matched to it. Best score first."""
    return claim_matches_list().filter(concerning_claim(claim.pk))


def concerning_claim(claim_id: int) -> Q:
    """The matches of :func:`claim_matches`, as a filter on ``ClaimMatch``."""
    ever_its_own = Appearance.history.filter(claim_id=claim_id).values("id")
    return (
        Q(appearance__claim_id=claim_id)
        | Q(existing_id=claim_id)
        | Q(appearance_id__in=ever_its_own)
    )


def ingest_job_appearances(job: IngestJob) -> list[Appearance]:
    """What the desk holds from a job's article, in the article's order: each appearance in
    its source, with its claim (figures, score), speaker and matches. Empty until the job has
    stored its source. Five queries, however long the article."""
    if job.source_id is None:
        return []
    matches = ClaimMatch.objects.select_related("existing", "decided_by")
    return list(
        Appearance.objects.filter(source_id=job.source_id)
        .select_related("claim", "speaker")
        .prefetch_related(
            "claim__quantities",
            Prefetch("matches", queryset=matches),
        )
        .order_by("start", "end", "id")
    )


class CandidateOutcome(models.TextChoices):
    """What an ingest job did with a sentence the desk holds from its article."""

    CREATED = "created", "A new claim in state new, made by this job"
    ATTACHED = "attached", "A new appearance of an existing claim, made by this job"
    ALREADY = "already", "Extracted before this job (the same article was ingested before)"


def candidate_outcome(appearance: Appearance, job: IngestJob) -> str:
    """Read from the rows themselves: an appearance older than the job was extracted before;
    one with an "attached" match joined an existing claim; the rest are new claims. Uses the
    prefetched matches of :func:`ingest_job_appearances`."""
    if appearance.created_at < job.created_at:
        return CandidateOutcome.ALREADY
    if any(m.outcome == MatchOutcome.ATTACHED for m in appearance.matches.all()):
        return CandidateOutcome.ATTACHED
    return CandidateOutcome.CREATED
