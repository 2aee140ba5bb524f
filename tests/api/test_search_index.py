"""The full-text search ``q`` is served by the GIN indexes of claims migration 0003 on
PostgreSQL: the query uses exactly the indexed expressions."""

from __future__ import annotations

import pytest
from django.db import connection

from tests import factories
from verification.api.claim_filters import claims_matching

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

INDEXES = ("claims_claim_statement_fts", "claims_appearance_quote_fts", "claims_speaker_name_fts")


def test_the_search_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%_fts'")
        found = dict(cursor.fetchall())
    assert set(found) == set(INDEXES)
    assert all("USING gin" in definition for definition in found.values())


def test_a_search_uses_the_indexes_instead_of_reading_every_row():
    for _ in range(3):
        factories.AppearanceFactory()
    queryset = claims_matching("aid figure")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Statistics of what the tables hold now (left to autovacuum, they may describe rows
        # earlier tests made and removed, and the plan then depends on the test order).
        cursor.execute("ANALYZE claims_claim, claims_appearance, claims_speaker")
        # With so few rows the planner would rightly read every row, of the table or of its
        # primary key; forbid both, to see whether it can use the indexes at all. Bitmap scans
        # stay, and need a condition an index can answer.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for index in INDEXES:
        assert index in plan, plan
