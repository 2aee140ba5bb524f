"""ClaimReview markup as fact-checkers publish it, for the tests that import some."""

from __future__ import annotations

from typing import Any


def claim_review(statement: str, *, url: str, rating: dict | str | None, **extra: Any) -> dict:
    """A ``ClaimReview`` node checking ``statement``, published at ``url``.

    ``rating`` stands as the node's ``reviewRating`` as given (a ``Rating`` node, a bare string;
    None leaves it out); ``extra`` adds keys or replaces them. Without an ``author`` the review
    is Coast Checkers'.
    """
    node = {"@type": "ClaimReview", "claimReviewed": statement, "url": url, **extra}
    if rating is not None:
        node["reviewRating"] = rating
    node.setdefault("author", organisation("Coast Checkers"))
    return node


def rating_named(words: str) -> dict:
    """A ``Rating`` node that gives its verdict in words only (``alternateName``)."""
    return {"@type": "Rating", "alternateName": words}


def organisation(name: str) -> dict:
    return {"@type": "Organization", "name": name}
