"""Reading schema.org values leniently, as real markup gives them: one value or a list, numbers
and dates as strings, objects for text, ``@id`` references, types with or without a prefix."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urljoin

from claims.services.records import valid_url

IdIndex = dict[str, dict[str, Any]]


def types_of(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type") or node.get("type") or []
    names = raw if isinstance(raw, list) else [raw]
    return {str(name).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for name in names}


def as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def first(value: Any) -> Any:
    return next((v for v in as_list(value) if v not in (None, "")), None)


def text_of(value: Any) -> str:
    value = first(value)
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or value.get("text") or ""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return " ".join(str(value).split()) if isinstance(value, str) else ""


def url_of(value: Any, base: str = "") -> str:
    value = first(value)
    if isinstance(value, dict):
        value = value.get("url") or value.get("@id") or ""
    if not isinstance(value, str) or not value.strip():
        return ""
    url = urljoin(base, value.strip()) if base else value.strip()
    return url if valid_url(url) else ""


def date_of(value: Any) -> dt.date | None:
    text = text_of(value)
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def node_of(value: Any, ids: IdIndex) -> dict[str, Any] | None:
    """The first object in ``value``, following an ``@id`` reference; a bare string becomes a
    ``{"name": …}`` node."""
    value = first(value)
    if isinstance(value, str):
        return {"name": value}
    if not isinstance(value, dict):
        return None
    if set(value) <= {"@id", "@type"} and value.get("@id") in ids:
        return ids[value["@id"]]
    return value
