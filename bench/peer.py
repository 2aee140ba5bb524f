"""7: the desk beside Label Studio, each served by the same gunicorn settings, given the same
items (LIAR statements) through its import API, then read a page of 50 at a time.

Label Studio is installed once into ``var/bench/peer-venv`` (its own virtual environment,
reused by later runs) and runs on PostgreSQL, in a database of its own. Its migrated database
is kept as a template between runs (``claimdesk_bench_ls_template``), so only the first run
pays for its migrations. The desk side is a fresh copy of the benchmark's migrated database,
served by a second gunicorn of the desk's, so both hold exactly the imported items.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import psycopg

from bench import procs
from bench.load import Load
from bench.report import Line

VERSION = "1.23.2"
GUNICORN_VERSION = "27.0.1"  # the desk's own pin (requirements.txt)
# Label Studio's database follows BENCH_DB_PREFIX like the desk's, so that a run's clean-up
# never drops the database of another run going on at the same time.
DB = f"{os.environ.get('BENCH_DB_PREFIX', 'claimdesk_bench')}_labelstudio"
TEMPLATE_DB = "claimdesk_bench_ls_template"
LABEL_CONFIG = (
    '<View><Text name="text" value="$text"/>'
    '<Choices name="rating" toName="text">'
    + "".join(
        f'<Choice value="{v}"/>'
        for v in ("true", "mostly-true", "half-true", "barely-true", "false", "pants-fire")
    )
    + "</Choices></View>"
)
SETUP_SCRIPT = """
import os
from organizations.models import Organization
from rest_framework.authtoken.models import Token
from users.models import User

user = User.objects.create_user(email="bench@localhost", password=os.environ["BENCH_PEER_PASSWORD"])
user.is_staff = user.is_superuser = True
user.save()
org = Organization.create_organization(
    created_by=user, title="Bench", legacy_api_tokens_enabled=True
)
user.active_organization = org
user.save(update_fields=["active_organization"])
token, _ = Token.objects.get_or_create(user=user)
print("BENCH_TOKEN", token.key)
"""


class Unavailable(Exception):
    """Label Studio could not be installed or run here; the message says why."""


@dataclass
class PeerSide:
    """A running Label Studio: where, its admin's token, and the project last imported into."""

    base: str
    token: str
    project: int = 0


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def ensure_installed(venv: Path, log: Path) -> Path:
    """Label Studio and gunicorn in ``venv``; installed on first use (minutes), then reused."""
    python = venv_python(venv)
    marker = venv / f".bench-label-studio-{VERSION}"
    if marker.exists():
        return python
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    with log.open("ab") as out:
        done = subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "-q",
                f"label-studio=={VERSION}",
                f"gunicorn=={GUNICORN_VERSION}",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=1800,
            check=False,
        )
    if done.returncode != 0:
        raise Unavailable(f"pip install label-studio=={VERSION} failed (see {log})")
    marker.touch()
    return python


