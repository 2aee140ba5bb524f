"""The archive's email (``templates/emails/source_changed/``), through verification's outbox."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from claims.models import Claim
from config.archive.models import PageChange
from verification.emails import claim_links, desk_link, email_queue
from verification.models import EmailKind, EmailLog


def email_source_changed(
    *, change: PageChange, user: AbstractBaseUser, claims: Sequence[Claim]
) -> EmailLog | None:
    """Tell one person that a page their claims cite changed or is gone, once per change."""
    before = change.before
    return email_queue(
        key=f"page_change:{change.pk}:{user.pk}",
        kind=EmailKind.SOURCE_CHANGED,
        user=user,
        claim=claims[0] if len(claims) == 1 else None,
        context={
            "change": change,
            "page": change.page,
            "claims": [{"claim": claim, **claim_links(claim)} for claim in claims],
            "archived_url": desk_link(reverse("archive:text", args=[before.pk])),
            "archived_at": before.fetched_at,
            "archived_sha256": before.body_sha256,
        },
    )
