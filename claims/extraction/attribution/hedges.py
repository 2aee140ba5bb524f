"""Hedges an article attaches to a statement ("impossible to confirm", "estimated"), kept as a
note for the reviewer, also from a next sentence that points back ("…could not be verified")."""

from __future__ import annotations

import re

HEDGES = (
    "impossible to confirm",
    "impossible to verify",
    "could not be independently verified",
    "could not be independently confirmed",
    "cannot be independently verified",
    "could not be verified",
    "not independently verified",
    "unverified",
    "estimated",
    "reportedly",
    "allegedly",
    "disputed",
    "dispute that",
    "according to",
    "claimed",
)
_POINTS_BACK = re.compile(
    r"\b(?:the|these|those|that|this|its|their)\s+(?:figures?|numbers?|toll|tolls|count|counts|"
    r"estimates?|data|claims?|reports?|ministry|statistics)\b",
    re.IGNORECASE,
)


def hedges(sentence: str, following: str) -> str:
    """The hedges in the sentence, and a next sentence that qualifies it ("…so the figures are
    impossible to confirm"), as a note for the reviewer."""
    lower = sentence.lower()
    found = [h for h in HEDGES if h in lower]
    parts = [f"Hedged: {', '.join(repr(h) for h in found)}"] if found else []
    follow_lower = following.lower()
    if following and _POINTS_BACK.search(following) and any(h in follow_lower for h in HEDGES):
        parts.append(f"The article adds: “{' '.join(following.split())}”")
    return ". ".join(parts)