def _site_packages(python: Path) -> Path:
    out = subprocess.run(
        [str(python), "-c", "import label_studio as p, os; print(os.path.dirname(p.__file__))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


def _environment(data_dir: Path, database: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "peer_settings",
        "DJANGO_DB": "default",
        "POSTGRE_NAME": database,
        "POSTGRE_USER": "postgres",
        "POSTGRE_PASSWORD": "",
        "POSTGRE_HOST": "127.0.0.1",
        "POSTGRE_PORT": "5432",
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
        "COLLECT_ANALYTICS": "false",
        "LATEST_VERSION_CHECK": "false",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "BENCH_DEAD_PORT": str(procs.free_port()),
    }


def _database_exists(name: str) -> bool:
    with psycopg.connect(procs.PG_ADMIN_URL) as connection:
        return bool(
            connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        )


def _manage(python: Path, package: Path, env: dict[str, str], *args: str, timeout: int) -> str:
    bench_dir = Path(__file__).resolve().parent / "labelstudio"
    done = subprocess.run(
        [str(python), str(package / "manage.py"), *args],
        cwd=package,
        env={**env, "PYTHONPATH": f"{package}:{bench_dir}"},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise Unavailable(f"manage.py {args[0]} failed: {(done.stderr or done.stdout)[-400:]}")
    return done.stdout


def _request(method: str, url: str, token: str, body: bytes | None, content_type: str) -> object:
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Authorization", f"Token {token}")
    if body is not None:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read() or b"null")


def label_studio_start(
    processes: procs.Processes, *, venv: Path, var: Path, workers: int
) -> tuple[procs.Child, PeerSide]:
    """Install (once), migrate (once, kept as a template), serve."""
    python = ensure_installed(venv, var / "peer-install.log")
    package = _site_packages(python)
    data_dir = var / "peer-data"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = _environment(data_dir, DB)
    marker = data_dir / f".template-{VERSION}"
    if not (marker.exists() and _database_exists(TEMPLATE_DB)):
        procs.recreate_database(TEMPLATE_DB)
        _manage(python, package, {**env, "POSTGRE_NAME": TEMPLATE_DB}, "migrate", timeout=1200)
        marker.touch()
    procs.recreate_database(DB, template=TEMPLATE_DB)
    setup_env = {**env, "BENCH_PEER_PASSWORD": os.urandom(12).hex()}
    out = _manage(python, package, setup_env, "shell", "-c", SETUP_SCRIPT, timeout=300)
    token = next(line.split()[1] for line in out.splitlines() if line.startswith("BENCH_TOKEN"))
    port = procs.free_port()
    bench_dir = Path(__file__).resolve().parent / "labelstudio"
    child = processes.start(
        "label-studio-gunicorn",
        [
            str(venv / "bin" / "gunicorn"),
            "core.wsgi:application",
            *gunicorn_options(port, workers),
            "--chdir",
            str(package),
            "--pythonpath",
            f"{package},{bench_dir}",
        ],
        env=env,
    )
    processes.wait_for_port(child, port, timeout=120)
    return child, PeerSide(base=f"http://{procs.HOST}:{port}", token=token)


def label_studio_import(side: PeerSide, items: list[dict[str, str]], title: str) -> float:
    """A new project (which is also the request that readies the server), then ``items``
    imported into it; the import's seconds."""
    project = _request(
        "POST",
        f"{side.base}/api/projects",
        side.token,
        json.dumps({"title": title, "label_config": LABEL_CONFIG}).encode(),
        "application/json",
    )
    body = json.dumps([peer_task(item) for item in items]).encode()
    began = time.perf_counter()
    _request(
        "POST",
        f"{side.base}/api/projects/{project['id']}/import",
        side.token,
        body,
        "application/json",
    )
    seconds = time.perf_counter() - began
    side.project = project["id"]
    return seconds


def peer_task(item: dict[str, str]) -> dict[str, object]:
    """One LIAR item as a Label Studio task: the statement and its fields as the task's data,
    and PolitiFact's verdict as a prediction (Label Studio's place for a label that came from
    elsewhere, as the desk keeps it as an external review beside the claim), so that both sides
    store the same facts."""
    return {
        "data": item,
        "predictions": [
            {
                "model_version": "politifact",
                "result": [
                    {
                        "from_name": "rating",
                        "to_name": "text",
                        "type": "choices",
                        "value": {"choices": [item["label"]]},
                    }
                ],
            }
        ],
    }


def gunicorn_options(port: int, workers: int) -> list[str]:
    """The one set of gunicorn settings both servers run with."""
    return [
        "--bind",
        f"{procs.HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "600",
        "--log-level",
        "warning",
    ]


def desk_import(base: str, token: str, tsv: bytes, items: int) -> float:
    """The same rows through the desk's import API (LIAR mapping); the import's seconds.

    The server has answered one request before the clock starts, as Label Studio has (its
    project is created first): gunicorn's port accepts connections before its workers have
    loaded the application, and a request sent at once would time their start-up too.
    """
    _request("GET", f"{base}/api/v1/claims/?page_size=1", token, None, "")
    began = time.perf_counter()
    report = _request(
        "POST",
        f"{base}/api/v1/claims/import?format=csv&mapping=liar",
        token,
        tsv,
        "text/tab-separated-values",
    )
    seconds = time.perf_counter() - began
    created = report["counts"]["created"]
    if created != items:
        raise RuntimeError(f"The desk created {created} of {items} imported rows: {report}")
    return seconds


def liar_item(cells: list[str]) -> dict[str, str]:
    """A LIAR row's statement, label, subjects, speaker and context, as Label Studio's task
    data (``peer_task``)."""
    return {
        "text": cells[2],
        "label": cells[1],
        "subjects": cells[3],
        "speaker": cells[4],
        "context": cells[13],
    }


@dataclass
class ImportRounds:
    """Each side's import seconds, round by round, and what quieting the server cost."""

    items: int
    desk_seconds: list[float] = field(default_factory=list)
    peer_seconds: list[float] = field(default_factory=list)
    quiet: list[dict[str, float]] = field(default_factory=list)

    @property
    def desk_rate(self) -> float:
        return self.items / statistics.median(self.desk_seconds)

    @property
    def peer_rate(self) -> float:
        return self.items / statistics.median(self.peer_seconds)


def imports_compare(
    *,
    desk_base: str,
    desk_token: str,
    desk_database: str,
    peer: PeerSide,
    rows: list[list[str]],
    rounds: int,
) -> ImportRounds:
    """Both sides import the same LIAR rows, in turns, ``rounds`` times each.

    1. Round 1 gives the rows as they are; round r > 1 appends " (round r)" to every
       statement, for both sides, so that the desk creates every claim again rather than
       matching it to the last round's (a cheaper path).
    2. The sides take turns, the desk first in odd rounds and Label Studio first in even
       ones, so a machine that slows down or speeds up over the minutes meets both alike.
    3. Before each import the server is quieted (``procs.database_quiesce``): the database the
       last import wrote is vacuumed, autovacuum is waited for and a checkpoint taken, so that
       neither side is timed while the server still writes out the other's work (or the 1M
       claims of #6, before the first import).
    Each side's figure is the median of its rounds.
    """
    result = ImportRounds(items=len(rows))
    written: tuple[str, ...] = ()  # the database the last import wrote, vacuumed before the next
    for number in range(1, rounds + 1):
        suffix = f" (round {number})" if number > 1 else ""
        cells = [[*row[:2], row[2] + suffix, *row[3:]] for row in rows]
        tsv = "".join("\t".join(row) + "\n" for row in cells).encode()
        ours = (
            partial(desk_import, desk_base, desk_token, tsv, len(rows)),
            desk_database,
            result.desk_seconds,
        )
        theirs = (
            partial(label_studio_import, peer, [liar_item(r) for r in cells], f"Bench {number}"),
            DB,
            result.peer_seconds,
        )
        for run, database, seconds in (ours, theirs) if number % 2 else (theirs, ours):
            result.quiet.append(procs.database_quiesce(*written))
            seconds.append(run())
            written = (database,)
    return result


def lines(
    *,
    wrk: str,
    desk_base: str,
    desk_token: str,
    imports: ImportRounds,
    peer: PeerSide,
    connections: int,
    seconds: int,
) -> list[Line]:
    peer_path = f"/api/tasks?project={peer.project}&page_size=50"
    # Every answer built afresh: Label Studio keeps no such cache, so the desk's list cache
    # (a hit on every repeat here) would compare a cache with a database read.
    ours = Load(wrk, desk_base).run(
        ["/api/v1/claims/?page_size=50"],
        token=desk_token,
        connections=connections,
        seconds=seconds,
        cache_control="no-cache",
    )
    theirs = Load(wrk, peer.base).run(
        [peer_path], token=peer.token, connections=connections, seconds=seconds
    )
    return [
        Line(
            key="7a",
            name=f"Peer: import of {imports.items:,} LIAR items through the API, items/s",
            unit="items/s",
            target=">= 3",
            figure=imports.desk_rate,
            ceiling=imports.peer_rate,
            ceiling_name=f"Label Studio {VERSION}",
            details={
                "rounds": len(imports.desk_seconds),
                "desk_seconds": imports.desk_seconds,
                "peer_seconds": imports.peer_seconds,
                "quieting_seconds": imports.quiet,
            },
        ),
        Line(
            key="7b",
            name="Peer: list page of 50 (newest first), req/s",
            unit="req/s",
            target=">= 3",
            figure=ours.rate,
            ceiling=theirs.rate,
            ceiling_name=f"Label Studio {VERSION}",
            details={
                "desk": ours.as_dict(),
                "peer": theirs.as_dict(),
                "peer_path": peer_path,
                "failed": bool(ours.errors or theirs.errors),
            },
        ),
    ]
