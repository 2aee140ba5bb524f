"""Finding the fact checks in a document, at any depth up to ``MAX_DEPTH``: schema.org
``ClaimReview`` objects (alone, in lists, ``@graph``, feeds' ``dataFeedElement[].item[]``, under
any key), Google Fact Check Tools claims, and HTML pages (given as HTML or inside a scraped
page's JSON record) read with extruct. The same review found twice counts once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from claims.claimreview.values import IdIndex, text_of, types_of, url_of
from claims.services.records import statement_key
from config.untrusted import html_tree, json_depth_check

MAX_DEPTH = 12
CLAIM_REVIEW = "ClaimReview"
GOOGLE_RECORD = "Google Fact Check record"
PAGE_KEYS = ("page", "html", "body", "content")


@dataclass
class FoundItem:
    kind: str  # CLAIM_REVIEW or GOOGLE_RECORD
    node: dict[str, Any]
    base_url: str = ""
    ids: IdIndex = field(default_factory=dict)


def _is_google_record(node: dict[str, Any]) -> bool:
    reviews = node.get("claimReview")
    return isinstance(reviews, list) and ("text" in node or "claimant" in node)


def _page_html(node: dict[str, Any]) -> str | None:
    for key in PAGE_KEYS:
        value = node.get(key)
        if isinstance(value, str) and value.lstrip()[:1] == "<" and "<script" in value.lower():
            return value
    return None


def _id_index(document: Any) -> IdIndex:
    """Nodes with an ``@id`` and content, so a bare ``{"@id": …}`` reference can be followed."""
    index: IdIndex = {}

    def visit(value: Any, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        if isinstance(value, dict):
            node_id = value.get("@id")
            if isinstance(node_id, str) and len(value) > 1:
                index.setdefault(node_id, value)
            for child in value.values():
                visit(child, depth + 1)
        elif isinstance(value, list):
            for child in value:
                visit(child, depth + 1)

    visit(document, 0)
    return index


def find_items(
    document: Any, *, base_url: str = "", problems: list[str] | None = None
) -> list[FoundItem]:
    """Every ClaimReview and Google record in a parsed JSON document, duplicates dropped;
    what cannot be read of embedded pages is added to ``problems``."""
    ids = _id_index(document)
    found: list[FoundItem] = []

    def walk(value: Any, depth: int, base: str) -> None:
        if depth > MAX_DEPTH:
            return
        if isinstance(value, list):
            for child in value:
                walk(child, depth + 1, base)
            return
        if not isinstance(value, dict):
            return
        if CLAIM_REVIEW in types_of(value):
            found.append(FoundItem(CLAIM_REVIEW, value, base, ids))
            return
        if _is_google_record(value):
            found.append(FoundItem(GOOGLE_RECORD, value, base, ids))
            return
        html = _page_html(value)
        if html is not None:
            page_url = value.get("url") if isinstance(value.get("url"), str) else base
            found.extend(find_items_in_html(html, base_url=page_url, problems=problems))
            return
        for child in value.values():
            walk(child, depth + 1, base)

    walk(document, 0, base_url)
    return _unique(found)


def find_items_in_html(
    html: str, *, base_url: str = "", problems: list[str] | None = None
) -> list[FoundItem]:
    """The ClaimReviews a page carries in JSON-LD or microdata (extruct); each JSON-LD block is
    read on its own, so a broken one is reported in ``problems`` and the others still read."""
    from extruct import extract
    from extruct.jsonld import JsonLdExtractor
    from lxml.etree import ParserError

    problems = problems if problems is not None else []
    try:
        tree = html_tree(html)  # config.untrusted: no entities, no network, no huge trees
    except (ParserError, ValueError) as error:
        problems.append(f"The page cannot be parsed as HTML ({error}).")
        return []
    documents: list[Any] = []
    extractor = JsonLdExtractor()
    scripts = tree.xpath('//script[@type="application/ld+json"]')
    for number, script in enumerate(scripts, start=1):
        try:
            json_depth_check(script.text_content())
            documents.extend(extractor.extract_items(script))
        except ValueError as error:
            problems.append(f"JSON-LD block {number} of the page is not JSON ({error}).")
    try:
        documents.extend(
            extract(tree, base_url=base_url or None, syntaxes=["microdata"], uniform=True).get(
                "microdata", []
            )
        )
    except Exception as error:  # a third-party parser on untrusted markup: the page's fault
        problems.append(f"The page's microdata cannot be read ({error}).")
    return find_items(documents, base_url=base_url, problems=problems)


def _unique(items: list[FoundItem]) -> list[FoundItem]:
    """The same review given twice (JSON-LD and microdata on one page) counts once."""
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for item in items:
        if item.kind == CLAIM_REVIEW:
            key = (
                item.kind,
                url_of(item.node.get("url"), item.base_url),
                statement_key(text_of(item.node.get("claimReviewed"))),
            )
        else:
            key = (item.kind, "", json.dumps(item.node, sort_keys=True, default=str))
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique
