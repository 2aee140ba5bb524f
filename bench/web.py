"""The HTTP benchmarks (1, 2, 3 and the loads of 6), against the service's gunicorn.

Each benchmark warms every load it runs up first (``WARMUP_SECONDS`` of it, figures thrown
away), then runs its loads in turn, ``rounds.ROUNDS`` rounds (:func:`bench.rounds.in_turn`);
each round gives one ratio.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench import api_client, product, rounds
from bench.desk import NEEDLE, People
from bench.load import Load, LoadResult
from bench.report import Line, Round

# The reviewer's queue: triaged claims of high priority (1 in 20 generated claims).
LIST_FILTERS = "state=triaged&priority=high"
WARMUP_SECONDS = 2
THROUGHPUT_CONNECTIONS = 8
RATE_SECONDS = 4  # a round of a throughput load (#1, #3)
LATENCY_CONNECTIONS = 2
LATENCY_SECONDS = 6  # a round of #2's latency loads
SCALE_SECONDS = 4  # a round of #6's latency loads (six of them)
ORM_ROWS = 100  # #3's in-process creates a round


def list_path(page_size: int) -> str:
    return f"/api/v1/claims/?{LIST_FILTERS}&page_size={page_size}"


def search_path() -> str:
    return f"/api/v1/claims/?q={NEEDLE}+fleet&page_size=50"


def _errors(*results: LoadResult) -> int:
    return sum(r.errors for r in results) + sum(1 for r in results if not r.requests)


def failures(
    results: list[dict[str, LoadResult]], what: str = "errors (or rounds without an answer)"
) -> str:
    """The line's ``failed`` reason when any load of any round had errors or no requests."""
    errors = _errors(*(r for measured in results for r in measured.values()))
    return f"{what}: {errors}" if errors else ""


