"""4: the desk's bulk import of LIAR rows ÷ PostgreSQL COPY of the rows that import wrote.

The file: ``../shared/data/liar/valid.tsv`` (1,284 rows) repeated to the size asked for; every
copy after the first has " (copy N)" appended to its statement, so every row is a new claim (a
row whose statement the desk already holds is a cheaper "matched" row, which would flatter the
importer). It is cut into one part per round, three disjoint sets of rows.

Two fresh copies of the migrated benchmark database: one the desk imports into, one the
ceiling copies into. Each round, on a quiet server:

- the figure: rows per second of the desk's bulk import (as ``manage.py import_claims`` runs it,
  :func:`bench.product.bulk_importer`) of the round's part, in a process of its own;
- the ceiling, "the same rows into the same tables": every row that import wrote, in every
  table it wrote to (claims, their history, topic links, workflow events, sources, speakers,
  topics, appearances and their history, external reviews), read back out and loaded with
  COPY into the second database (same schema, indexes and constraints, and the same rows as
  the first before the round), in one transaction. Rows per second = the part's rows ÷ the
  COPY's seconds.

Both databases grow by the same rows round by round, so each round's import and COPY meet a
table of the same size.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql

from bench import procs
from bench.desk import LIAR_VALID
from bench.report import Line, Round


def liar_lines(rows: int) -> list[str]:
    """``rows`` LIAR rows as TSV lines (see the module's docstring)."""
    lines = LIAR_VALID.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    copy = 0
    while len(out) < rows:
        copy += 1
        for line in lines[: rows - len(out)]:
            cells = line.split("\t")
            if copy > 1:
                cells[2] = f"{cells[2]} (copy {copy})"
            out.append("\t".join(cells) + "\n")
    return out


def run_import(env: dict[str, str], database: str, path: Path, username: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.import_job", str(path), username],
        env={**env, "DATABASE_URL": procs.database_url(database)},
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"The import failed: {(done.stderr or done.stdout)[-2000:]}")
    return json.loads(line.removeprefix("BENCH_JSON "))


def _primary_key(connection: psycopg.Connection, table: str) -> str:
    return connection.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
        "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = %s::regclass AND i.indisprimary",
        [table],
    ).fetchone()[0]


def _tables(connection: psycopg.Connection) -> list[str]:
    return [
        row[0]
        for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    ]


def written_rows(imported: str, pristine: str) -> dict[str, bytes]:
    """Per table, the rows in ``imported`` past the last key ``pristine`` has, in COPY's text
    format."""
    out: dict[str, bytes] = {}
    with (
        psycopg.connect(procs.database_url(imported)) as source,
        psycopg.connect(procs.database_url(pristine)) as target,
    ):
        for table in _tables(target):
            key = _primary_key(target, table)
            last = target.execute(f'SELECT max("{key}") FROM "{table}"').fetchone()[0]
            query = sql.SQL("COPY (SELECT * FROM {table} {where} ORDER BY {key}) TO STDOUT").format(
                table=sql.Identifier(table),
                key=sql.Identifier(key),
                where=sql.SQL("WHERE {} > {}").format(sql.Identifier(key), sql.Literal(last))
                if last is not None
                else sql.SQL(""),
            )
            chunks = []
            with source.cursor() as cursor, cursor.copy(query) as copy:
                for chunk in copy:
                    chunks.append(bytes(chunk))
            data = b"".join(chunks)
            if data:
                out[table] = data
    return out


def copy_in(database: str, rows: dict[str, bytes]) -> float:
    """COPY every table's rows into ``database`` in one transaction; the seconds it took."""
    with psycopg.connect(procs.database_url(database)) as connection:
        began = time.perf_counter()
        with connection.transaction(), connection.cursor() as cursor:
            for table, data in rows.items():
                with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                    copy.write(data)
        return time.perf_counter() - began


def line(
    *, env: dict[str, str], var: Path, template: str, rows: int, username: str, rounds: int
) -> Line:
    lines = liar_lines(rows)
    parts = [lines[n * rows // rounds : (n + 1) * rows // rounds] for n in range(rounds)]
    prefix = template.removesuffix("_template")
    imported, copied = f"{prefix}_import", f"{prefix}_copy"
    measured: list[dict] = []
    path = var / "liar-part.tsv"
    try:
        procs.recreate_database(imported, template=template)
        procs.recreate_database(copied, template=template)
        for part in parts:
            path.write_text("".join(part), encoding="utf-8")
            quiet = procs.database_quiesce(imported, copied)
            result = run_import(env, imported, path, username)
            data = written_rows(imported, copied)
            measured.append(
                {
                    "rows": len(part),
                    "created": result["created"],
                    "import_seconds": result["seconds"],
                    "copy_seconds": copy_in(copied, data),
                    "tables": {table: chunk.count(b"\n") for table, chunk in data.items()},
                    "quieting_seconds": quiet,
                }
            )
    finally:
        for name in (imported, copied):
            procs.drop_database(name)
        path.unlink(missing_ok=True)
    short = [m for m in measured if m["created"] != m["rows"]]
    return Line(
        key="4",
        name=f"Bulk import of {rows:,} LIAR rows in {rounds} parts, rows/s",
        unit="rows/s",
        target=">= 0.5",
        rounds=[
            Round(m["rows"] / m["import_seconds"], m["rows"] / m["copy_seconds"]) for m in measured
        ],
        ceiling_name="COPY of the rows it wrote",
        failed="; ".join(f"{m['created']} of {m['rows']} rows created" for m in short),
        details={
            "rounds": [
                {k: round(v, 2) if isinstance(v, float) else v for k, v in m.items()}
                for m in measured
            ]
        },
    )
