"""Throttles for anonymous callers, signed-in callers, and named scopes.

The rates live in ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (set from the environment in
``config/settings/base.py``).
"""

from __future__ import annotations

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


class AnonThrottle(_RatesFromSettings, AnonRateThrottle):
    pass


class UserThrottle(_RatesFromSettings, UserRateThrottle):
    pass


class ScopedThrottle(_RatesFromSettings, ScopedRateThrottle):
    """Applies to views that name a ``throttle_scope`` (e.g. "import")."""
