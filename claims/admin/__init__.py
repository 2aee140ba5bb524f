"""The claims side of the admin: topics, sources, speakers, quantities, appearances and ingest
jobs, and the base classes both apps' admins are built from (:mod:`claims.admin.base`).

New rows go through ``claims.services`` (a span must reproduce its quote). The claim page
itself, which shows the verification side too (evidence, reviews, assignments, the timeline),
is the verification admin's (:mod:`verification.admin.claims`), built on this package's forms
and inlines. A published claim's rows are read-only here until it is reopened.

Django's autodiscovery imports this package; importing the modules below registers their
model admins.
"""

from claims.admin import appearances, imports, ingest, quantities, sources, speakers, topics

__all__ = ["appearances", "imports", "ingest", "quantities", "sources", "speakers", "topics"]
