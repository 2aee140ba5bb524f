"""How a delivery is signed, and how a receiver checks it: the body is compact JSON with sorted
keys; ``X-Claimdesk-Signature`` is ``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``, the
time signed with the body so a captured request cannot be replayed later."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

SIGNATURE_HEADER = "X-Claimdesk-Signature"
EVENT_HEADER = "X-Claimdesk-Event"
DELIVERY_HEADER = "X-Claimdesk-Delivery"
TOLERANCE_SECONDS = 300


def payload_body(payload: dict[str, Any]) -> bytes:
    """The bytes that are sent and signed."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def signature(*, secret: str, body: bytes, timestamp: int) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>.<body>"`` under ``secret``."""
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The value of ``X-Claimdesk-Signature`` for ``body`` sent now (or at ``timestamp``)."""
    at = int(time.time()) if timestamp is None else timestamp
    return f"t={at},v1={signature(secret=secret, body=body, timestamp=at)}"


def signature_verify(
    *,
    secret: str,
    body: bytes,
    header: str,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """What a receiver does: the header's time is within ``tolerance`` seconds of ``now`` and
    one of its ``v1`` values is the signature of the body (compared in constant time)."""
    parts = [part.split("=", 1) for part in header.split(",") if "=" in part]
    stamps = [value for name, value in parts if name.strip() == "t"]
    given = [value.strip() for name, value in parts if name.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].strip().isdigit() or not given:
        return False
    at = int(stamps[0])
    if abs((time.time() if now is None else now) - at) > tolerance:
        return False
    expected = signature(secret=secret, body=body, timestamp=at)
    return any(hmac.compare_digest(expected, value) for value in given)
