"""The benchmark's desk: its people and tokens, and its claims generated in SQL.

Claims for the scale benchmark are made with ``INSERT … SELECT generate_series`` (the ORM would
take most of an hour for a million), from the LIAR statements numbered so each is distinct:

- a claim per number ``g``: statement ``"<LIAR statement n> (g)"``, priority by ``g % 4``, state
  by ``g % 20`` (8 new, 4 triaged, 3 in research, 2 in review, 2 published, 1 dismissed in 20),
  created a minute apart (newest last), submitted by the editor;
- one topic link, one appearance (the statement as the quote, in one of 1,000 sources, said by
  one of LIAR's speakers) and a "created" workflow event per claim, and a "triage" event for
  every claim past new.

The quote's span satisfies the table's constraints (``end = start + length(quote)``); the
generated sources' texts are not the quotes' documents, which nothing under test reads.
Fifty "needle" claims (:data:`NEEDLE`) are added once, at the first size, so a search has the
same 50 answers at every size.
"""

from __future__ import annotations

import csv
import os
import time
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import connection, transaction

from bench import product
from claims.roles import Role
from verification.models import ReviewerProfile

# LIAR's validation set, from the shared data beside the checkout unless BENCH_LIAR_TSV says
# where (a worktree's parent is not the checkout's).
LIAR_VALID = Path(
    os.environ.get(
        "BENCH_LIAR_TSV",
        Path(__file__).resolve().parent.parent.parent / "shared/data/liar/valid.tsv",
    )
)
NEEDLE = "zeppelin"  # in no LIAR statement
STATES = (
    ["new"] * 8
    + ["triaged"] * 4
    + ["in_research"] * 3
    + ["in_review"] * 2
    + ["published"] * 2
    + ["dismissed"]
)
# Tables the generator fills; their secondary indexes are dropped and rebuilt around a large
# insert (building an index once is much faster than growing it a row at a time).
GENERATED_TABLES = (
    "claims_claim",
    "claims_claim_topics",
    "claims_appearance",
    "verification_workflowevent",
)


@dataclass
class People:
    editor: AbstractBaseUser
    reviewer: AbstractBaseUser
    editor_token: str
    reviewer_token: str


def liar_rows() -> list[list[str]]:
    with LIAR_VALID.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def people_create() -> People:
    """An editor (superuser, imports and triages) and a reviewer (reads the lists), with
    API tokens."""
    User = get_user_model()
    editor = User.objects.create_superuser("bench-editor", "bench-editor@localhost", None)
    editor.groups.add(Group.objects.get(name=Role.EDITOR))
    reviewer = User.objects.create_user(
        "bench-reviewer", "bench-reviewer@localhost", None, is_staff=True
    )
    reviewer.groups.add(Group.objects.get(name=Role.REVIEWER))
    ReviewerProfile.objects.get_or_create(user=reviewer, defaults={"capacity": 50})
    return People(
        editor=editor,
        reviewer=reviewer,
        editor_token=product.api_token_create(editor),
        reviewer_token=product.api_token_create(reviewer),
    )


def reference_rows_create(editor_id: int) -> None:
    """LIAR's statements, speakers and subjects as look-up tables for the generator, and the
    1,000 sources the generated appearances are in."""
    rows = liar_rows()
    speakers = sorted({r[4] for r in rows if len(r) > 4 and r[4]})
    topics = sorted({t for r in rows if len(r) > 3 for t in r[3].split(",") if t})
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_statement (n integer PRIMARY KEY, statement text)")
        with cursor.copy("COPY bench_statement (n, statement) FROM STDIN") as copy:
            for n, row in enumerate(rows):
                copy.write_row((n, row[2]))
        cursor.execute(
            "INSERT INTO claims_speaker (name, kind, role) "
            "SELECT initcap(replace(s, '-', ' ')), 'person', '' FROM unnest(%s::text[]) s "
            "ON CONFLICT DO NOTHING",
            [speakers],
        )
        cursor.execute(
            "INSERT INTO claims_topic (slug, name) "
            "SELECT t, initcap(replace(t, '-', ' ')) FROM unnest(%s::text[]) t "
            "ON CONFLICT DO NOTHING",
            [topics],
        )
        cursor.execute(
            "INSERT INTO claims_source (kind, url, title, publisher, author, language, text, "
            "content_hash, created_at, created_by_id) "
            "SELECT 'article', 'https://news.example/bench/' || g, 'Generated source ' || g, "
            "'Bench Gazette', '', 'en', 'A generated source for the scale benchmark, ' || g, "
            "md5('bench source ' || g) || md5('bench source ' || g), now(), %s "
            "FROM generate_series(1, 1000) g",
            [editor_id],
        )


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i "
        "WHERE i.schemaname = 'public' AND i.tablename = ANY(%s) AND NOT EXISTS ("
        "  SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [list(GENERATED_TABLES)],
    )
    return list(cursor.fetchall())


