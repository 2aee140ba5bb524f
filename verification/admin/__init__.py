"""The verification side of the admin, and the claim page and list, which show both apps.

Every write goes through the services, every read of what a person may see through
``verification.selectors`` (blind review). Importing the modules below registers their admins.
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