@dataclass
class Web:
    load: Load
    people: People

    def rate(self, paths: list[str], **kwargs: object) -> LoadResult:
        kwargs.setdefault("token", self.people.reviewer_token)
        kwargs.setdefault("connections", THROUGHPUT_CONNECTIONS)
        kwargs.setdefault("seconds", RATE_SECONDS)
        return self.load.run(paths, **kwargs)

    def latency(self, paths: list[str], **kwargs: object) -> LoadResult:
        kwargs.setdefault("token", self.people.reviewer_token)
        kwargs.setdefault("connections", LATENCY_CONNECTIONS)
        kwargs.setdefault("seconds", LATENCY_SECONDS)
        return self.load.run(paths, **kwargs)

    def warmed_in_turn(
        self, loads: dict[str, Callable[..., LoadResult]]
    ) -> list[dict[str, LoadResult]]:
        """Each load (a call taking ``seconds=``) warmed up once, then in turn, round by round."""
        for run in loads.values():
            run(seconds=WARMUP_SECONDS)
        return rounds.in_turn(loads)

    def list_etag(self, path: str) -> str:
        return api_client.etag(self.load.base + path, self.people.reviewer_token)

    def list_rate(self) -> list[Line]:
        """1: the list's requests per second ÷ the trivial view's, same server and load:

        - built afresh (``Cache-Control: no-cache``, no ``If-None-Match``);
        - a repeat poll: the ETag of a first answer sent back in ``If-None-Match``, every
          answer expected to be 304 (any other status counts as an error). Unavailable when the
          first answer carries no ETag.
        """
        path = list_path(50)
        etag = self.list_etag(path)
        loads = {
            "ping": partial(self.rate, ["/bench/ping"]),
            "fresh": partial(self.rate, [path], cache_control="no-cache"),
        }
        if etag:
            loads["poll"] = partial(self.rate, [path], if_none_match=(etag,), expect_status=304)
        measured = self.warmed_in_turn(loads)

        def rates() -> dict[str, list[float]]:
            return {name: [round(r[name].rate, 1) for r in measured] for name in loads}

        def rate_line(key: str, name: str, target: str, load: str, failed: str) -> Line:
            return Line(
                key=key,
                name=name,
                unit="req/s",
                target=target,
                rounds=[Round(r[load].rate, r["ping"].rate) for r in measured],
                ceiling_name="trivial Django JSON view",
                failed=failed,
                details={
                    "path": path,
                    "connections": THROUGHPUT_CONNECTIONS,
                    "round_seconds": RATE_SECONDS,
                    "rates": rates(),
                    load: [r[load].as_dict() for r in measured],
                    "ping": [r["ping"].as_dict() for r in measured],
                },
            )

        lines = [
            rate_line(
                "1",
                "Claims list built afresh (page of 50, reviewer, filters on), req/s",
                ">= 0.10",
                "fresh",
                failures([{"fresh": r["fresh"], "ping": r["ping"]} for r in measured]),
            )
        ]
        name = "Repeat poll of that list answered 304 (If-None-Match), req/s"
        if not etag:
            lines.append(
                Line(
                    key="1r",
                    name=name,
                    unit="req/s",
                    target=">= 0.30",
                    unavailable=f"no ETag (the first answer to GET {path} had none)",
                )
            )
            return lines
        poll = rate_line("1r", name, ">= 0.30", "poll", "")
        poll.failed = failures(
            [{"poll": r["poll"], "ping": r["ping"]} for r in measured],
            "answers other than 304, errors (or rounds without an answer)",
        )
        poll.details["etag"] = etag
        lines.append(poll)
        return lines

    def page_size_latency(self) -> list[Line]:
        """2: p95 at page size 50 ÷ at 5, every answer built afresh, and the queries each costs
        (must be equal). The two sizes run in turn; each round gives a ratio."""
        queries = {size: self.queries(list_path(size)) for size in (5, 50)}
        measured = self.warmed_in_turn(
            {
                size: partial(self.latency, [list_path(size)], cache_control="no-cache")
                for size in (5, 50)
            }
        )
        failed = failures(measured)
        if queries[5] != queries[50]:
            failed = f"queries differ: {queries[5]} at 5, {queries[50]} at 50; " + failed
        return [
            Line(
                key="2",
                name="Same list built afresh: p95 at page size 50 ÷ at 5 (equal query counts)",
                unit="ms",
                target="<= 1.3",
                rounds=[Round(r[50].p95_ms, r[5].p95_ms) for r in measured],
                ceiling_name="page size 5",
                failed=failed.strip("; "),
                details={
                    "queries": queries,
                    "connections": LATENCY_CONNECTIONS,
                    "round_seconds": LATENCY_SECONDS,
                    "size_50": [r[50].as_dict() for r in measured],
                    "size_5": [r[5].as_dict() for r in measured],
                },
            )
        ]

    def queries(self, path: str) -> int:
        """SQL queries one request costs when its answer is built afresh, counted in this
        process through Django's client."""
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

    def scale_loads(self, claim_ids: list[int]) -> dict[str, Callable[..., LoadResult]]:
        """6's three latency loads at this server's table size, every answer built afresh."""
        run = partial(self.latency, seconds=SCALE_SECONDS)
        return {
            "filtered list": partial(run, [list_path(50)], cache_control="no-cache"),
            "full-text search": partial(run, [search_path()], cache_control="no-cache"),
            "claim page (API detail)": partial(run, [f"/api/v1/claims/{i}/" for i in claim_ids]),
        }

    def create_rate(self, *, source_id: int, quote: str, topic: str) -> Line:
        """3: claims created through the API per second ÷ the same rows by the service in
        process (one connection each: the API layer's cost over the service's), in turn."""
        from claims.models import Source, Topic

        statement = "Bench: the fleet costs three million dollars a year."
        body = json.dumps(
            {
                "statement": statement,
                "priority": "normal",
                "topics": [topic],
                "appearances": [{"source": source_id, "quote": quote, "attribution": "reported"}],
            }
        )
        source = Source.objects.get(pk=source_id)
        topics = list(Topic.objects.filter(slug=topic))
        appearance = (source, quote, source.text.index(quote))

        def api(seconds: float = RATE_SECONDS) -> LoadResult:
            return self.load.run(
                ["/api/v1/claims/"],
                token=self.people.editor_token,
                connections=1,
                seconds=seconds,
                method="POST",
                body=body,
            )

        def in_process(rows: int = ORM_ROWS) -> float:
            began = time.perf_counter()
            for _ in range(rows):
                product.claim_create(
                    actor=self.people.editor,
                    statement=statement,
                    topics=topics,
                    appearance=appearance,
                )
            return rows / (time.perf_counter() - began)

        api(seconds=WARMUP_SECONDS)
        in_process(rows=ORM_ROWS // 5)
        measured = rounds.in_turn({"api": api, "service": in_process})
        return Line(
            key="3",
            name="Claim create through the API, claims/s (one connection)",
            unit="claims/s",
            target="report",
            rounds=[Round(r["api"].rate, r["service"]) for r in measured],
            ceiling_name="the creation service in process",
            failed=failures([{"api": r["api"]} for r in measured]),
            details={
                "api": [r["api"].as_dict() for r in measured],
                "service_per_second": [round(r["service"], 1) for r in measured],
                "service_rows_per_round": ORM_ROWS,
                "round_seconds": RATE_SECONDS,
            },
        )
