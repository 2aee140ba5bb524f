"""JSON answers encoded by orjson, byte for byte what DRF's own ``JSONRenderer`` writes.

The standard library's encoder, which DRF's renderer uses, was about a tenth of what a page of
50 claims cost to build (``bench/``, 2f); orjson writes the same page some twenty times faster.
It writes the same bytes as DRF's renderer (compact, UTF-8, ``\\u2028`` and ``\\u2029``
escaped) for nearly everything, and where it would not, DRF's renderer writes the answer as
before:

- pretty-printed answers (``Accept: application/json; indent=4``, the browsable API) and
  settings other than DRF's defaults (``UNICODE_JSON``, ``COMPACT_JSON``, ``STRICT_JSON``, the
  encoder class);
- what orjson refuses: integers past 64 bits, keys that are not exact strings, unpaired
  surrogates, nesting past 254 levels;
- floats below 1e-4 or from 1e16 up, which orjson writes in other notations (``1e-7`` and
  ``0.00001`` where Python writes ``1e-07`` and ``1e-05``). Such a float in orjson's output
  always reads ``0.0000`` or a digit, ``e`` and a digit or minus; text may too, and is then
  rendered by DRF's renderer, which costs time, not correctness;
- one-shot iterators, which a second rendering could not read again.

Types orjson would write its own way go through the conversions the ``json`` module and DRF's
encoder make (:func:`as_json_writes_it`). The one answer that differs: a float that is not
finite, which DRF's renderer refuses (a server error) and orjson writes as ``null``; the desk's
float columns cannot hold one (check constraints, and DRF's float fields refuse them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import orjson
from rest_framework import renderers
from rest_framework.utils import encoders

_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)
# The shapes of the floats orjson writes otherwise than Python (see the module's docstring).
_SMALL_FLOAT = b"0.0000"
_EXPONENT = re.compile(rb"e(?<=[0-9]e)[-0-9]")
_DRF_ENCODER = encoders.JSONEncoder()


class _RenderWithDRF(Exception):
    """Raised inside orjson's ``default`` for a value only DRF's renderer should read."""


def as_json_writes_it(value: Any) -> Any:
    """orjson's ``default``: what the ``json`` module (with DRF's encoder) writes for a value
    orjson hands over. Subclasses of ``str``, ``int`` and ``float`` become their base values,
    subclasses of ``list``, ``tuple`` and ``dict`` what their ``__iter__`` and ``items()``
    give, as ``json`` reads them; datetimes and anything else go through DRF's encoder."""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, dict):
        return dict(value.items())
    if isinstance(value, Iterator):
        raise _RenderWithDRF  # DRF's encoder would use it up, and DRF's renderer find it empty
    return _DRF_ENCODER.default(value)


class DeskJSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, encoding with orjson where that gives the same bytes (see the
    module's docstring)."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None or not self._writes_as_drf_defaults():
            return super().render(data, accepted_media_type, renderer_context)
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=as_json_writes_it, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        if _SMALL_FLOAT in body or _EXPONENT.search(body):
            return super().render(data, accepted_media_type, renderer_context)
        return body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")

    def _writes_as_drf_defaults(self) -> bool:
        # What orjson writes: compact UTF-8, refusing nothing DRF's strict mode allows.
        return (
            self.encoder_class is encoders.JSONEncoder
            and not self.ensure_ascii
            and self.compact
            and self.strict
        )
