"""``python bench/run.py``: measure the desk against its ceilings and a peer; see README.md.

Sets up its own PostgreSQL databases (``claimdesk_bench*``, dropped and made again each run),
its own Redis database (12) and queue, starts gunicorn, Celery workers, an SMTP server and
Label Studio on 127.0.0.1 ports, runs each benchmark, prints one table and writes
``var/bench/results.json``. Everything it started is stopped when it ends, however it ends.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
import traceback
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import procs, rounds  # noqa: E402

VAR = ROOT / "var" / "bench"
# BENCH_DB_PREFIX lets two runs (say, while one benchmark is being worked on) keep apart.
DB = os.environ.get("BENCH_DB_PREFIX", "claimdesk_bench")
TEMPLATE_DB = f"{DB}_template"
SMALL_DB = f"{DB}_small"  # #6's small table, beside the large one in DB
PEER_DESK_DB = f"{DB}_peer"
# Each run flushes its Redis database: a run under another prefix gets one of its own (13–15).
REDIS_URL = os.environ.get(
    "BENCH_REDIS_URL",
    "redis://127.0.0.1:6379/"
    + str(12 if DB == "claimdesk_bench" else 13 + zlib.crc32(DB.encode()) % 3),
)
QUEUE = "claimdesk-bench"
WORKERS = 3  # gunicorn sync workers, for the desk and for Label Studio alike
UNLIMITED = "1000000/second"


def environment() -> dict[str, str]:
    """The service's configuration for every process of the run (see README.md)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": procs.database_url(DB),
        "DATABASE_CONN_MAX_AGE": "60",
        "DEBUG": "false",
        "REDIS_URL": REDIS_URL,
        "CELERY_QUEUE": QUEUE,
        # Throttling would cap the benchmark, not measure the service.
        "API_THROTTLE_ANON": UNLIMITED,
        "API_THROTTLE_USER": UNLIMITED,
        "API_THROTTLE_IMPORT": UNLIMITED,
        "LOG_LEVEL": "WARNING",
        "VAR_DIR": str(VAR / "var"),
        # Import jobs' files: the web server stores them, the Celery worker reads them.
        "MEDIA_ROOT": str(VAR / "var" / "media"),
        "STATIC_ROOT": str(VAR / "var" / "static"),
        "PYTHONUNBUFFERED": "1",
    }


