"""7a: the same LIAR items imported through each side's import API, the sides in turns.

The desk side is a fresh copy of the benchmark's migrated database served by a gunicorn of
its own and a Celery worker with the same settings (``bench/run.py``); Label Studio's is
``bench.labelstudio_server``. Each round both import the same items, each into a place of its
own (the desk into its database, Label Studio into a new project). Label Studio is timed from
the request to its answer, the desk from the request until the import job it answers with
(202) has finished in the worker; each round gives one ratio, the desk's items per second ÷
Label Studio's.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from functools import partial

from bench import api_client, procs, product, rounds
from bench.labelstudio_server import DB as PEER_DB
from bench.labelstudio_server import VERSION, PeerSide
from bench.report import Line, Round

LABEL_CONFIG = (
    '<View><Text name="text" value="$text"/>'
    '<Choices name="rating" toName="text">'
    + "".join(
        f'<Choice value="{v}"/>'
        for v in ("true", "mostly-true", "half-true", "barely-true", "false", "pants-fire")
    )
    + "</Choices></View>"
)


def label_studio_import(side: PeerSide, items: list[dict[str, str]], title: str) -> float:
    """A new project (which is also the request that readies the server), then ``items``
    imported into it; the import's seconds."""
    project = api_client.request_json(
        "POST",
        f"{side.base}/api/projects",
        side.token,
        json.dumps({"title": title, "label_config": LABEL_CONFIG}).encode(),
        "application/json",
    )
    body = json.dumps([peer_task(item) for item in items]).encode()
    began = time.perf_counter()
    api_client.request_json(
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


def desk_import(base: str, token: str, tsv: bytes, items: int) -> float:
    """The same rows through the desk's import API (:func:`bench.product.api_import`, LIAR
    mapping); the seconds from the request until its job is done.

    The server has answered one request before the clock starts, as Label Studio has (its
    project is created first): gunicorn's port accepts connections before its workers have
    loaded the application, and a request sent at once would time their start-up too.
    """
    api_client.request_json("GET", f"{base}/api/v1/claims/?page_size=1", token)
    began = time.perf_counter()
    counts = product.api_import(base, token, tsv)
    seconds = time.perf_counter() - began
    if counts.get("created") != items:
        raise RuntimeError(f"The desk created {counts.get('created')} of {items} rows: {counts}")
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

    def line(self) -> Line:
        """7a: one ratio a round, the desk's items per second ÷ Label Studio's."""
        return Line(
            key="7a",
            name=f"Peer: import of {self.items:,} LIAR items through the API, items/s",
            unit="items/s",
            target=">= 3",
            rounds=[
                Round(self.items / ours, self.items / theirs)
                for ours, theirs in zip(self.desk_seconds, self.peer_seconds, strict=True)
            ],
            ceiling_name=f"Label Studio {VERSION}",
            details={
                "desk_seconds": [round(x, 3) for x in self.desk_seconds],
                "peer_seconds": [round(x, 3) for x in self.peer_seconds],
                "desk_median_seconds": round(statistics.median(self.desk_seconds), 3),
                "peer_median_seconds": round(statistics.median(self.peer_seconds), 3),
                "quieting_seconds": self.quiet,
            },
        )


def imports_compare(
    *,
    desk_base: str,
    desk_token: str,
    desk_database: str,
    peer: PeerSide,
    rows: list[list[str]],
) -> ImportRounds:
    """Both sides import the same LIAR rows, in turns, ``rounds.ROUNDS`` times each.

    1. Round 1 gives the rows as they are; round r > 1 appends " (round r)" to every
       statement, for both sides, so that the desk creates every claim again rather than
       matching it to the last round's (a cheaper path).
    2. The sides take turns, the desk first in odd rounds and Label Studio first in even
       ones, so a machine that slows down or speeds up over the minutes meets both alike.
    3. Before each import the server is quieted (``procs.database_quiesce``): the database the
       last import wrote is vacuumed, autovacuum is waited for and a checkpoint taken, so that
       neither side is timed while the server still writes out the other's work (or the 1M
       claims of #6, before the first import).
    Each round gives one ratio (:meth:`ImportRounds.line`).
    """
    result = ImportRounds(items=len(rows))
    written: tuple[str, ...] = ()  # the database the last import wrote, vacuumed before the next
    for number in range(1, rounds.ROUNDS + 1):
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
            PEER_DB,
            result.peer_seconds,
        )
        for run, database, seconds in (ours, theirs) if number % 2 else (theirs, ours):
            result.quiet.append(procs.database_quiesce(*written))
            seconds.append(run())
            written = (database,)
    return result
