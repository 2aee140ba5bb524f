"""Reading an import ahead of its writes, in a thread of its own.

An import alternates between Python work that needs no database (reading the file's rows,
turning them into records, building and field-validating their rows: ``claims.bulk.importer``
and ``claims.bulk.fast``) and waiting for PostgreSQL (COPY, the foreign-key checks at commit,
index upkeep). Done one after the other, the reading adds to the waiting (about 0.4 s of the
2.6 s of 10,272 LIAR rows, measured in process). :func:`read_ahead` lets the reading side
run a batch or two ahead of the writing side in a thread: psycopg releases the GIL while it
waits for the server, so on a machine with two cores the Python work of batch N+1 overlaps
PostgreSQL's work on batch N.

Python lets a thread waiting for the GIL have it only after the holder's switch interval
(5 ms), and the writing side wakes up dozens of times a batch (each COPY, each query): a
reading thread that held on would make it wait longer than the overlap saves. So the reading
code calls :func:`give_way` every few rows, which in the read-ahead thread hands the GIL
over at once (and does nothing in any other thread).

The thread touches no database (it is given only work that needs none; its own connections,
had Django opened any, are closed when it ends), and runs in the caller's language, so any
translated text it renders (a rating's label) reads as it would in the caller's thread.
What it produces, and any exception it raises, reach the consumer in order: an exception
raised while reading batch N is raised to the consumer after batches up to N-1, as it would
be without the thread.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.db import connections
from django.utils import translation

T = TypeVar("T")

_DONE = object()
_POLL_SECONDS = 0.1  # how often a producer blocked on a full queue checks it was abandoned


_local = threading.local()


def give_way() -> None:
    """In a read-ahead thread, let a thread waiting for the GIL run now (see the module's
    docstring); elsewhere, nothing."""
    if getattr(_local, "reading_ahead", False):
        time.sleep(0)  # releases the GIL, which a waiting thread takes


class _Raised:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def read_ahead(items: Iterable[T], *, depth: int = 2) -> Iterator[T]:
    """``items``, produced by a thread up to ``depth`` items ahead of the consumer.

    1. The thread iterates ``items`` and puts each into a queue of ``depth`` places, then a
       mark of the end, or the exception that stopped it.
    2. The consumer takes them in order; the exception is raised in the consumer's thread.
    3. A consumer that stops early (closes the generator, or raises) tells the thread, which
       stops at its next item instead of reading the rest of the file.
    """
    if depth < 1:
        raise ValueError("depth must be at least 1")
    passed: queue.Queue[object] = queue.Queue(maxsize=depth)
    abandoned = threading.Event()
    language = translation.get_language()  # thread-local: the caller's, handed on

    def put(item: object) -> bool:
        while not abandoned.is_set():
            try:
                passed.put(item, timeout=_POLL_SECONDS)
            except queue.Full:
                continue
            return True
        return False

    def produce() -> None:
        _local.reading_ahead = True
        try:
            with translation.override(language):
                for item in items:
                    if not put(item):
                        return
            put(_DONE)
        except BaseException as error:  # handed to the consumer, raised there
            put(_Raised(error))
        finally:
            connections.close_all()

    thread = threading.Thread(target=produce, name="import-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = passed.get()
            if item is _DONE:
                return
            if isinstance(item, _Raised):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        abandoned.set()
        thread.join(timeout=5 * _POLL_SECONDS)
