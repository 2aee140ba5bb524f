"""DRF's JSON parser through ``request.body`` (an oversized body is a 413), refusing JSON nested
deeper than ``config.untrusted.JSON_MAX_DEPTH`` with a 400 (DRF's own would end in a 500)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from config.untrusted import load_json


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        context = parser_context or {}
        request = context.get("request")
        body = request._request.body if request is not None else stream.read()
        try:
            text = body.decode(context.get("encoding") or settings.DEFAULT_CHARSET)
            constant = parsers.json.strict_constant if self.strict else None
            return load_json(text, parse_constant=constant)
        except ValueError as error:  # UnicodeDecodeError, JSONDecodeError, JSONTooDeep
            raise ParseError(f"JSON parse error - {error}") from error
