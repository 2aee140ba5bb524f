"""Read settings from the environment: each helper takes a name and a default, and a value
that cannot be read (``DEBUG=maybe``) raises ``ImproperlyConfigured`` naming it, at start."""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Callable
from typing import Any, TypeVar

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

Number = TypeVar("Number", int, float)


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use true/false, 1/0, yes/no.")


def _number(name: str, convert: Callable[[str], Number], kind: str) -> Number | None:
    """The variable read by ``convert``; None when it is unset or empty."""
    value = _raw(name)
    if value is None or value == "":
        return None
    try:
        return convert(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not {kind}.") from None


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    number = _number(name, int, "an integer")
    if number is None:
        return default
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    return number


def env_float(
    name: str, default: float, *, minimum: float | None = None, maximum: float | None = None
) -> float:
    number = _number(name, float, "a number")
    if number is None:
        return default
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ImproperlyConfigured(f"{name}={number} is outside [{minimum}, {maximum}].")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ImproperlyConfigured(f"{name}={value!r} is not one of: {allowed}.")
    return value


def env_timezone(name: str, default: str) -> str:
    value = env_str(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name}={value!r} is not a known time zone.") from None
    return value


def env_database(name: str, default: str) -> dict[str, Any]:
    """Parse a database URL (``postgres://…``, ``sqlite:///…``) into Django's DATABASES entry."""
    value = env_str(name, default)
    try:
        config = dj_database_url.parse(value, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"{name} could not be parsed: {exc}") from None
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ImproperlyConfigured(
            f"{name} must point at PostgreSQL or SQLite, not {engine or 'an unknown engine'}."
        )
    # Without this, `postgres://host:5432` starts fine and fails at the first query instead.
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} names no database (expected …/<database name>).")
    return config
