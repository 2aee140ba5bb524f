"""Throttles for anonymous callers, signed-in callers, and named scopes.

The rates live in ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (set from the environment in
``config/settings/base.py``).

DRF keeps the time of every request of the last period in one cache entry, read and written
back on each request (two round trips, and a list of up to the whole allowance to unpickle and
pickle). With the Redis cache (``config.cache.RedisCache``) a throttle instead counts requests
in a window opened by the first one and closed after the period, in one round trip; the answer
after the allowance is a 429 whose Retry-After is the time left in the window. A window rather
than a sliding period lets a caller make up to twice the allowance across a window's end; the
rates are there against runaway scripts, not as a precise quota. Other caches (the per-process
one without Redis) keep DRF's own way.

A large allowance is taken from Redis in shares (:func:`share_of`): a request that finds no
share left in its process counts a share of requests in the window at once (one round trip), and
the process lets the next ones through against it without asking Redis, until the share is
spent or the window closes. The window's total never exceeds the allowance (a share is cut to
what is left of it); what a process took and did not use is lost to the caller for that
window, at most a share less one per web process. Allowances under 200 requests a window take
shares of one, so they count every request in Redis as before.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from cachetools import TLRUCache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle


class _RatesFromSettings:
    """DRF reads the rates once, at import; these read them per request, so a deployment's
    settings (and a test's ``override_settings``) are what counts."""

    def get_rate(self) -> str | None:
        rates = api_settings.DEFAULT_THROTTLE_RATES
        if self.scope not in rates:
            raise ImproperlyConfigured(f"No throttle rate set for the scope {self.scope!r}.")
        return rates[self.scope]


# A share is a hundredth of the allowance, at most this many requests.
MOST_A_SHARE = 20


def share_of(allowance: int) -> int:
    """How many requests of ``allowance`` a process counts in Redis at once."""
    return max(1, min(MOST_A_SHARE, allowance // 100))


class Shares:
    """What this process has left of the shares it took, by throttle key, each until a little
    before its window closes. Safe to share between threads."""

    def __init__(self, keys: int = 10_000) -> None:
        self._lock = threading.Lock()
        self._left: TLRUCache[Any, list[float]] = TLRUCache(
            maxsize=keys, ttu=lambda key, share, now: share[1], timer=time.time
        )

    def spend(self, key: Any) -> bool:
        """Let one request through against the key's share, if any is left."""
        with self._lock:
            share = self._left.get(key)
            if share is None or share[0] < 1:
                return False
            share[0] -= 1
            return True

    def keep(self, key: Any, requests: int, seconds_left: float) -> None:
        # A little before the window closes, never in the next one (Redis's clock and the
        # round trip are not this process's).
        until = time.time() + seconds_left - 0.05
        if requests >= 1 and until > time.time():
            with self._lock:
                self._left[key] = [requests, until]

    def clear(self) -> None:
        with self._lock:
            self._left.clear()


shares = Shares()


class _CountedInWindows:
    """One round trip a request, or a share's worth of requests, where the cache can count in
    windows (see the module)."""

    seconds_left: float | None = None

    def allow_request(self, request: Any, view: Any) -> bool:
        count_in_window = getattr(self.cache, "window_count", None)
        if count_in_window is None:
            return super().allow_request(request, view)
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        window = f"{self.key}:window"
        share = share_of(self.num_requests)
        # The shares are known by the Redis server and key the count goes to.
        held = (tuple(getattr(self.cache, "_servers", ())), self.cache.make_key(window))
        if share > 1 and shares.spend(held):
            return True
        count, self.seconds_left = count_in_window(window, self.duration, share)
        # What the window had left before this share, up to the share, is this process's.
        granted = min(share, self.num_requests - (count - share))
        if granted < 1:
            return False
        if share > 1:
            shares.keep(held, granted - 1, self.seconds_left)
        return True

    def wait(self) -> float | None:
        if self.seconds_left is None:
            return super().wait()
        return max(1, self.seconds_left)


class AnonThrottle(_CountedInWindows, _RatesFromSettings, AnonRateThrottle):
    pass


class UserThrottle(_CountedInWindows, _RatesFromSettings, UserRateThrottle):
    pass


class ScopedThrottle(_CountedInWindows, _RatesFromSettings, ScopedRateThrottle):
    """Applies to views that name a ``throttle_scope`` (e.g. "import")."""

    def allow_request(self, request: Any, view: Any) -> bool:
        # DRF's ScopedRateThrottle finds the view's scope and rate here, before counting.
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
