"""Reading JSON and markup from outside the desk without letting it cost more than it is worth.

- JSON (API bodies, ClaimReview documents and their JSON-LD blocks, bulk lines):
  :func:`load_json` refuses nesting deeper than ``JSON_MAX_DEPTH`` before parsing, so a
  10,000-deep array can exhaust neither the parser nor the code that walks what it returns.
- Markup (article pages, ClaimReview pages): read only with lxml's HTML parser, no network, the
  libxml2 limits on depth and text size kept (``huge_tree`` off); that parser never expands
  entities a document declares, and a document that declares any (``<!ENTITY``, the "billion
  laughs") is refused outright (:func:`refuse_entity_declarations`), since no article or fact
  check needs one. The desk parses no other XML.
"""

from __future__ import annotations

import json
import re
from typing import Any

import lxml.html

JSON_MAX_DEPTH = 64
# A JSON string (skipped: brackets inside it do not nest) or a bracket.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)


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