def machine() -> dict[str, str]:
    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        cpu = next((x.split(":", 1)[1].strip() for x in info if x.startswith("model name")), "")
    with open("/proc/meminfo", encoding="utf-8") as info:
        kib = int(next(x.split()[1] for x in info if x.startswith("MemTotal")))
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram": f"{kib / 1024 / 1024:.0f} GiB",
        "postgresql": procs.server_version(),
        "python": platform.python_version(),
        "load_average_at_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def gunicorn(processes: procs.Processes, name: str, env: dict[str, str]) -> tuple[procs.Child, str]:
    port = procs.free_port()
    child = processes.start(
        name,
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            *procs.gunicorn_options(port, WORKERS),
        ],
        env=env,
        cwd=ROOT,
    )
    processes.wait_for_port(child, port, timeout=60)
    return child, f"http://{procs.HOST}:{port}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=10_000, help="claims at the small size")
    parser.add_argument("--large", type=int, default=1_000_000, help="claims at the large size")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--peer-items", type=int, default=10_272, help="LIAR items, peer bench")
    parser.add_argument("--pipeline-claims", type=int, default=900, help="claims a round (#5)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of every benchmark (odd: a median round)"
    )
    parser.add_argument("--skip", default="", help="comma-separated benchmarks to skip (e.g. 7)")
    parser.add_argument("--only", default="", help="comma-separated benchmarks to run (e.g. 4,7)")
    parser.add_argument("--output", type=Path, default=VAR / "results.json")
    parser.add_argument(
        "--keep", action="store_true", help="keep the benchmark databases for inspection"
    )
    args = parser.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if args.only:
        only = {s.strip() for s in args.only.split(",") if s.strip()}
        skip |= {str(n) for n in range(1, 8)} - only
    rounds.ROUNDS = args.rounds

    began = time.monotonic()
    (VAR / "logs").mkdir(parents=True, exist_ok=True)
    (VAR / "var" / "static").mkdir(parents=True, exist_ok=True)
    procs.raise_on_signals()
    processes = procs.Processes(VAR / "logs")
    env = environment()
    os.environ.update(env)
    lines = []
    steps: dict[str, float] = {}
    meta = {"machine": machine(), "steps_seconds": steps, "arguments": vars(args)}

    def step(name: str, action: Callable[[], object]) -> object:
        started = time.monotonic()
        print(f"[{time.monotonic() - began:6.0f}s] {name} …", flush=True)
        try:
            return action()
        finally:
            steps[name] = round(time.monotonic() - started, 1)

    try:
        wrk = procs.ensure_wrk()
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        procs.recreate_database(DB)

        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        from bench import bulk, desk, labelstudio_server, peer_import, peer_list, pipeline, scale
        from bench.load import Load
        from bench.report import Line, table, write_json
        from bench.web import Web

        step("migrate", lambda: call_command("migrate", verbosity=0))
        people = desk.people_create()
        connections.close_all()
        procs.recreate_database(TEMPLATE_DB, template=DB)
        desk.reference_rows_create(people.editor.pk)
        desk.generator_prepare()
        meta["generate_small"] = step(
            f"generate {args.small:,} claims",
            lambda: desk.claims_generate(
                total=args.small, editor_id=people.editor.pk, rebuild_indexes=False
            ),
        )
        desk.needles_create(people.editor)
        claim_ids = desk.claim_ids_spread(20)
        if "6" not in skip:
            # #6's small table, kept as it is now while DB grows to the large one.
            connections.close_all()
            procs.recreate_database(SMALL_DB, template=DB)

        server, base = gunicorn(processes, "gunicorn", env)
        web = Web(load=Load(wrk, base), people=people)

        quieting: dict[str, dict[str, float]] = {}
        meta["quieting_seconds"] = quieting

        def attempt(key: str, name: str, run: Callable[[], list[Line]]) -> None:
            if key in skip:
                return
            try:
                # Each benchmark starts on a quiet server: not while PostgreSQL still writes
                # out, or autovacuums, what the one before wrote (#4 writes two databases of
                # 100,000 claims, #6 a million).
                quieting[key] = procs.database_quiesce()
                lines.extend(step(name, run))
            except Exception as error:  # one benchmark's failure must not hide the others
                traceback.print_exc()
                lines.append(
                    Line(key=key, name=name, unit="", target="", unavailable=f"{error}"[:300])
                )

        attempt("1", "1 list rate", web.list_rate)
        attempt("2", "2 page-size latency", web.page_size_latency)
        from claims.models import Source

        source = Source.objects.get(url="https://news.example/bench/2")
        attempt(
            "3",
            "3 create rate",
            lambda: [web.create_rate(source_id=source.pk, quote=source.text[:10], topic="economy")],
        )
        attempt(
            "4",
            "4 bulk import",
            lambda: [
                bulk.line(
                    env=env,
                    var=VAR,
                    template=TEMPLATE_DB,
                    rows=args.import_rows,
                    username=people.editor.username,
                    rounds=args.rounds,
                )
            ],
        )

        def run_pipeline() -> list[Line]:
            pipeline.reviewers_create(args.pipeline_claims * args.rounds)
            return [
                pipeline.line(
                    processes=processes,
                    env=env,
                    editor=people.editor,
                    redis_url=REDIS_URL,
                    queue=QUEUE,
                    claims=args.pipeline_claims,
                    noop_tasks=2000,
                    rounds=args.rounds,
                )
            ]

        attempt("5", "5 pipeline", run_pipeline)

        def run_scale() -> list[Line]:
            meta["generate_large"] = step(
                f"generate {args.large:,} claims",
                lambda: desk.claims_generate(
                    total=args.large, editor_id=people.editor.pk, rebuild_indexes=True
                ),
            )
            small_env = {**env, "DATABASE_URL": procs.database_url(SMALL_DB)}
            small_server, small_base = gunicorn(processes, "gunicorn-small", small_env)
            try:
                quieting["6 at 1,000,000"] = procs.database_quiesce(DB)
                return scale.lines(
                    small=Web(load=Load(wrk, small_base), people=people),
                    large=web,
                    claim_ids=claim_ids,
                    small_size=args.small,
                    large_size=args.large,
                )
            finally:
                processes.stop(small_server)

        attempt("6", "6 scale", run_scale)
        processes.stop(server)

        def run_peer() -> list[Line]:
            rows = [line.rstrip("\n").split("\t") for line in bulk.liar_lines(args.peer_items)]
            procs.recreate_database(PEER_DESK_DB, template=TEMPLATE_DB)
            peer_env = {**env, "DATABASE_URL": procs.database_url(PEER_DESK_DB)}
            desk_server, desk_base = gunicorn(processes, "gunicorn-peer", peer_env)
            # The desk's import API hands the file to a job that a worker runs.
            desk_worker = pipeline.worker_start(
                processes, peer_env, QUEUE, name="celery-worker-peer"
            )
            ls_server, side = labelstudio_server.label_studio_start(
                processes, venv=VAR / "peer-venv", var=VAR, workers=WORKERS
            )
            try:
                imports = peer_import.imports_compare(
                    desk_base=desk_base,
                    desk_token=people.editor_token,
                    desk_database=PEER_DESK_DB,
                    peer=side,
                    rows=rows,
                )
                listing = peer_list.line(
                    wrk=wrk, desk_base=desk_base, desk_token=people.editor_token, peer=side
                )
                return [imports.line(), listing]
            finally:
                processes.stop(ls_server)
                processes.stop(desk_worker)
                processes.stop(desk_server)

        attempt("7", "7 peer", run_peer)
    finally:
        processes.stop_all()
        if not args.keep:
            from django.db import connections as open_connections

            open_connections.close_all()
            from bench.labelstudio_server import DB as PEER_DB

            for name in (DB, TEMPLATE_DB, SMALL_DB, PEER_DESK_DB, PEER_DB):
                procs.drop_database(name)
    meta["total_seconds"] = round(time.monotonic() - began, 1)
    lines.sort(key=lambda line: line.key)
    print()
    print(table(lines))
    print(f"\nTotal {meta['total_seconds']:.0f} s. Results: {args.output}")
    write_json(args.output, lines, meta)
    return 0 if all(line.verdict in ("pass", "report") for line in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
