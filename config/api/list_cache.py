"""Repeated list requests answered from a cache keyed on PostgreSQL's snapshot.

A desk polls the same lists all day (a reviewer's queue, the sign-off queue) and most polls
find nothing changed. Building a page of 50 claims costs about 30 times what the smallest
Django request does (``bench/``, benchmark 1), so a list remembers its rendered answer.

Nothing here has to be told when data changes. The key holds ``pg_current_snapshot()``: the
next transaction id to be given out and the ones still running. Every write takes a transaction
id, and every commit or rollback removes one from the running set, so any change anywhere in
the cluster (the service, a Celery worker, ``manage.py``, ``psql``, a bulk ``COPY``) gives later
requests a new snapshot, hence a new key. Two reads with the same snapshot see the same rows,
which is what MVCC promises. A stored answer may be newer than its key (it was built after the
snapshot was read), never older, so a hit is never staler than reading the tables would be.

The other inputs of a list's answer are in the key too: the view, the whole URL (path, query,
host and scheme, which the page links carry), the caller (what blind review lets them see,
which moves they may make), the media type, the language and the time zone. Entries expire after
``API_LIST_CACHE_SECONDS`` (also the bound on anything that depends on the clock). A request
with ``Cache-Control: no-cache`` is answered afresh (and the answer stored).

Only on PostgreSQL, and only outside a transaction: inside one, the caller's own uncommitted
writes do not change the snapshot (tests run inside one, so they see no cache unless they
commit). ``API_LIST_CACHE_SECONDS=0`` turns it off.

Each process also keeps the answers it used lately in its own memory
(``API_LIST_CACHE_LOCAL_BYTES``, least recently used first out), in front of the shared cache.
A key never names two different answers, so a copy can never be out of date: a hit then costs
no round trip to Redis. A copy expires when its shared entry does.
"""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Any, NamedTuple

from cachetools import TLRUCache
from django.conf import settings
from django.core.cache import caches
from django.db import connections, router
from django.http import HttpResponse
from django.utils import timezone, translation
from rest_framework.request import Request
from rest_framework.response import Response

# Bumped when what a cached answer holds changes shape, so old entries are never read.
FORMAT = "2"
# Response headers an answer keeps when it is stored.
KEPT_HEADERS = ("Count-Is-Estimate",)
CACHE_HEADER = "X-List-Cache"
# The key's database part, as SQL (token authentication reads it in its own statement).
SNAPSHOT_SQL = "pg_current_snapshot()::text"


def database_snapshot(alias: str) -> str | None:
    """``pg_current_snapshot()`` on ``alias``, or None where there is none to trust: not
    PostgreSQL, or inside a transaction (whose own writes leave the snapshot as it was)."""
    connection = connections[alias]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {SNAPSHOT_SQL}")
        return cursor.fetchone()[0]


def request_snapshot(request: Request, alias: str) -> str | None:
    """The snapshot the request's token authentication read with the token (one round trip
    fewer), if it did so on ``alias`` outside a transaction and the request is still outside
    one; else a fresh :func:`database_snapshot`. Either was read before the list's rows."""
    taken = getattr(request.auth, "database_snapshot", None)
    if taken is not None and taken[0] == alias and not connections[alias].in_atomic_block:
        return taken[1]
    return database_snapshot(alias)


class Answer(NamedTuple):
    """A stored list answer; ``expires`` is wall-clock time (``time.time()``), the same in
    every process."""

    expires: float
    content_type: str
    headers: list[tuple[str, str]]
    body: bytes


class LocalAnswers:
    """This process's most recently used answers, up to ``max_bytes`` of bodies, each until
    its own expiry. Safe to share between threads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._answers: TLRUCache[str, Answer] = TLRUCache(
            maxsize=max_bytes, ttu=self._until, timer=time.time, getsizeof=self._size
        )

    @staticmethod
    def _until(key: str, answer: Answer, now: float) -> float:
        return answer.expires

    @staticmethod
    def _size(answer: Answer) -> int:
        return len(answer.body) or 1

    def get(self, key: str) -> Answer | None:
        with self._lock:
            return self._answers.get(key)

    def put(self, key: str, answer: Answer) -> None:
        if self._size(answer) > self.max_bytes or answer.expires <= time.time():
            return
        with self._lock:
            self._answers[key] = answer


_local: LocalAnswers | None = None


def local_answers() -> LocalAnswers | None:
    """The process's :class:`LocalAnswers`, made anew if the setting changed; None when off."""
    global _local
    size = settings.API_LIST_CACHE_LOCAL_BYTES
    if not size:
        return None
    if _local is None or _local.max_bytes != size:
        _local = LocalAnswers(size)
    return _local


def wants_fresh(request: Request) -> bool:
    directives = request.headers.get("Cache-Control", "").lower().replace(" ", "").split(",")
    return "no-cache" in directives or "no-store" in directives


class SnapshotCachedListMixin:
    """For a ``ListModelMixin`` view set: answers a JSON list from the cache when nothing in
    the database has changed since it was stored. See the module's docstring."""

    def list_cache_key(self, request: Request) -> str | None:
        seconds = settings.API_LIST_CACHE_SECONDS
        renderer = getattr(request, "accepted_renderer", None)
        if not seconds or renderer is None or renderer.format != "json":
            return None
        if not request.user.is_authenticated:
            return None
        alias = router.db_for_read(self.get_serializer_class().Meta.model)
        snapshot = request_snapshot(request, alias)
        if snapshot is None:
            return None
        parts = [
            FORMAT,
            f"{type(self).__module__}.{type(self).__qualname__}",
            request.build_absolute_uri(),
            str(request.user.pk),
            request.accepted_media_type or "",
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            snapshot,
        ]
        digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        return f"api-list:{digest}"

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        key = self.list_cache_key(request)
        if key is None:
            return super().list(request, *args, **kwargs)
        shared, local = caches[settings.API_LIST_CACHE], local_answers()
        if not wants_fresh(request):
            answer = local.get(key) if local is not None else None
            if answer is None:
                answer = shared.get(key)
                if answer is not None and local is not None:
                    local.put(key, answer)
            if answer is not None:
                response = HttpResponse(answer.body, content_type=answer.content_type)
                for name, value in answer.headers:
                    response[name] = value
                response[CACHE_HEADER] = "hit"
                return response
        response = super().list(request, *args, **kwargs)
        if isinstance(response, Response) and response.status_code == 200:
            self.render_now(request, response)
            seconds = settings.API_LIST_CACHE_SECONDS
            answer = Answer(
                expires=time.time() + seconds,
                content_type=response["Content-Type"],
                headers=[(h, response[h]) for h in KEPT_HEADERS if h in response],
                body=response.content,
            )
            shared.set(key, answer, seconds)
            if local is not None:
                local.put(key, answer)
            response[CACHE_HEADER] = "miss"
        return response

    def render_now(self, request: Request, response: Response) -> None:
        """Render as DRF's ``finalize_response`` would, so the bytes can be stored."""
        response.accepted_renderer = request.accepted_renderer
        response.accepted_media_type = request.accepted_media_type
        response.renderer_context = self.get_renderer_context()
        response.render()
