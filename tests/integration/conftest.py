"""The real parts the integration tests run against, each behind one fixture.

- ``smtp``: an aiosmtpd server on a free 127.0.0.1 port, in a thread of the test process. It
  records every message it accepts or refuses and can be told to answer 4xx or 5xx for a while.
- ``live_celery``: for one test, the test process's Celery app publishes to the tests' Redis on
  a queue of that test's own, instead of running tasks eagerly.
- ``workers``: starts ``celery -A config worker`` processes on that queue, with the test
  database and the SMTP server; each is a process group that the test can ``kill -9``, and
  every one is killed when the test ends, whatever happened.

A worker is another process: it sees only committed rows, so the tests that start one use
``django_db(transaction=True)``, and they need a database a second process can open. The
in-memory SQLite test database is not one, so there they skip locally and fail under CI, as
``postgres`` tests do.

Redis comes from TEST_REDIS_URL (default ``redis://127.0.0.1:6379/9``, a database number kept
for tests; nothing flushes it). When it does not answer, these tests fail under CI
(``CI=true``) and skip elsewhere. Each test publishes on a queue of its own, named after the
session (start time and pid), so two sessions sharing one Redis never take each other's tasks.
A session removes what it left in Redis when it ends; what a crashed session left is removed
by the next one once it is an hour old.

Waits poll with a deadline; nothing sleeps for a fixed time hoping the work is done.
"""

from __future__ import annotations

import contextlib
import email
import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from urllib.parse import quote

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from kombu import pools

from config.celery import app as celery_app

T = TypeVar("T")

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
QUEUE_PREFIX = "claimdesk-test"
# Leftovers of a session that started longer ago than this belong to one that died.
STALE_SESSION_SECONDS = 3600
WORKER_READY_SECONDS = 45
WORKER_LOG_TAIL = 60


def pytest_configure(config: pytest.Config) -> None:
    # pyproject.toml's marker list is the lead's; registering here keeps --strict-markers happy.
    config.addinivalue_line(
        "markers",
        "integration: runs against real parts (Celery worker processes, Redis at "
        "TEST_REDIS_URL, an SMTP server); fails, never skips, under CI when one is missing",
    )


def unavailable(message: str) -> NoReturn:
    """A missing real part is a failure under CI and a skip on a laptop."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def wait_until(
    condition: Callable[[], T],
    *,
    timeout: float,
    what: str,
    interval: float = 0.1,
    describe: Callable[[], str] | None = None,
) -> T:
    """Poll ``condition`` until it returns something truthy, and return that; fail after
    ``timeout`` seconds, saying what was awaited (and ``describe()``, e.g. the worker logs)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            details = f"\n{describe()}" if describe else ""
            raise AssertionError(f"Gave up after {timeout:.0f}s waiting for {what}.{details}")
        time.sleep(interval)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at the moment of asking)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- The SMTP server ------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    """One message as the SMTP server saw it (accepted or refused)."""

    envelope_to: tuple[str, ...]
    message: EmailMessage
    peer: tuple[str, int]  # the client's address and port: one per SMTP connection

    # Long header values arrive folded onto a second line; unfolded, they keep the fold's space.
    @property
    def key(self) -> str:
        return str(self.message.get("X-Claimdesk-Key", "")).strip()

    @property
    def message_id(self) -> str:
        return str(self.message.get("Message-ID", "")).strip()

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", "")).strip()

    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content()


