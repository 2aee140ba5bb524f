"""A page's topics, figures and appearances are read in three queries compiled once per process
(on PostgreSQL, the claim ids in one array parameter), and must be exactly the rows the ORM
reads for the same claims."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from psycopg.pq import Format

from claims import selectors
from claims.models import Appearance, Attribution, Claim
from claims.selectors import claim_parts, psycopg_datetimes
from claims.services import AppearanceData, QuantityData, claim_create
from tests import factories

pytestmark = pytest.mark.django_db

TIMESTAMPTZ_OID = 1184


@pytest.fixture
def claims(editor) -> list[Claim]:
    """Claims with two topics or none, figures or none, and appearances with and without a
    speaker, in two sources (so the appearances' order is by source, then offset)."""
    topics = [factories.TopicFactory(name=name) for name in ("Économie", "budget", "Zoll")]
    sources = [factories.SourceFactory(created_by=editor) for _ in range(2)]
    made = []
    for index in range(6):
        first, second = sources if index % 2 else reversed(sources)
        made.append(
            claim_create(
                actor=editor,
                statement=f"Claim {index}: « 3,5 % » of the budget.",
                topics=topics[index % 3 : index % 3 + 2] if index % 4 else [],
                quantities=[
                    QuantityData(value=Decimal(f"{index}.25"), unit="€", approximate=True),
                    QuantityData(value=Decimal("-0.000001"), unit="%", period="year"),
                ]
                if index % 3
                else [],
                appearances=[
                    AppearanceData(
                        first, first.text[6:11], 6, factories.SpeakerFactory(), Attribution.SAID
                    ),
                    AppearanceData(second, second.text[:5], 0, None, Attribution.REPORTED, "Ü"),
                    AppearanceData(first, first.text[:5], 0, None, Attribution.ASSERTED),
                ],
            )
        )
    return made


def test_the_parts_are_exactly_the_orms_rows(claims, monkeypatch):
    ids = [claim.pk for claim in claims]
    parts = claim_parts(ids)
    monkeypatch.setattr(selectors, "_compiled_parts_queries", lambda alias: None)

    with CaptureQueriesContext(connection) as queries:
        assert claim_parts(ids) == parts
    assert len(queries) == 3 and all(" IN (" in q["sql"] for q in queries)
    for pk in ids:
        appearances = parts[pk].appearances
        assert len(appearances) == 3
        assert appearances == sorted(appearances, key=lambda a: (a.source_id, a.start, a.id))
        assert [a.speaker is None for a in appearances].count(False) == 1
    assert any(parts[pk].topics for pk in ids) and any(parts[pk].quantities for pk in ids)


def test_on_postgresql_the_queries_are_compiled_once_with_the_ids_as_one_parameter(
    claims, monkeypatch
):
    claim_parts([claims[0].pk])  # compiled here, if no test did it before
    compiled = []
    as_sql = SQLCompiler.as_sql

    def spy(compiler, *args, **kwargs):
        compiled.append(compiler)
        return as_sql(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", spy)
    with CaptureQueriesContext(connection) as queries:
        claim_parts([claim.pk for claim in claims])

    assert compiled == []
    assert len(queries) == 3
    assert all("= ANY(" in query["sql"] and " IN (" not in query["sql"] for query in queries)


def test_no_claims_cost_no_query(db):
    with CaptureQueriesContext(connection) as queries:
        assert claim_parts([]) == {}
    assert len(queries) == 0


def test_a_claim_without_parts_has_empty_ones(editor):
    bare = claim_create(actor=editor, statement="Nothing attached.")

    assert claim_parts([bare.pk]) == {bare.pk: selectors.ClaimParts()}


def test_psycopgs_own_loader_reads_the_same_times_as_djangos(claims):
    def times() -> list:
        rows = Appearance.objects.order_by("id").values_list("created_at", "claim__updated_at")
        return [value for row in rows for value in row]

    djangos = times()
    with psycopg_datetimes("default"):
        psycopgs = times()
        inside = _timestamptz_loader()

    assert psycopgs == djangos and len(djangos) == 2 * 3 * len(claims)
    assert all(value.utcoffset() == dt.timedelta(0) for value in psycopgs)
    # Django's loader is a subclass of psycopg's Python one; psycopg's own is compiled.
    assert not issubclass(inside, BaseTzLoader)
    assert issubclass(_timestamptz_loader(), BaseTzLoader)


def _timestamptz_loader() -> type:
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        return cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
