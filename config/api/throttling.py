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
"""

from __future__ import annotations

from typing import Any

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


class _CountedInWindows:
    """One round trip a request where the cache can count in windows (see the module)."""

    seconds_left: int | None = None

    def allow_request(self, request: Any, view: Any) -> bool:
        count_in_window = getattr(self.cache, "window_count", None)
        if count_in_window is None:
            return super().allow_request(request, view)
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        count, self.seconds_left = count_in_window(f"{self.key}:window", self.duration)
        return count <= self.num_requests

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