def claims_generate(*, total: int, editor_id: int, rebuild_indexes: bool) -> dict[str, float]:
    """Grow the claim table to ``total`` generated claims (with topics, appearances, events).

    With ``rebuild_indexes`` the generated tables' secondary indexes are dropped first and
    built again after (same definitions, from ``pg_indexes``). Returns the seconds each step
    took.
    """
    timings: dict[str, float] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_statement")
        statements = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(g), 0) FROM bench_generated")
        done = cursor.fetchone()[0]
        if done >= total:
            return timings
        # Foreign keys are checked per statement, not at commit: an index cannot be built on a
        # table with checks still pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")
        indexes = _secondary_indexes(cursor) if rebuild_indexes else []
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        started = time.monotonic()
        cursor.execute("SELECT coalesce(max(id), 0) FROM claims_claim")
        last_id = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO claims_claim (statement, priority, checkworthiness, state,
                submitted_by_id, required_reviews, review_round, consensus_rating,
                consensus_confidence, agreement, published_at, published_by_id,
                published_rating, published_summary, created_at, updated_at, language)
            SELECT s.statement || ' (' || g || ')',
                (ARRAY['low', 'normal', 'high', 'urgent'])[1 + g %% 4],
                NULL, st.state, %(editor)s, 1, 1,
                CASE WHEN st.state IN ('in_review', 'published') THEN 'mostly_true' ELSE '' END,
                CASE WHEN st.state IN ('in_review', 'published') THEN 'moderate' ELSE '' END,
                NULL,
                CASE WHEN st.state = 'published' THEN ts END,
                CASE WHEN st.state = 'published' THEN %(editor)s END,
                CASE WHEN st.state = 'published' THEN 'mostly_true' ELSE '' END,
                '', ts, ts, 'en'
            FROM generate_series(%(first)s, %(last)s) g
            JOIN bench_statement s ON s.n = g %% %(statements)s
            CROSS JOIN LATERAL (SELECT (%(states)s::text[])[1 + g %% 20] AS state,
                now() - make_interval(mins => %(total)s - g) AS ts) st
            ORDER BY g
            """,
            {
                "editor": editor_id,
                "first": done + 1,
                "last": total,
                "statements": statements,
                "states": STATES,
                "total": total,
            },
        )
        cursor.execute(
            "INSERT INTO bench_generated (g, claim_id) "
            "SELECT %s + row_number() OVER (ORDER BY id), id FROM claims_claim WHERE id > %s",
            [done, last_id],
        )
        timings["claims"] = time.monotonic() - started
        started = time.monotonic()
        cursor.execute(
            """
            INSERT INTO claims_claim_topics (claim_id, topic_id)
            SELECT b.claim_id, t.ids[1 + b.g %% cardinality(t.ids)]
            FROM bench_generated b, (SELECT array_agg(id ORDER BY id) ids FROM claims_topic) t
            WHERE b.g > %(done)s;
            INSERT INTO claims_appearance (claim_id, source_id, quote, start, "end",
                speaker_id, attribution, note, created_at, created_by_id)
            SELECT c.id, src.ids[1 + b.g %% cardinality(src.ids)], c.statement, 0,
                length(c.statement), sp.ids[1 + b.g %% cardinality(sp.ids)], 'said', '',
                c.created_at, %(editor)s
            FROM bench_generated b JOIN claims_claim c ON c.id = b.claim_id,
                (SELECT array_agg(id ORDER BY id) ids FROM claims_source
                 WHERE url LIKE 'https://news.example/bench/%%') src,
                (SELECT array_agg(id ORDER BY id) ids FROM claims_speaker) sp
            WHERE b.g > %(done)s;
            INSERT INTO verification_workflowevent (claim_id, actor_id, action, from_state,
                to_state, note, created_at)
            SELECT c.id, %(editor)s, 'create', '', 'new', '', c.created_at
            FROM bench_generated b JOIN claims_claim c ON c.id = b.claim_id
            WHERE b.g > %(done)s
            UNION ALL
            SELECT c.id, %(editor)s, 'triage', 'new', 'triaged', '', c.created_at
            FROM bench_generated b JOIN claims_claim c ON c.id = b.claim_id
            WHERE b.g > %(done)s AND c.state NOT IN ('new', 'dismissed');
            """,
            {"done": done, "editor": editor_id},
        )
        timings["topics, appearances, events"] = time.monotonic() - started
        started = time.monotonic()
        for _, definition in indexes:
            cursor.execute(definition)
        if indexes:
            timings["indexes rebuilt"] = time.monotonic() - started
    started = time.monotonic()
    with connection.cursor() as cursor:
        for table in GENERATED_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    timings["vacuum analyze"] = time.monotonic() - started
    return timings


def generator_prepare() -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_generated (g integer PRIMARY KEY, claim_id bigint)")


def needles_create(editor: AbstractBaseUser, count: int = 50) -> None:
    """Claims with a word no other claim has, through the service (so they are real claims)."""
    from claims.models import Source

    source = Source.objects.get(url="https://news.example/bench/1")
    for n in range(count):
        product.claim_create(
            actor=editor,
            statement=f"The {NEEDLE} fleet cost {n + 1} million dollars a year.",
            priority="high",
            appearance=(source, source.text[:9], 0),
        )


def claim_ids_spread(count: int) -> list[int]:
    """``count`` generated claim ids spread evenly over the table, for the claim-page figure."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(g) FROM bench_generated")
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT claim_id FROM bench_generated WHERE g = ANY(%s) ORDER BY g",
            [[1 + i * (total // count) for i in range(count)]],
        )
        return [row[0] for row in cursor.fetchall()]
