"""The HTTP benchmarks (1, 2, 3 and the measurements of 6), against the service's gunicorn."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.desk import NEEDLE, People
from bench.load import Load, LoadResult
from bench.report import Line

# The reviewer's queue: triaged claims of high priority (1 in 20 generated claims).
LIST_FILTERS = "state=triaged&priority=high"
THROUGHPUT_CONNECTIONS = 8
THROUGHPUT_SECONDS = 10
# Benchmark 1 runs its loads in turn, this many rounds of ROUND_SECONDS each.
ROUNDS = 3
ROUND_SECONDS = 4
LATENCY_CONNECTIONS = 2
LATENCY_SECONDS = 12


def list_path(page_size: int) -> str:
    return f"/api/v1/claims/?{LIST_FILTERS}&page_size={page_size}"


def search_path() -> str:
    return f"/api/v1/claims/?q={NEEDLE}+fleet&page_size=50"


def median_p95(results: list[LoadResult]) -> LoadResult:
    """Rounds of one load as one: all their requests, and the round whose p95 is the median
    (its percentiles stand for the load's)."""
    middle = sorted(results, key=lambda r: r.p95_ms)[len(results) // 2]
    total = LoadResult.combined(results)
    return replace(middle, requests=total.requests, seconds=total.seconds, errors=total.errors)


def _failed(*results: LoadResult) -> bool:
    return any(r.errors or not r.requests for r in results)


@dataclass
class Web:
    load: Load
    people: People

    def rate(self, paths: list[str], **kwargs: object) -> LoadResult:
        kwargs.setdefault("seconds", THROUGHPUT_SECONDS)
        return self.load.run(
            paths,
            token=self.people.reviewer_token,
            connections=THROUGHPUT_CONNECTIONS,
            **kwargs,
        )

    def latency(self, paths: list[str], **kwargs: object) -> LoadResult:
        kwargs.setdefault("seconds", LATENCY_SECONDS)
        return self.load.run(
            paths,
            token=self.people.reviewer_token,
            connections=LATENCY_CONNECTIONS,
            **kwargs,
        )

    def in_turn(
        self, loads: dict[str, dict], run: Callable[..., LoadResult] | None = None
    ) -> dict[str, list[LoadResult]]:
        """Each load (``run``'s arguments, by name; ``run`` is :meth:`rate` unless given) in
        turn, ``ROUNDS`` times, after a warm-up of each: if the machine's speed drifts during
        the benchmark (another process wakes up), every load meets the drift alike, and the
        ratios hold."""
        run = run or self.rate
        for kwargs in loads.values():
            run(seconds=2, warmup=0, **kwargs)
        rounds: dict[str, list[LoadResult]] = {name: [] for name in loads}
        for _ in range(ROUNDS):
            for name, kwargs in loads.items():
                rounds[name].append(run(seconds=ROUND_SECONDS, warmup=0, **kwargs))
        return rounds

    def list_rate(self) -> list[Line]:
        """1: the list's requests per second ÷ the trivial view's, same server and load: as a
        client that polls gets it (repeats answered from the snapshot-keyed cache), and, for
        the record, with every answer built afresh (``Cache-Control: no-cache``). The three
        loads run in turn (:meth:`in_turn`)."""
        rounds = self.in_turn(
            {
                "ping": {"paths": ["/bench/ping"]},
                "list": {"paths": [list_path(50)]},
                "fresh": {"paths": [list_path(50)], "cache_control": "no-cache"},
            }
        )
        ceiling, figure, fresh = (
            LoadResult.combined(rounds[name]) for name in ("ping", "list", "fresh")
        )
        return [
            Line(
                key=key,
                name=name,
                unit="req/s",
                target=target,
                figure=result.rate,
                ceiling=ceiling.rate,
                ceiling_name="trivial Django JSON view",
                details={
                    "path": list_path(50),
                    "list": result.as_dict(),
                    "ping": ceiling.as_dict(),
                    "rounds": {
                        name: [round(r.rate, 1) for r in results]
                        for name, results in rounds.items()
                    },
                    "connections": THROUGHPUT_CONNECTIONS,
                    "failed": _failed(result, ceiling),
                },
            )
            for key, name, target, result in (
                ("1", "Claims list (page of 50, reviewer, filters on), req/s", ">= 0.5", figure),
                ("1f", "The same list, built afresh (no-cache), req/s", "report", fresh),
            )
        ]

    def page_size_latency(self) -> list[Line]:
        """2: p95 at page size 50 ÷ at 5, and the queries each costs (must be equal). The two
        sizes run in turn (:meth:`in_turn`); each figure is the median of its rounds' p95."""
        queries = {size: self.queries(list_path(size)) for size in (5, 50)}
        lines = []
        for key, name, target, cache_control in (
            ("2", "Same list: p95 at page size 50 ÷ at 5 (equal query counts)", "<= 1.3", ""),
            ("2f", "The same, every answer built afresh (no-cache)", "<= 1.3", "no-cache"),
        ):
            rounds = self.in_turn(
                {
                    size: {"paths": [list_path(size)], "cache_control": cache_control}
                    for size in (5, 50)
                },
                run=self.latency,
            )
            small, large = (median_p95(rounds[size]) for size in (5, 50))
            lines.append(
                Line(
                    key=key,
                    name=name,
                    unit="ms",
                    target=target,
                    figure=large.p95_ms,
                    ceiling=small.p95_ms,
                    ceiling_name="page size 5",
                    details={
                        "queries": queries,
                        "size_50": large.as_dict(),
                        "size_5": small.as_dict(),
                        "rounds_p95_ms": {
                            size: [round(r.p95_ms, 2) for r in results]
                            for size, results in rounds.items()
                        },
                        "connections": LATENCY_CONNECTIONS,
                        "failed": _failed(small, large) or queries[5] != queries[50],
                    },
                )
            )
        return lines

    def queries(self, path: str) -> int:
        """SQL queries one request costs when its answer is built (not from the cache),
        counted in this process through Django's client."""
        client = Client(
            HTTP_AUTHORIZATION=f"Token {self.people.reviewer_token}",
            HTTP_HOST="127.0.0.1",
            HTTP_CACHE_CONTROL="no-cache",
        )
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
        return len(captured)

    def scale_point(self, claim_ids: list[int]) -> dict[str, LoadResult]:
        """6's three p95 figures at the table's current size, every answer built afresh (the
        lists' cache would hide what the table's size costs)."""
        return {
            "filtered list": self.latency([list_path(50)], cache_control="no-cache"),
            "full-text search": self.latency([search_path()], cache_control="no-cache"),
            "claim page (API detail)": self.latency([f"/api/v1/claims/{i}/" for i in claim_ids]),
        }

    def create_rate(self, *, source_id: int, quote: str, topic: str, orm_rows: int) -> Line:
        """3: claims created through the API per second ÷ the same rows by the service in
        process (one connection each: the API layer's cost over the ORM's)."""
        body = json.dumps(
            {
                "statement": "Bench: the fleet costs three million dollars a year.",
                "priority": "normal",
                "topics": [topic],
                "appearances": [{"source": source_id, "quote": quote, "attribution": "reported"}],
            }
        )
        api = self.load.run(
            ["/api/v1/claims/"],
            token=self.people.editor_token,
            connections=1,
            seconds=THROUGHPUT_SECONDS,
            method="POST",
            body=body,
        )
        orm_rate = orm_create_rate(
            self.people, source_id=source_id, quote=quote, topic=topic, rows=orm_rows
        )
        return Line(
            key="3",
            name="Claim create through the API, claims/s (one connection)",
            unit="claims/s",
            target="report",
            figure=api.rate,
            ceiling=orm_rate,
            ceiling_name="claim_create in process",
            details={"api": api.as_dict(), "orm_rows": orm_rows, "failed": _failed(api)},
        )


def orm_create_rate(people: People, *, source_id: int, quote: str, topic: str, rows: int) -> float:
    """The same claim (topic, appearance, history, event) through ``claims.services``."""
    from claims.models import Source, Topic
    from claims.services import AppearanceData, claim_create

    source = Source.objects.get(pk=source_id)
    topics = list(Topic.objects.filter(slug=topic))
    start = source.text.index(quote)
    began = time.perf_counter()
    for _ in range(rows):
        claim_create(
            actor=people.editor,
            statement="Bench: the fleet costs three million dollars a year.",
            priority="normal",
            topics=topics,
            appearances=[AppearanceData(source=source, quote=quote, start=start)],
        )
    return rows / (time.perf_counter() - began)
