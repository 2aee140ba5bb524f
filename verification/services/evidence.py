"""Evidence gathered for a claim."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from claims.exceptions import WorkflowConflict
from claims.history import history_as
from claims.models import Claim, ClaimState
from claims.roles import require_desk_member
from verification.models import EVIDENCE_DETAILS, Evidence


def origin_key_for(*, url: str = "", publisher: str = "", document_ref: str = "") -> str:
    """A default origin key: the URL without scheme, query or "www.", else publisher/document
    (desk members set one, e.g. "ap:2023-11-06-gaza-toll", for the reprints of a wire story)."""
    if url:
        parts = urlsplit(url)
        host = parts.netloc.lower().removeprefix("www.")
        return f"{host}{parts.path.rstrip('/')}"
    return f"{publisher.strip().lower()}:{document_ref.strip().lower()}".strip(":")


def evidence_details(source: object) -> dict[str, Any]:
    """The details ``evidence_add`` takes, read off an object that has them as attributes (an
    unsaved row from the admin, a step of the demo story)."""
    return {name: getattr(source, name) for name in EVIDENCE_DETAILS}


def evidence_add(
    *,
    actor: AbstractBaseUser,
    claim: Claim,
    title: str,
    stance: str,
    source_reliability: str,
    credibility: int,
    url: str = "",
    document_ref: str = "",
    publisher: str = "",
    excerpt: str = "",
    origin_key: str = "",
) -> Evidence:
    """Attach a graded piece of evidence to a claim being worked on (not a published one,
    read-only until reopened, nor a dismissed one)."""
    require_desk_member(actor, "add evidence")
    with transaction.atomic():
        # Read the state under a lock, not from the caller's copy: someone may have published
        # the claim since that copy was loaded, and a publish must not race an addition.
        current = Claim.objects.select_for_update().get(pk=claim.pk)
        if current.state in (ClaimState.PUBLISHED, ClaimState.DISMISSED):
            raise WorkflowConflict(
                f"Cannot add evidence to claim #{current.pk}: it is "
                f"{current.get_state_display().lower()}."
            )
        evidence = Evidence(
            claim=current,
            title=title.strip(),
            stance=stance,
            source_reliability=source_reliability,
            credibility=credibility,
            url=url.strip(),
            document_ref=document_ref.strip(),
            publisher=publisher.strip(),
            excerpt=excerpt.strip(),
            origin_key=origin_key.strip()
            or origin_key_for(url=url, publisher=publisher, document_ref=document_ref),
            added_by=actor,
        )
        if not evidence.url and not evidence.document_ref:
            raise ValidationError({"url": "Give a URL or a document reference."})
        evidence.full_clean()
        history_as(evidence, actor)
        evidence.save()
        return evidence
