"""5: triaged claim → assignment → email delivered, per second, ÷ a no-op Celery task's rate.

One real Celery worker (prefork, 2 processes, the desk's reliability settings: late acks,
prefetch 1, reject on worker lost) on the benchmark's own Redis database and queue, and a real
SMTP server (aiosmtpd) on 127.0.0.1 that counts what it accepts.

Both are timed the same way, from work already waiting: the worker stops consuming the queue
(``cancel_consumer``), the work is queued, and the clock runs from ``add_consumer`` until the
work is done, so neither figure includes the cost of producing its work.

The claims of every round are created first (set-up, not timed). Then each round:

1. ceiling, first half: ``bench.noop`` tasks queued from this process; done when the worker
   has taken and acknowledged every one (queue and unacknowledged set empty);
2. figure: the round's claims triaged (:func:`bench.product.claims_triage`, i.e. the issue's
   "triaged claims"), each triage publishing ``verification.tasks.assign_claims([claim_id])``
   after its commit, so the round's tasks (one a claim) wait in the queue. The first task
   takes a batch of up to 50 waiting claims, assigns a reviewer to each and delivers their
   assignment emails to the SMTP server; the tasks of the claims it took find nothing left
   to do. Done when the server holds every email those claims caused and every one is marked
   sent;
3. ceiling, second half, as 1.

So each round's figure has its ceiling measured just before and just after it, and a drift in
the machine's speed meets both alike.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import redis
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group

from bench import procs, product
from bench.report import Line, Round

REVIEWERS = 12


class CountingHandler:
    """Accepts every message and counts them."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        with self._lock:
            self.count += 1
        return "250 2.0.0 Accepted"