class SmtpServer:
    """An aiosmtpd handler that records messages and answers faults on demand.

    By default every message is accepted. ``refuse_next(n, reply)`` answers the next ``n``
    messages with ``reply`` (a 4xx or 5xx line); ``refuse_all(reply)`` answers every message so
    until ``accept_all()``. Refusals happen at the end of DATA, where a real server refuses
    a message it cannot take, so the client has sent the whole message each time.
    """

    ACCEPTED = "250 2.0.0 Message accepted for delivery"

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = 0
        self._lock = threading.Lock()
        self._accepted: list[Received] = []
        self._refused: list[tuple[Received, str]] = []
        self._next_replies: list[str] = []
        self._otherwise: str | None = None

    def reset(self) -> None:
        with self._lock:
            self._accepted.clear()
            self._refused.clear()
            self._next_replies.clear()
            self._otherwise = None

    def refuse_next(self, count: int, reply: str) -> None:
        with self._lock:
            self._next_replies.extend([reply] * count)

    def refuse_all(self, reply: str) -> None:
        with self._lock:
            self._otherwise = reply

    def accept_all(self) -> None:
        with self._lock:
            self._next_replies.clear()
            self._otherwise = None

    @property
    def accepted(self) -> list[Received]:
        with self._lock:
            return list(self._accepted)

    @property
    def refused(self) -> list[tuple[Received, str]]:
        with self._lock:
            return list(self._refused)

    def backend_settings(self) -> dict[str, Any]:
        """Django's SMTP backend pointed at this server, as ``override_settings`` takes it."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_TIMEOUT": 5,
        }

    def accepted_by_key(self) -> Counter[str]:
        """How many times the server accepted each email (by its X-Claimdesk-Key header)."""
        return Counter(received.key for received in self.accepted)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        received = Received(
            envelope_to=tuple(envelope.rcpt_tos),
            message=email.message_from_bytes(raw, policy=policy.default),
            peer=tuple(session.peer),
        )
        with self._lock:
            reply = self._next_replies.pop(0) if self._next_replies else self._otherwise
            if reply:
                self._refused.append((received, reply))
                return reply
            self._accepted.append(received)
        return self.ACCEPTED


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    controller = None
    for attempt in range(5):
        port = free_port()
        controller = Controller(server, hostname=server.host, port=port, ready_timeout=10)
        try:
            controller.start()
        except Exception:
            # Another process took the port between asking and binding: ask again.
            if attempt == 4:
                raise
            continue
        server.port = port
        break
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def smtp(smtp_server: SmtpServer) -> Iterator[SmtpServer]:
    """The SMTP server, emptied and accepting everything, for one test."""
    smtp_server.reset()
    yield smtp_server
    smtp_server.reset()


# --- Redis and the test process's Celery app ------------------------------------------------


class TestRedis:
    """The Redis database the tests use, and the clean-up of what their sessions leave in it.

    Every name a session gives (queues, worker host names) starts with its own session name,
    ``claimdesk-test-<start time>-<pid>``, which is how its leftovers are recognised: queue
    lists and bindings, the pidbox bindings of its workers, and the messages a killed worker
    never acknowledged (which Redis would otherwise put back on a dead queue much later).
    """

    __test__ = False  # not a test class, whatever its name

    UNACKED = ("unacked", "unacked_index")  # kombu's hash of messages and its index by time
    PIDBOX_BINDINGS = "_kombu.binding.celery.pidbox"
    SESSION_NAME = re.compile(rf"{QUEUE_PREFIX}-(\d+)-(\d+)")

    def __init__(self, url: str) -> None:
        self.url = url
        self.client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
        self.session = f"{QUEUE_PREFIX}-{int(time.time())}-{os.getpid()}"
        self._numbers = itertools.count(1)

    def new_queue(self) -> str:
        return f"{self.session}-{next(self._numbers)}"

    def forget_queue(self, queue: str) -> None:
        """Delete a queue's keys: its list (and priority lists) and its exchange binding."""
        # "…-1" must not take "…-10" with it.
        own = re.compile(rf"{re.escape(queue)}(\W|$)")
        keys = [k for k in self.client.scan_iter(match=f"*{queue}*") if own.search(_text(k))]
        if keys:
            self.client.delete(*keys)

    def forget_sessions(self, gone: Callable[[str], bool]) -> None:
        """Remove every trace of the sessions whose name ``gone`` picks."""

        def left_by_gone_session(text: str) -> bool:
            return any(gone(found.group(0)) for found in self.SESSION_NAME.finditer(text))

        keys = [
            k
            for k in self.client.scan_iter(match=f"*{QUEUE_PREFIX}-*")
            if left_by_gone_session(_text(k))
        ]
        if keys:
            self.client.delete(*keys)
        unacked, index = self.UNACKED
        for tag, message in self.client.hscan_iter(unacked):
            if left_by_gone_session(_text(message)):
                self.client.hdel(unacked, tag)
                self.client.zrem(index, tag)
        for member in self.client.smembers(self.PIDBOX_BINDINGS):
            if left_by_gone_session(_text(member)):
                self.client.srem(self.PIDBOX_BINDINGS, member)

    def forget_stale_sessions(self) -> None:
        """Sessions that started over STALE_SESSION_SECONDS ago died without cleaning up."""
        cutoff = time.time() - STALE_SESSION_SECONDS
        self.forget_sessions(lambda name: int(self.SESSION_NAME.match(name).group(1)) < cutoff)

    def forget_this_session(self) -> None:
        self.forget_sessions(lambda name: name == self.session)


