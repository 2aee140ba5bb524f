"""4: the desk's bulk import of LIAR rows ÷ PostgreSQL COPY of the rows that import wrote.

The file: ``../shared/data/liar/valid.tsv`` (1,284 rows) repeated to the size asked for; every
copy after the first has " (copy N)" appended to its statement, so every row is a new claim (a
row whose statement the desk already holds is a cheaper "matched" row, which would flatter the
importer).

The figure: rows per second of ``claims.bulk.claims_import`` (the path of ``manage.py
import_claims`` and ``POST /api/v1/claims/import``), run in a process of its own against a
fresh copy of the migrated benchmark database.

The ceiling, "the same rows into the same tables": every row the import wrote, in every table
it wrote to (claims, their history, topic links, workflow events, sources, speakers, topics,
appearances and their history, external reviews), read back out and loaded with COPY into a
second fresh copy of the same database (same schema, indexes and constraints), in one
transaction. Rows per second = file rows ÷ the COPY's seconds.
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
from bench.report import Line


def liar_file(path: Path, rows: int) -> int:
    """Write ``rows`` LIAR rows to ``path`` (see the module's docstring); returns ``rows``."""
    lines = LIAR_VALID.read_text(encoding="utf-8").splitlines()
    written = 0
    with path.open("w", encoding="utf-8") as out:
        copy = 0
        while written < rows:
            copy += 1
            for line in lines:
                if written == rows:
                    break
                cells = line.split("\t")
                if copy > 1:
                    cells[2] = f"{cells[2]} (copy {copy})"
                out.write("\t".join(cells) + "\n")
                written += 1
    return written


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
        raise RuntimeError(f"The import failed: {done.stderr[-2000:]}")
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


def line(*, env: dict[str, str], var: Path, template: str, rows: int, username: str) -> Line:
    path = var / f"liar-{rows}.tsv"
    liar_file(path, rows)
    prefix = template.removesuffix("_template")
    imported, copied = f"{prefix}_import", f"{prefix}_copy"
    try:
        procs.recreate_database(imported, template=template)
        procs.recreate_database(copied, template=template)
        result = run_import(env, imported, path, username)
        data = written_rows(imported, copied)
        copy_seconds = copy_in(copied, data)
    finally:
        for name in (imported, copied):
            procs.drop_database(name)
        path.unlink(missing_ok=True)
    counts = result["counts"]
    return Line(
        key="4",
        name=f"Bulk import of {rows:,} LIAR rows, rows/s",
        unit="rows/s",
        target=">= 0.3",
        figure=rows / result["seconds"],
        ceiling=rows / copy_seconds,
        ceiling_name="COPY of the rows it wrote",
        details={
            "import_seconds": round(result["seconds"], 2),
            "copy_seconds": round(copy_seconds, 2),
            "counts": counts,
            "tables": {table: data.count(b"\n") for table, data in data.items()},
            "failed": counts.get("created", 0) != rows,
        },
    )
