"""7's peer: Label Studio, installed, migrated and served like the desk.

Label Studio is installed once into ``var/bench/peer-venv`` (its own virtual environment,
reused by later runs: ``ensure_installed``) and runs on PostgreSQL, in a database of its own,
served by gunicorn with the desk's settings (``procs.gunicorn_options``). Its migrated
database is kept as a template between runs (``claimdesk_bench_ls_template``), so only the
first run pays for its migrations. Its settings are its own with two changes
(``bench/labelstudio/peer_settings.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg

from bench import procs

VERSION = "1.23.2"
GUNICORN_VERSION = "27.0.1"  # the desk's own pin (requirements.txt)
# Label Studio's database follows BENCH_DB_PREFIX like the desk's, so that a run's clean-up
# never drops the database of another run going on at the same time.
DB = f"{os.environ.get('BENCH_DB_PREFIX', 'claimdesk_bench')}_labelstudio"
TEMPLATE_DB = "claimdesk_bench_ls_template"
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


def label_studio_start(
    processes: procs.Processes, *, venv: Path, var: Path, workers: int
) -> tuple[procs.Child, PeerSide]:
    """Install (once), migrate (once, kept as a template), serve.

    ``venv`` may be a symlink to another checkout's: it is used by its real path, since Python
    puts a script's real directory on ``sys.path`` and Label Studio's apps must not be found
    under two paths."""
    venv = venv.resolve()
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
            *procs.gunicorn_options(port, workers),
            "--chdir",
            str(package),
            "--pythonpath",
            f"{package},{bench_dir}",
        ],
        env=env,
    )
    processes.wait_for_port(child, port, timeout=120)
    return child, PeerSide(base=f"http://{procs.HOST}:{port}", token=token)