def _text(value: bytes) -> str:
    return value.decode("utf-8", errors="replace")


@pytest.fixture(scope="session")
def test_redis() -> Iterator[TestRedis]:
    server = TestRedis(REDIS_URL)
    try:
        server.client.ping()
    except redis.RedisError as error:
        unavailable(f"Redis does not answer at {REDIS_URL} (TEST_REDIS_URL): {error}")
    server.forget_stale_sessions()
    try:
        yield server
    finally:
        server.forget_this_session()
        server.client.close()


def _drop_broker_connections() -> None:
    """Forget the app's pooled broker connections, so the next publish uses the current URL."""
    if celery_app._pool is not None:
        with contextlib.suppress(Exception):
            celery_app._pool.force_close_all()
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    pools.reset()


@dataclass
class LiveCelery:
    """The test process publishing to Redis, as the web process does in production."""

    broker_url: str
    queue: str

    @contextlib.contextmanager
    def broker_down(self) -> Iterator[str]:
        """Point the test process's broker at a port nothing listens on, as if Redis had gone
        away; the worker keeps its own connection. Yields the dead URL."""
        dead_url = f"redis://127.0.0.1:{free_port()}/0"
        celery_app.conf.broker_url = dead_url
        _drop_broker_connections()
        try:
            yield dead_url
        finally:
            celery_app.conf.broker_url = self.broker_url
            _drop_broker_connections()


_LIVE_SETTINGS = (
    "broker_url",
    "broker_transport_options",
    "task_always_eager",
    "task_default_queue",
)


@pytest.fixture
def live_celery(test_redis: TestRedis) -> Iterator[LiveCelery]:
    """Tasks published by the test process go to Redis, on this test's own queue."""
    conf = celery_app.conf
    saved = {name: conf[name] for name in _LIVE_SETTINGS}
    queue = test_redis.new_queue()
    conf.update(
        broker_url=test_redis.url,
        broker_transport_options={"visibility_timeout": 900},
        task_always_eager=False,
        task_default_queue=queue,
    )
    _drop_broker_connections()
    try:
        yield LiveCelery(broker_url=test_redis.url, queue=queue)
    finally:
        conf.update(saved)
        _drop_broker_connections()
        test_redis.forget_queue(queue)


# --- Worker processes -----------------------------------------------------------------------


@pytest.fixture
def worker_database_url(transactional_db: None) -> str:
    """The test database as a URL a worker process can open."""
    details = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(details.get("USER") or "", safe="")
        password = details.get("PASSWORD") or ""
        auth = f"{user}:{quote(password, safe='')}" if password else user
        host = quote(details.get("HOST") or "localhost", safe="")
        port = details.get("PORT") or 5432
        return f"postgres://{auth}@{host}:{port}/{quote(details['NAME'], safe='')}"
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return f"sqlite:///{details['NAME']}"
    unavailable(
        "a Celery worker process needs a test database it can open too (PostgreSQL: set "
        f"DATABASE_URL), but the tests run on an in-memory {connection.vendor} database"
    )


