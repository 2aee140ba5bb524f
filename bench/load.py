"""The HTTP load generator: wrk with ``bench/wrk.lua``, the same for every figure and ceiling."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("wrk.lua")


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @classmethod
    def combined(cls, results: list[LoadResult]) -> LoadResult:
        """Several runs of one load as one: their requests over their time, the worst of
        their percentiles."""
        return cls(
            requests=sum(r.requests for r in results),
            seconds=sum(r.seconds for r in results),
            errors=sum(r.errors for r in results),
            p50_ms=max(r.p50_ms for r in results),
            p95_ms=max(r.p95_ms for r in results),
            p99_ms=max(r.p99_ms for r in results),
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "errors": self.errors,
            "rate": round(self.rate, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
        }


class Load:
    """Runs wrk against one server (``base``, e.g. ``http://127.0.0.1:8123``)."""

    def __init__(self, wrk: str, base: str) -> None:
        self.wrk = wrk
        self.base = base

    def run(
        self,
        paths: list[str],
        *,
        token: str = "",
        auth_scheme: str = "Token",
        connections: int,
        seconds: float,
        method: str = "GET",
        body: str = "",
        cache_control: str = "",
        if_none_match: tuple[str, ...] = (),
        expect_status: int = 0,
        warmup: float = 0,
    ) -> LoadResult:
        """``connections`` connections for ``seconds`` seconds, after ``warmup`` seconds of the
        same load whose figures are thrown away (every server process has served requests,
        connections and caches are open).

        ``if_none_match``: one ETag per path, sent as ``If-None-Match``. ``expect_status``:
        every answer with another status counts as an error (without it, wrk's own count:
        statuses of 400 and above)."""
        env = {
            **os.environ,
            "BENCH_PATHS": "|".join(paths),
            "BENCH_TOKEN": token,
            "BENCH_AUTH_SCHEME": auth_scheme,
            "BENCH_METHOD": method,
            "BENCH_BODY": body,
            "BENCH_CACHE_CONTROL": cache_control,
            "BENCH_IF_NONE_MATCH": "|".join(if_none_match),
            "BENCH_EXPECT_STATUS": str(expect_status) if expect_status else "",
        }
        if if_none_match and len(if_none_match) != len(paths):
            raise ValueError("if_none_match needs one ETag per path")
        if warmup:
            self._wrk(paths, connections, warmup, env, expect_status)
        return self._wrk(paths, connections, seconds, env, expect_status)

    def _wrk(
        self,
        paths: list[str],
        connections: int,
        seconds: float,
        env: dict[str, str],
        expect_status: int,
    ) -> LoadResult:
        threads = min(2, connections)
        command = [
            self.wrk,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--timeout",
            "30s",
            "-s",
            str(SCRIPT),
            self.base + paths[0],
        ]
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=seconds + 60, check=False
        )
        line = next(
            (x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")),
            None,
        )
        if done.returncode != 0 or line is None:
            raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
        data = json.loads(line.removeprefix("BENCH_JSON "))
        status = "unexpected_status" if expect_status else "status_errors"
        errors = sum(
            data[k] for k in (status, "connect_errors", "read_errors", "write_errors", "timeouts")
        )
        return LoadResult(
            requests=data["requests"],
            seconds=data["duration_us"] / 1e6,
            errors=errors,
            p50_ms=data["p50_us"] / 1000,
            p95_ms=data["p95_us"] / 1000,
            p99_ms=data["p99_us"] / 1000,
        )
