"""Django's Redis cache, keeping one Redis client per connection pool.

``django.core.cache.backends.redis`` builds a new ``redis.Redis`` for every operation, and
building one fills its table of response callbacks (a case-insensitive dict of about 200
entries): roughly a quarter of a millisecond of CPU each time. The API pays it on every request
(the throttle's get and set, the claim list's cache look-up); ``bench/`` showed it as the
largest single cost of a cached list answer. A client is safe to share between threads (each
command takes a connection from the pool), so one per pool is kept and reused.

It also counts events in a window with one round trip (:meth:`RedisCache.window_count`), which
the API's throttles use (``config.api.throttling``) instead of reading and writing back a list of
every request's time.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def window_count(self, key: str, seconds: int, version: int | None = None) -> tuple[int, int]:
        """Count one more event under ``key`` in the window of ``seconds`` that the first event
        opened: ``(events so far in the window, seconds until it closes)``. One round trip."""
        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        pipeline = client.pipeline(transaction=False)
        pipeline.set(key, 0, ex=seconds, nx=True)
        pipeline.incr(key)
        pipeline.ttl(key)
        _, count, left = pipeline.execute()
        if left < 0:  # the key expired between SET and INCR, and INCR made it anew
            client.expire(key, seconds)
            left = seconds
        return count, left
