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

A caller with a token is known in the key by the token itself, and a repeat is answered from
the process's memory before Django REST framework takes the request
(:meth:`SnapshotCachedListMixin.dispatch`): one statement reads the snapshot, and if this
token's answer for this URL was stored at that very snapshot, the database is the same as when
the token was checked, the caller's roles were read and the answer was built, so the token is
still valid, its user still active and allowed, and the answer still current. A revoked token,
a deactivated user or a changed role is a commit, hence a new snapshot and the full path (401
or 403 at once). The throttles count the request as on the full path; one that would refuse
it sends it down the full path, which gives the 429.
"""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Any, NamedTuple

import psycopg
from cachetools import TLRUCache
from django.conf import settings
from django.core.cache import caches
from django.db import connections, router
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from rest_framework import HTTP_HEADER_ENCODING
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request
from rest_framework.response import Response

# Bumped when what a cached answer holds changes shape, so old entries are never read.
FORMAT = "3"
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
    connection.ensure_connection()
    if not isinstance(connection.connection, psycopg.Connection):
        with connection.cursor() as cursor:  # psycopg2
            cursor.execute(f"SELECT {SNAPSHOT_SQL}")
            return cursor.fetchone()[0]
    # Every repeated list request reads this, so it goes through psycopg's own cursor, which
    # binds on the server: PostgreSQL keeps the statement prepared on the connection, and the
    # read costs a third of the CPU Django's client-side binding cursor takes. Django's errors
    # still; it is not in Django's query log.
    with connection.wrap_database_errors:
        cursor = psycopg.Cursor(connection.connection)
        return cursor.execute(f"SELECT {SNAPSHOT_SQL}", prepare=True).fetchone()[0]


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
    every process. ``user_id``: whose answer it is, for the throttles of a repeat."""

    expires: float
    content_type: str
    headers: list[tuple[str, str]]
    body: bytes
    user_id: Any = None

    def response(self) -> HttpResponse:
        response = HttpResponse(self.body, content_type=self.content_type)
        for name, value in self.headers:
            response[name] = value
        response[CACHE_HEADER] = "hit"
        return response


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


def wants_fresh(request: Request | HttpRequest) -> bool:
    directives = request.META.get("HTTP_CACHE_CONTROL", "").lower().replace(" ", "").split(",")
    return "no-cache" in directives or "no-store" in directives


def answer_key(view: object, *, uri: str, caller: str, accept: str, snapshot: str) -> str:
    """The key of a list answer. ``accept`` is the raw Accept header, which (with the URL's
    query, which may name a format) decides the media type; ``caller`` names a token or a
    user (see :func:`caller_of`)."""
    parts = [
        FORMAT,
        f"{type(view).__module__}.{type(view).__qualname__}",
        uri,
        caller,
        accept,
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        snapshot,
    ]
    return "api-list:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def caller_of(request: Request) -> str:
    """A token's caller by the token (what a repeat is recognised by before authentication),
    anyone else by their user id."""
    if isinstance(request.successful_authenticator, TokenAuthentication):
        return f"token:{request.auth.key}"
    return f"user:{request.user.pk}"


def presented_token(request: HttpRequest, authentication: type) -> str | None:
    """The key in ``Authorization: <keyword> <key>`` when ``authentication`` (a
    ``TokenAuthentication``) would read it as well formed; None for anything else, which the
    full path then answers."""
    if not issubclass(authentication, TokenAuthentication):
        return None
    # What DRF's get_authorization_header reads, without building request.headers.
    header = request.META.get("HTTP_AUTHORIZATION", b"")
    words = (header.encode(HTTP_HEADER_ENCODING) if isinstance(header, str) else header).split()
    if len(words) != 2 or words[0].lower() != authentication.keyword.lower().encode():
        return None
    try:
        return words[1].decode()
    except UnicodeError:
        return None


class _KnownCaller:
    """The caller of a repeat, as the throttles read it: signed in, with this id."""

    is_authenticated = True

    def __init__(self, pk: Any) -> None:
        self.pk = pk


class _ThrottledRequest:
    """What a throttle reads of a request (``user``, and ``META`` for an address)."""

    def __init__(self, request: HttpRequest, user_id: Any) -> None:
        self.user = _KnownCaller(user_id)
        self.META = request.META
        self._request = request


class SnapshotCachedListMixin:
    """For a ``ListModelMixin`` view set: answers a JSON list from the cache when nothing in
    the database has changed since it was stored; a token's repeat without going through
    Django REST framework at all. See the module's docstring."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = self.repeat_from_memory(request, kwargs)
        if response is None:
            return super().dispatch(request, *args, **kwargs)
        # What DRF's own dispatch adds to every answer (Allow, Vary: Accept).
        self.args, self.kwargs, self.request = args, kwargs, request
        self.headers = self.default_response_headers
        return self.finalize_response(request, response, *args, **kwargs)

    def repeat_from_memory(self, request: HttpRequest, kwargs: dict) -> HttpResponse | None:
        """This process's stored answer to a token's repeated list request, if the database
        is still at the snapshot it was stored at and the throttles let the request through;
        else None, and the full path answers."""
        if request.method != "GET" or kwargs or self.action_map.get("get") != "list":
            return None  # kwargs: a format suffix, which DRF reads
        local = local_answers()
        if not settings.API_LIST_CACHE_SECONDS or local is None or wants_fresh(request):
            return None
        authenticators = self.authentication_classes
        token = presented_token(request, authenticators[0]) if authenticators else None
        if token is None:
            return None
        alias = router.db_for_read(self.get_serializer_class().Meta.model)
        if router.db_for_read(authenticators[0]().get_model()) != alias:
            return None
        snapshot = database_snapshot(alias)
        if snapshot is None:
            return None
        key = answer_key(
            self,
            uri=request.build_absolute_uri(),
            caller=f"token:{token}",
            accept=request.META.get("HTTP_ACCEPT", ""),
            snapshot=snapshot,
        )
        answer = local.get(key)
        if answer is None or answer.user_id is None:
            return None
        throttled = _ThrottledRequest(request, answer.user_id)
        if not all(t.allow_request(throttled, self) for t in self.get_throttles()):
            return None  # the full path counts it too, and answers 429 with Retry-After
        return answer.response()

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
        return answer_key(
            self,
            uri=request.build_absolute_uri(),
            caller=caller_of(request),
            accept=request.META.get("HTTP_ACCEPT", ""),
            snapshot=snapshot,
        )

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
                return answer.response()
        response = super().list(request, *args, **kwargs)
        if isinstance(response, Response) and response.status_code == 200:
            self.render_now(request, response)
            seconds = settings.API_LIST_CACHE_SECONDS
            answer = Answer(
                expires=time.time() + seconds,
                content_type=response["Content-Type"],
                headers=[(h, response[h]) for h in KEPT_HEADERS if h in response],
                body=response.content,
                user_id=request.user.pk,
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
