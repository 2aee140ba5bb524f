"""Writing an import's batches two at a time, each in its own transaction and connection.

An import commits a transaction a batch (``claims.bulk.importer``). Written one after the
other, a LIAR import is bound by one PostgreSQL backend: COPY's index upkeep (three GIN
indexes), the deferred foreign-key checks at each commit (about fifteen a claim), while the
importer's own thread mostly waits. Here each batch is written in a thread of its own, on that
thread's own database connection, so batch N+1 is written while batch N is written and
committed, and PostgreSQL works on both at once on a machine with two cores or more.

What a batch must not miss of the batch before it, which another connection writes and has
maybe not committed yet, and how neither ever waits for the other while the other waits for
it (``claims.bulk.fast.SharedKeys``, known from the batch's rows before it writes anything):

- its claims: a record whose statement the batch before holds is left to the row-by-row path,
  which only runs once the batch before has committed (``settle``), so it finds the claim
  and reports the row as matched (or creates it, if the batch before rejected it);
- topics, speakers and sources: before creating one the batch before may create too, a batch
  waits for that batch's commit, then finds it; what it creates otherwise, the batch before
  never touches. A batch with a row whose shared rows are not known ahead (one that goes row
  by row whatever happens) makes the next batch wait for its commit before anything.

Order is kept: a batch commits only after the batch before it has committed, and the results
come out in file order, each batch's once it has committed. If a batch fails, the batch after
it rolls back, and the failure is raised to the caller after the results of the batches
before it, as it would be with one batch at a time. A caller that stops reading early stops
any batch still open from committing; a batch that had already committed (at most one past
the last results read) stays, as the batches before it do.

Used only where it can help and is safe: on PostgreSQL (SQLite takes one writer at a time),
and when the caller is not inside a transaction (each batch's connection would not see what
that transaction wrote, and the caller expects one transaction).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import translation

from claims.bulk.fast import Behind, SharedKeys

B = TypeVar("B")
R = TypeVar("R")

# Batches in flight at once: one committing while the next is written. More would only queue
# behind the same rule (each commits after the one before).
WRITERS = 2
# A writer's lock waits are on the batch before it, which ends within seconds. Should one
# ever wait on a batch that waits for it (which the rules above exclude; PostgreSQL cannot see
# such a cycle, half of it being in Python), the wait ends with an error after this long,
# its bulk path rolls back and its rows go row by row once the batch before has committed.
LOCK_TIMEOUT = "60s"

# write(batch, behind) -> the batch's results
Write = Callable[[B, "Behind | None"], list[R]]
# keys(batch) -> what the batch may create that the next batch could create too
Keys = Callable[[B], SharedKeys]


class Abandoned(Exception):
    """The batch before this one failed, or the caller stopped reading: this one rolls back."""


def overlap_possible(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether batches may be written two at a time on this connection (see the module's
    docstring). ``BULK_IMPORT_WRITERS = 1`` in the settings turns it off."""
    database = connections[alias]
    return (
        database.vendor == "postgresql"
        and not database.in_atomic_block
        and settings.BULK_IMPORT_WRITERS > 1
    )


class _Turn:
    """One batch's progress, as the batch after it waits on it."""

    def __init__(self, previous: _Turn | None, keys: SharedKeys) -> None:
        self.previous = previous
        self.keys = keys
        self.ended = threading.Event()  # its transaction has ended
        self.committed = False

    def settle(self) -> None:
        """Wait for the batch before this one to commit; ``Abandoned`` if it did not."""
        previous = self.previous
        if previous is None:
            return
        previous.ended.wait()
        if not previous.committed:
            raise Abandoned


def _run(
    turn: _Turn, batch: B, write: Write, stopped: threading.Event, language: str | None
) -> list[R]:
    """One batch, in a writer thread, on that thread's own connection.

    1. Write the batch in a transaction, handing ``write`` what the batch before may create
       and ``settle``, which waits for that batch's commit (``claims.bulk.fast.Behind``).
    2. Wait for the batch before to commit, then commit (or roll back, if it did not commit or
       the caller has stopped reading).
    """
    previous = turn.previous
    try:
        with translation.override(language), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_TIMEOUT])
            behind = Behind(previous.keys, turn.settle) if previous is not None else None
            results = write(batch, behind)
            turn.settle()
            if stopped.is_set():
                raise Abandoned
        turn.committed = True
        return results
    finally:
        turn.ended.set()
        connections.close_all()


def batches_write_overlapped(batches: Iterable[B], write: Write, keys: Keys) -> Iterator[list[R]]:
    """Each batch's results, in order, once it has committed; the batches are written by
    ``WRITERS`` threads, a batch's writing overlapping the writing and the commit of the one
    before (see the module's docstring)."""
    stopped = threading.Event()
    language = translation.get_language()  # thread-local: the caller's, handed on
    in_flight: deque[Future[list[R]]] = deque()
    previous: _Turn | None = None
    with ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="import-writer") as pool:
        try:
            for batch in batches:
                turn: _Turn = _Turn(previous, keys(batch))
                in_flight.append(pool.submit(_run, turn, batch, write, stopped, language))
                previous = turn
                if len(in_flight) == WRITERS:
                    yield in_flight.popleft().result()
            while in_flight:
                yield in_flight.popleft().result()
        finally:
            # Normal end: nothing is open. Otherwise (a batch failed, or the caller stopped
            # reading) no batch still open commits; leaving the block waits for them.
            stopped.set()
