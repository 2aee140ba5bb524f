"""Full-text search indexes for the API's ``q`` (verification.api.claim_filters.search_claims), PostgreSQL.

Three GIN indexes on the very expressions the search uses, so PostgreSQL can answer ``q``
without reading every row: the claim's statement and each appearance's quote (English
stemming), and each speaker's name (the "simple" configuration: names are not stemmed). They
are created in SQL rather than declared in the models' ``Meta.indexes`` because an expression
index on ``to_tsvector`` cannot exist on SQLite, where the search falls back to a substring
match; both steps do nothing there.
"""

from django.db import migrations

INDEXES = {
    "claims_claim_statement_fts": (
        "claims_claim",
        "to_tsvector('english'::regconfig, COALESCE(statement, ''))",
    ),
    "claims_appearance_quote_fts": (
        "claims_appearance",
        "to_tsvector('english'::regconfig, COALESCE(quote, ''))",
    ),
    "claims_speaker_name_fts": (
        "claims_speaker",
        "to_tsvector('simple'::regconfig, COALESCE(name, ''))",
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_trgm"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