def triaged_burst(*, claims: int, reviewers: int, capacity: int, priority: str) -> list:
    """An editor ("desk-editor") triages ``claims`` claims of ``priority`` at once, with
    ``reviewers`` reviewers ("checker00", …) who have room for ``capacity`` claims each: the
    claims' assignment is queued for the worker. The claims."""
    from claims.models import Claim
    from tests import factories
    from verification import services

    editor = factories.EditorFactory(username="desk-editor")
    for number in range(reviewers):
        reviewer = factories.ReviewerFactory(username=f"checker{number:02d}")
        reviewer.reviewer_profile.capacity = capacity
        reviewer.reviewer_profile.save()
    made: list[Claim] = factories.ClaimFactory.create_batch(
        claims, submitted_by=editor, priority=priority
    )
    for claim in made:
        services.claim_triage(actor=editor, claim=claim)
    return made


@dataclass
class Worker:
    """One ``celery worker`` process group: the main process and its pool children."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def tail(self, lines: int = WORKER_LOG_TAIL) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    def kill(self) -> None:
        """``kill -9`` the whole group at once: no task finishes, nothing is acknowledged."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)


class Workers:
    """Starts worker processes for one test and kills every one of them at its end."""

    def __init__(self, *, env: dict[str, str], directory: Path, label: str) -> None:
        self.env = env
        self.directory = directory
        self.label = label  # in every worker's host name, for the clean-up in Redis
        self.started: list[Worker] = []
        self._numbers = itertools.count(1)

    def start(
        self, name: str = "worker", *, concurrency: int = 2, env: dict[str, str] | None = None
    ) -> Worker:
        """Start ``celery -A config worker`` (prefork) and wait until it consumes."""
        number = next(self._numbers)
        log_path = self.directory / f"{name}-{number}.log"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--loglevel=INFO",
            f"--hostname={name}-{number}.{self.label}@%h",
            # No broadcast chatter at start-up or while running: these workers need none, and
            # mingle alone waits a second for replies.
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ]
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env={**self.env, **(env or {})},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own process group, so kill -9 reaches the pool children too.
                start_new_session=True,
            )
        worker = Worker(name=f"{name}-{number}", process=process, log_path=log_path)
        self.started.append(worker)
        wait_until(
            lambda: not worker.alive or re.search(r" ready\.\s*$", worker.log(), re.MULTILINE),
            timeout=WORKER_READY_SECONDS,
            what=f"worker {worker.name} to be ready",
            describe=self.describe,
        )
        if not worker.alive:
            raise AssertionError(f"Worker {worker.name} exited at start.\n{self.describe()}")
        return worker

    def kill_all(self) -> None:
        for worker in self.started:
            worker.kill()

    def describe(self) -> str:
        """The end of every worker's log, for a failure message."""
        parts = []
        for worker in self.started:
            state = "running" if worker.alive else f"exited ({worker.process.returncode})"
            parts.append(f"--- {worker.name}, {state}, {worker.log_path}:\n{worker.tail()}")
        return "\n".join(parts) or "(no worker was started)"

    def wait_until(
        self, condition: Callable[[], T], *, timeout: float, what: str, interval: float = 0.1
    ) -> T:
        """:func:`wait_until`, with the workers' logs in the failure message."""
        return wait_until(
            condition, timeout=timeout, what=what, interval=interval, describe=self.describe
        )


@pytest.fixture
def workers(
    live_celery: LiveCelery,
    smtp: SmtpServer,
    worker_database_url: str,
    tmp_path: Path,
) -> Iterator[Workers]:
    """Start workers with ``workers.start()``; they are killed when the test ends.

    They run the production settings module against the test database, the tests' Redis (on
    this test's queue) and the SMTP server, with email retries shortened to seconds.
    """
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": worker_database_url,
        "REDIS_URL": live_celery.broker_url,
        "CELERY_QUEUE": live_celery.queue,
        "EMAIL_HOST": smtp.host,
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_TIMEOUT": "5",
        "EMAIL_RETRY_BACKOFF_SECONDS": "1",
        "EMAIL_RETRY_BACKOFF_MAX_SECONDS": "2",
        "VAR_DIR": str(var_dir),
        # Workers look no names up either (the archive fetches cited pages as they are added).
        "FETCH_RESOLVER": "tests.security.network.no_lookups",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    pool = Workers(env=env, directory=tmp_path, label=live_celery.queue)
    try:
        yield pool
    finally:
        # Before the database fixture's teardown (this fixture depends on it), so no worker
        # holds a connection while the tables are emptied.
        pool.kill_all()
