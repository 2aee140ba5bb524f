"""Reading JSON and markup from outside the desk without letting it cost more than it is worth.

- JSON: :func:`load_json` refuses nesting deeper than ``JSON_MAX_DEPTH`` before parsing.
- Markup: lxml's HTML parser only, no network, libxml2's limits kept; a document declaring
  entities (``<!ENTITY``, the "billion laughs") is refused outright. No other XML is parsed.
- Text going out: :func:`csv_cell` keeps a CSV cell from running as a spreadsheet formula;
  the ``http_url`` filter (``{% load untrusted %}``) lets only http(s) addresses become links.
"""

from __future__ import annotations

import json
import re
from typing import Any

import lxml.html
from django import template

JSON_MAX_DEPTH = 64
# A JSON string (skipped: brackets inside it do not nest) or a bracket.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A link's address as it is written: no leading blanks, which a browser would skip.
_HTTP_URL = re.compile(r"https?://", re.IGNORECASE)

register = template.Library()  # the "untrusted" template library (settings' TEMPLATES)


class UntrustedInputError(ValueError):
    """Input refused for its shape (too deep, entity declarations); the message says why."""


class JSONTooDeep(json.JSONDecodeError, UntrustedInputError):
    """JSON nested deeper than the desk reads: a ``JSONDecodeError``, so every caller that
    reports unreadable JSON reports this too."""


def json_depth_check(text: str, *, limit: int = JSON_MAX_DEPTH) -> None:
    """Refuse JSON text nested deeper than ``limit`` (``JSONTooDeep``, with the position)."""
    if text.count("[") + text.count("{") <= limit:
        return  # not enough brackets to nest that deep
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > limit:
                raise JSONTooDeep(f"nested too deeply (over {limit} levels)", text, token.start())
        elif bracket in ("]", "}"):
            depth -= 1


def load_json(data: str | bytes, **kwargs: Any) -> Any:
    """``json.loads`` for input from outside: refused (``JSONTooDeep``) when too deep."""
    text = data if isinstance(data, str) else data.decode(json.detect_encoding(data), "replace")
    json_depth_check(text)
    return json.loads(text, **kwargs)


def refuse_entity_declarations(markup: str, what: str = "The document") -> None:
    """``UntrustedInputError`` if ``markup`` declares XML entities (a DTD's ``<!ENTITY``)."""
    if _ENTITY_DECLARATION.search(markup):
        raise UntrustedInputError(
            f"{what} declares XML entities (<!ENTITY …>); documents that do are not read."
        )


def html_tree(markup: str, what: str = "The page") -> lxml.html.HtmlElement:
    """An HTML page from outside, parsed: entity declarations refused, no network, no huge
    trees. ``UntrustedInputError`` or lxml's ``ParserError`` when it cannot be read."""
    refuse_entity_declarations(markup, what)
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, huge_tree=False)
    # Bytes, so a page that declares its encoding (<?xml … encoding=…?>) parses too.
    return lxml.html.fromstring(markup.encode("utf-8", "surrogatepass"), parser=parser)


def csv_cell(value: str) -> str:
    """A CSV cell that a spreadsheet shows as text: a value that starts with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return, after any single quotes, gets one more single
    quote in front (OWASP's rule). The quotes already in front count, so that
    :func:`csv_cell_read` gives every value back exactly, one that began with a quote too."""
    return "'" + value if value.lstrip("'").startswith(FORMULA_STARTS) else value


def csv_cell_read(value: str) -> str:
    """A cell as :func:`csv_cell` wrote it, read back: the one quote it added comes off."""
    if value.startswith("'") and value[1:].lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


@register.filter
def http_url(value: object) -> str:
    """The address if it is an ``http`` or ``https`` URL, else "": ``{% if url|http_url %}``
    makes a link only of those (never ``javascript:``, ``data:`` or a relative path)."""
    text = "" if value is None else str(value)
    return text if _HTTP_URL.match(text) else ""
