"""The claims side of the admin: topics, sources, speakers, quantities, appearances, and the
claim page the desk works on.

New rows go through ``claims.services`` (so a claim made here records who submitted it and its
"created" event, and a span must reproduce its quote); workflow moves are changelist actions
that call ``verification.services``. A published claim is read-only here until it is reopened.

Django's autodiscovery imports this package; importing the modules below registers their
model admins.
"""

from claims.admin import (
    appearances,
    claims,
    imports,
    ingest,
    quantities,
    sources,
    speakers,
    topics,
)

__all__ = [
    "appearances",
    "claims",
    "imports",
    "ingest",
    "quantities",
    "sources",
    "speakers",
    "topics",
]
