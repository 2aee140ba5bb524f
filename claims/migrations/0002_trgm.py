"""Trigram matching of claim statements on PostgreSQL (claims.extraction.matching).

The pg_trgm extension and a GIN trigram index on ``Claim.statement``, which serves the
``statement %> '…'`` look-up that finds claims worded like a new candidate. Both steps do
nothing on other databases (SQLite matches with rapidfuzz instead). The index is created in SQL
rather than declared in ``Claim.Meta.indexes`` because a GinIndex there would be created on
SQLite too, where it cannot exist.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "claims_claim_statement_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON claims_claim USING gin (statement gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
    ]

    operations = [
        # CreateExtension already skips databases other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
