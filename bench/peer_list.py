"""7b: a list page of 50, newest first, requests per second on each side, the sides in turns.

After 7a both hold the same items: the desk all three rounds' claims, Label Studio's last
project one round's tasks (its list reads one project). The desk's answers are built afresh
(``Cache-Control: no-cache``): Label Studio keeps no cache of its lists, and a conditional
answer (304) would compare not building a page with building one. Each side is warmed up, then
they take turns, each round giving one ratio, the desk's rate ÷ Label Studio's.
"""

from __future__ import annotations

from bench import rounds
from bench.labelstudio_server import VERSION, PeerSide
from bench.load import Load, LoadResult
from bench.report import Line, Round
from bench.web import failures

CONNECTIONS = 8
# Label Studio's workers take about 0.3 s of CPU for a page (9 pages a second with 8
# connections on a quiet machine, one or two on a busy one: answers then take seconds), and
# each of its gunicorn workers loads the application on its first request: longer rounds and
# warm-up than the desk's other throughput loads, so that each round counts enough answers.
WARMUP_SECONDS = 4
ROUND_SECONDS = 10
DESK_PATH = "/api/v1/claims/?page_size=50"


def line(*, wrk: str, desk_base: str, desk_token: str, peer: PeerSide) -> Line:
    peer_path = f"/api/tasks?project={peer.project}&page_size=50"

    def desk(seconds: float = ROUND_SECONDS) -> LoadResult:
        return Load(wrk, desk_base).run(
            [DESK_PATH],
            token=desk_token,
            connections=CONNECTIONS,
            seconds=seconds,
            cache_control="no-cache",
        )

    def label_studio(seconds: float = ROUND_SECONDS) -> LoadResult:
        return Load(wrk, peer.base).run(
            [peer_path], token=peer.token, connections=CONNECTIONS, seconds=seconds
        )

    loads = {"desk": desk, "peer": label_studio}
    for run in loads.values():
        run(seconds=WARMUP_SECONDS)
    measured = rounds.in_turn(loads)
    return Line(
        key="7b",
        name="Peer: list page of 50 (newest first), req/s",
        unit="req/s",
        target=">= 3",
        rounds=[Round(r["desk"].rate, r["peer"].rate) for r in measured],
        ceiling_name=f"Label Studio {VERSION}",
        failed=failures(measured),
        details={
            "desk": [r["desk"].as_dict() for r in measured],
            "peer": [r["peer"].as_dict() for r in measured],
            "desk_path": DESK_PATH,
            "peer_path": peer_path,
            "connections": CONNECTIONS,
            "round_seconds": ROUND_SECONDS,
        },
    )