def reviewers_create(claims: int) -> None:
    """``REVIEWERS`` reviewers with room for ``claims`` open assignments between them (and
    some to spare), so none of the run's claims waits for a reviewer."""
    from claims.roles import Role
    from verification.models import ReviewerProfile

    User = get_user_model()
    group = Group.objects.get(name=Role.REVIEWER)
    for n in range(REVIEWERS):
        user = User.objects.create_user(
            f"bench-pipeline-{n}", f"bench-pipeline-{n}@localhost", None, is_staff=True
        )
        user.groups.add(group)
        ReviewerProfile.objects.update_or_create(
            user=user, defaults={"capacity": claims // REVIEWERS + 10}
        )


def _drained(client: redis.Redis, queue: str) -> bool:
    return client.llen(queue) == 0 and client.hlen("unacked") == 0


class Consumer:
    """Stops and restarts the worker's consumption of the benchmark's queue (remote control)."""

    def __init__(self, queue: str) -> None:
        from config.celery import app

        self.app = app
        self.queue = queue

    def _ask(self, command: str) -> None:
        # limit=1: return on the worker's answer, not at the end of the timeout.
        replies = getattr(self.app.control, command)(self.queue, reply=True, timeout=10, limit=1)
        if not replies:
            raise RuntimeError(f"The Celery worker did not answer {command}({self.queue}).")

    def stop(self) -> None:
        self._ask("cancel_consumer")

    def start(self) -> float:
        """Resume consuming; the clock starts just before the worker is told."""
        began = time.perf_counter()
        self._ask("add_consumer")
        return began


def noop_rate(
    client: redis.Redis, consumer: Consumer, queue: str, tasks: int, *, queued_first: bool = True
) -> tuple[float, float]:
    """No-op tasks per second. ``queued_first``: all queued before the worker consumes (the
    ceiling); otherwise published while it consumes (for comparison, in the details)."""
    from bench.tasks import noop

    if queued_first:
        consumer.stop()
    began = time.perf_counter()
    for n in range(tasks):
        noop.delay(n)
    if queued_first:
        began = consumer.start()
    procs.wait_until(
        lambda: _drained(client, queue), timeout=300, what="no-op tasks", interval=0.01
    )
    seconds = time.perf_counter() - began
    return tasks / seconds, seconds


def claims_create(editor: AbstractBaseUser, count: int, round_number: int) -> list:
    """``count`` new claims for one round (set-up: made before any round is timed)."""
    return [
        product.claim_create(actor=editor, statement=f"Bench pipeline claim {round_number}.{n}.")
        for n in range(count)
    ]


def pipeline_rate(
    editor: AbstractBaseUser, handler: CountingHandler, consumer: Consumer, batch: list
) -> dict[str, float | int]:
    """One burst: ``batch`` triaged while the worker does not consume, then timed until every
    assignment email is delivered and marked sent."""
    from claims.models import Claim, ClaimState
    from verification.models import Assignment, EmailLog, EmailStatus

    claims = len(batch)
    ids = [claim.pk for claim in batch]
    start_count = handler.count

    def delivered() -> bool:
        # Every claim's email must have reached the SMTP server first: counted in this
        # process, so the polling costs the database nothing until then.
        if handler.count - start_count < claims:
            return False
        assigned = Assignment.objects.filter(claim_id__in=ids).values("claim_id").distinct()
        if assigned.count() < claims:
            return False
        emails = EmailLog.objects.filter(claim_id__in=ids)
        total = emails.count()
        sent = emails.filter(status=EmailStatus.SENT).count()
        return total >= claims and sent == total and handler.count - start_count >= total

    consumer.stop()
    product.claims_triage(actor=editor, claims=batch)
    began = consumer.start()
    procs.wait_until(delivered, timeout=600, what="assignment emails", interval=0.01)
    seconds = time.perf_counter() - began
    return {
        "claims": claims,
        "seconds": seconds,
        "emails": EmailLog.objects.filter(claim_id__in=ids).count(),
        "in_research": Claim.objects.filter(pk__in=ids, state=ClaimState.IN_RESEARCH).count(),
    }


def worker_start(
    processes: procs.Processes, env: dict[str, str], queue: str, *, name: str = "celery-worker"
) -> procs.Child:
    """A Celery worker of the desk (prefork, 2 processes, the desk's settings from ``env``,
    which must be the web server's: same database, Redis and ``MEDIA_ROOT``), consuming
    ``queue`` (every task the desk publishes goes to its one default queue, ``CELERY_QUEUE``:
    triage's ``assign_claims``, ``send_email``, ``import_claims``) and ``bench.noop``; returned
    once it is ready."""
    worker = processes.start(
        name,
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            "--loglevel=INFO",
            f"--hostname={name}@%h",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "--include=bench.tasks",
            f"--queues={queue}",
        ],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    log = worker.log_path

    def ready() -> bool:
        if not worker.alive:
            raise RuntimeError(f"The Celery worker exited:\n{worker.tail()}")
        return " ready." in log.read_text(encoding="utf-8", errors="replace")

    procs.wait_until(ready, timeout=60, what="the Celery worker")
    return worker


def line(
    *,
    processes: procs.Processes,
    env: dict[str, str],
    editor: AbstractBaseUser,
    redis_url: str,
    queue: str,
    claims: int,
    noop_tasks: int,
    rounds: int,
) -> Line:
    """``rounds`` bursts of ``claims`` claims, each with ``noop_tasks`` no-op tasks around it
    (half before, half after)."""
    batches = [claims_create(editor, claims, n + 1) for n in range(rounds)]
    measured: list[dict] = []
    handler = CountingHandler()
    port = procs.free_port()
    controller = Controller(handler, hostname=procs.HOST, port=port, ready_timeout=10)
    controller.start()
    worker = None
    try:
        client = redis.Redis.from_url(redis_url)
        worker_env = {
            **env,
            "EMAIL_HOST": procs.HOST,
            "EMAIL_PORT": str(port),
            "EMAIL_TIMEOUT": "5",
            "LOG_LEVEL": "WARNING",
        }
        worker = worker_start(processes, worker_env, queue)
        consumer = Consumer(queue)
        noop_live, _ = noop_rate(client, consumer, queue, noop_tasks, queued_first=False)
        for batch in batches:
            _, before = noop_rate(client, consumer, queue, noop_tasks // 2)
            burst = pipeline_rate(editor, handler, consumer, batch)
            _, after = noop_rate(client, consumer, queue, noop_tasks - noop_tasks // 2)
            measured.append({**burst, "noop_seconds_before_and_after": [before, after]})
    finally:
        if worker is not None:
            processes.stop(worker)
        controller.stop()
    short = [m for m in measured if m["in_research"] != m["claims"]]
    return Line(
        key="5",
        name=f"Assignment pipeline ({claims} triaged claims → emails delivered), claims/s",
        unit="/s",
        target=">= 0.5",
        rounds=[
            Round(m["claims"] / m["seconds"], noop_tasks / sum(m["noop_seconds_before_and_after"]))
            for m in measured
        ],
        ceiling_name="no-op Celery task",
        failed="; ".join(f"{m['in_research']} of {m['claims']} claims assigned" for m in short),
        details={
            "rounds": [
                {
                    **m,
                    "seconds": round(m["seconds"], 3),
                    "noop_seconds_before_and_after": [
                        round(x, 3) for x in m["noop_seconds_before_and_after"]
                    ],
                }
                for m in measured
            ],
            "noop_tasks_per_round": noop_tasks,
            # For comparison only: no-op tasks published while the worker consumes them (the
            # publishing then competes with the worker for the CPUs).
            "noop_per_second_published_while_consuming": round(noop_live, 1),
            "worker_concurrency": 2,
        },
    )
