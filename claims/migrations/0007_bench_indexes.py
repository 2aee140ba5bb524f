"""Indexes the benchmarks (``bench/``) showed missing at 100,000 and 1,000,000 claims.

- ``claims_claim_statement_upper_hash``: a hash index on ``UPPER(statement)``, for the
  importers' "is there a claim with this statement?" (``claims.importing.claim_find_by_statement``,
  ``statement__iexact``, and ``claims.bulk.fast._stored_statement_keys``). Without it every
  imported row reads the whole claim table. Hash, not B-tree: a statement can be longer than a
  B-tree entry may be.
- ``claims_claim_created_id_idx``: ``(created_at DESC, id DESC)``, the API's claim list order
  (``ClaimViewSet.ordering``), so an unfiltered page reads 50 rows instead of sorting them all.

Created in SQL on PostgreSQL only, like 0003: the hash index cannot exist on SQLite, and the
models' state is left alone so ``makemigrations`` has nothing to add.
"""

from django.db import migrations

INDEXES = {
    "claims_claim_statement_upper_hash": "ON claims_claim USING hash (UPPER(statement))",
    "claims_claim_created_id_idx": "ON claims_claim (created_at DESC, id DESC)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_claim_published_verdict"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
