"""Django's Redis cache, keeping one Redis client per connection pool.

``django.core.cache.backends.redis`` builds a new ``redis.Redis`` for every operation, and
building one fills its table of response callbacks (a case-insensitive dict of about 200
entries): roughly a quarter of a millisecond of CPU each time. The API pays it on every request
(the throttle's get and set, the claim list's cache look-up); ``bench/`` showed it as the
largest single cost of a cached list answer. A client is safe to share between threads (each
command takes a connection from the pool), so one per pool is kept and reused.

It also counts events in a window with one command (:meth:`RedisCache.window_count`), which
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


# KEYS[1]: the window's counter; ARGV[1]: the window's length in seconds; ARGV[2]: how many
# events to count. The first event of a window opens it by setting the expiry (as would any
# event finding a counter without one). Returns the count and the milliseconds left.
WINDOW_COUNT = """
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1]) * 1000
end
return {count, left}
"""


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._window_scripts: dict[int, Any] = {}

    def window_count(
        self, key: str, seconds: int, events: int = 1, version: int | None = None
    ) -> tuple[int, float]:
        """Count ``events`` more events under ``key`` in the window of ``seconds`` that the
        first event opened: ``(events so far in the window, seconds until it closes)``, to
        the millisecond. One command (a script Redis runs atomically, so the count and its
        expiry cannot come apart)."""
        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        script = self._window_scripts.get(id(client))
        if script is None:
            script = self._window_scripts[id(client)] = client.register_script(WINDOW_COUNT)
        count, left = script(keys=[key], args=[seconds, events])
        return count, left / 1000
