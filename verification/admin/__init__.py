"""The verification side of the admin: reviewers, assignments, evidence, reviews, events, the
corrections list, the email outbox, and the claim page the desk works on.

The claim page and list (:mod:`~verification.admin.claims`, with its workflow actions in
:mod:`~verification.admin.claim_actions`, its filters in :mod:`~verification.admin.claim_filters`
and its own sections in :mod:`~verification.admin.claim_page`) live here because they show both
apps: the claim with its evidence, reviews, assignments and timeline. The base classes both
apps' admins share are :mod:`claims.admin.base`. Every write goes through
``claims.services`` or ``verification.services``; what a person may read goes through
``verification.selectors`` (blind review).

Django's autodiscovery imports this package; importing the modules below registers their
model admins.
"""

from verification.admin import (
    assignments,
    claims,
    corrections,
    emails,
    events,
    evidence,
    reviewers,
    reviews,
)

__all__ = [
    "assignments",
    "claims",
    "corrections",
    "emails",
    "events",
    "evidence",
    "reviewers",
    "reviews",
]
