"""The verification side of the admin: reviewers, assignments, evidence, reviews, events, and
the email outbox.

Also the pieces the claim page borrows (its evidence, review, assignment and event inlines,
from the modules named after them) and the base classes both apps' admins share
(:mod:`verification.admin.base`). Every write goes through ``verification.services``; what a
person may read goes through ``verification.selectors`` (blind review).

Django's autodiscovery imports this package; importing the modules below registers their
model admins.
"""

from verification.admin import (
    assignments,
    emails,
    events,
    evidence,
    external_reviews,
    reviewers,
    reviews,
)

__all__ = [
    "assignments",
    "emails",
    "events",
    "evidence",
    "external_reviews",
    "reviewers",
    "reviews",
]
