"""The claims side of the admin (topics, sources, speakers, quantities, appearances, jobs) and
the base classes both apps' admins are built from (:mod:`claims.admin.base`).

New rows go through ``claims.services``; the claim page itself is the verification admin's
(:mod:`verification.admin.claims`), built on this package's forms and inlines. Importing the
modules below registers their model admins.
"""

from claims.admin import appearances, imports, ingest, quantities, sources, speakers, topics

__all__ = ["appearances", "imports", "ingest", "quantities", "sources", "speakers", "topics"]
