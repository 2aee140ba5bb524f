"""Everything the benchmark starts, and the guarantee that it stops it.

Each child runs in its own process group (``start_new_session``), so stopping it reaches its
workers too (gunicorn's, Celery's pool). :class:`Processes` stops every group it started, in
reverse order, TERM then KILL, when the run ends however it ends: normally, on an exception,
on Ctrl-C or TERM (the runner turns both into exceptions), and at interpreter exit (atexit) as
a last resort.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import psycopg

T = TypeVar("T")

PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on at the moment of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], T], *, timeout: float, what: str, interval=0.05) -> T:
    """Poll ``condition`` until it is truthy; ``TimeoutError`` naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"Gave up after {timeout:.0f} s waiting for {what}.")
        time.sleep(interval)


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.2)
        return probe.connect_ex((HOST, port)) == 0


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


class Processes:
    """The run's children; :meth:`stop_all` (also registered with atexit) ends every one."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.children: list[Child] = []
        atexit.register(self.stop_all)

    def start(
        self, name: str, command: Sequence[str], *, env: dict[str, str], cwd: Path | None = None
    ) -> Child:
        log_path = self.log_dir / f"{name}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                list(command),
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        child = Child(name, process, log_path)
        self.children.append(child)
        return child

    def wait_for_port(self, child: Child, port: int, *, timeout: float) -> None:
        def ready() -> bool:
            if not child.alive:
                raise RuntimeError(f"{child.name} exited at start:\n{child.tail()}")
            return port_open(port)

        try:
            wait_until(ready, timeout=timeout, what=f"{child.name} on port {port}")
        except TimeoutError as error:
            raise TimeoutError(f"{error}\n{child.tail()}") from None

    def stop(self, child: Child, *, grace: float = 10.0) -> None:
        """TERM the child's process group, KILL it after ``grace`` seconds."""
        if child.alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.process.pid, signal.SIGTERM)
            try:
                child.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.process.pid, signal.SIGKILL)
                child.process.wait(timeout=10)
        # A pool child that outlived its parent is still in the group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.process.pid, signal.SIGKILL)
        if child in self.children:
            self.children.remove(child)

    def stop_all(self) -> None:
        for child in reversed(list(self.children)):
            self.stop(child)


def gunicorn_options(port: int, workers: int) -> list[str]:
    """The one set of gunicorn settings both servers (the desk's, Label Studio's) run with."""
    return [
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "600",
        "--log-level",
        "warning",
    ]


def raise_on_signals() -> None:
    """Ctrl-C and TERM become exceptions, so every ``finally`` runs and children are stopped."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


def ensure_wrk() -> str:
    """wrk's path; installs Debian's package when it is missing (as .ci/run installs tools)."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(apt, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, check=False)
        subprocess.run(apt, capture_output=True, check=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed and could not be installed (apt-get install wrk)")
    return found


# --- PostgreSQL -------------------------------------------------------------------------------


def database_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def admin(sql: str) -> None:
    """Run one statement on the server's maintenance database, outside a transaction."""
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        connection.execute(sql)


def drop_database(name: str) -> None:
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def recreate_database(name: str, *, template: str | None = None) -> None:
    drop_database(name)
    admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def server_version() -> str:
    with psycopg.connect(PG_ADMIN_URL) as connection:
        return str(connection.execute("SHOW server_version").fetchone()[0])


def database_quiesce(*databases: str, timeout: float = 60.0) -> dict[str, float]:
    """Leave the server as quiet for the next timed step as for the one before it.

    1. ``VACUUM (ANALYZE)`` each of ``databases`` (what the last step wrote), so autovacuum
       finds nothing there to do while the next step is timed;
    2. wait (up to ``timeout``) until no autovacuum worker runs anywhere on the server;
    3. ``CHECKPOINT``, so the pages the last step dirtied are not written out during the next.

    Returns each part's seconds, for the run's details.
    """
    spent: dict[str, float] = {}
    began = time.monotonic()
    for name in databases:
        with psycopg.connect(database_url(name), autocommit=True) as connection:
            connection.execute("VACUUM (ANALYZE)")
    spent["vacuum"] = round(time.monotonic() - began, 2)
    began = time.monotonic()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
        deadline = began + timeout
        while time.monotonic() < deadline:
            (busy,) = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
            ).fetchone()
            if not busy:
                break
            time.sleep(0.2)
        spent["autovacuum_wait"] = round(time.monotonic() - began, 2)
        began = time.monotonic()
        connection.execute("CHECKPOINT")
    spent["checkpoint"] = round(time.monotonic() - began, 2)
    return spent
