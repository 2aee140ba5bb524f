"""Single HTTP requests the runner makes itself (not under load): JSON in and out, a token."""

from __future__ import annotations

import json
import urllib.request


def _open(method: str, url: str, token: str, body: bytes | None, content_type: str, headers):
    request = urllib.request.Request(url, data=body, method=method)
    request.add_header("Authorization", f"Token {token}")
    for name, value in headers.items():
        request.add_header(name, value)
    if body is not None:
        request.add_header("Content-Type", content_type)
    return urllib.request.urlopen(request, timeout=600)


def request_json(
    method: str, url: str, token: str, body: bytes | None = None, content_type: str = ""
) -> object:
    """One request with ``Authorization: Token …``; the answer's JSON (``None`` if empty).
    Any status of 400 or above raises ``urllib.error.HTTPError``."""
    return request_json_located(method, url, token, body, content_type)[0]


def request_json_located(
    method: str, url: str, token: str, body: bytes | None = None, content_type: str = ""
) -> tuple[object, str]:
    """As :func:`request_json`; also the answer's ``Location`` header (``""`` when none)."""
    with _open(method, url, token, body, content_type, {}) as response:
        return json.loads(response.read() or b"null"), response.headers.get("Location", "")


def etag(url: str, token: str) -> str:
    """The ``ETag`` of a GET's answer (``""`` when it has none), as a polling client keeps it
    to send back in ``If-None-Match``."""
    with _open("GET", url, token, None, "", {}) as response:
        response.read()
        return response.headers.get("ETag", "")
