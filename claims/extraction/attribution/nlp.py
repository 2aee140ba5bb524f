"""Which engine reads attributions (placeholder until the spaCy path lands)."""

from claims.extraction.attribution.rules import attribute


def engine():
    return attribute
