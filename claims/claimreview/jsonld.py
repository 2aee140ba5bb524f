"""The desk's published verdicts as schema.org ClaimReview JSON-LD, one claim or a feed.

Always there, as Google's fact-check structured data requires: ``claimReviewed``,
``reviewRating`` with ``alternateName``, ``url``, ``author`` (the desk), ``datePublished`` and
``itemReviewed``. Firm ratings carry ``ratingValue`` 1–5; "unverifiable" only its words, as
mid-scale it would read "mixed". The rating and ``reviewBody`` are the signing editor's. Apps
above claims add to the appearances through :func:`appearance_works_hook`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from claims.models import (
    RATING_ORDINAL,
    Appearance,
    Claim,
    Correction,
    CorrectionKind,
    Rating,
    SpeakerKind,
)

SCHEMA_CONTEXT = "https://schema.org"
BEST_RATING = max(RATING_ORDINAL.values())
WORST_RATING = min(RATING_ORDINAL.values())

# An appearance's CreativeWork nodes by source id: what an app above claims may add to.
Works = dict[int, list[dict[str, Any]]]
WorksHook = Callable[[Works], None]
_WORKS_HOOKS: list[WorksHook] = []


def appearance_works_hook(hook: WorksHook) -> WorksHook:
    """Register ``hook`` (in an ``AppConfig.ready``; twice is harmless) to add properties to the
    appearances' CreativeWork nodes, called once per document or feed page with all of them."""
    if hook not in _WORKS_HOOKS:
        _WORKS_HOOKS.append(hook)
    return hook


def _run_works_hooks(works: Works) -> None:
    if works:
        for hook in _WORKS_HOOKS:
            hook(works)


def published_claim_reviews() -> QuerySet[Claim]:
    """Claims with a public verdict (published, or under review again), with what their
    ClaimReview needs, in three queries."""
    return (
        Claim.objects.filter(published_at__isnull=False)
        .prefetch_related(
            Prefetch(
                "appearances",
                queryset=Appearance.objects.select_related("source", "speaker").order_by("pk"),
            ),
            Prefetch("corrections", queryset=Correction.objects.order_by("made_at", "pk")),
        )
        .order_by("-published_at", "-pk")
    )


def withdrawn_fact_check(pk: int) -> Claim | None:
    """A claim whose fact check was withdrawn and not published again, with its corrections;
    ``None`` for any other."""
    return (
        Claim.objects.filter(
            pk=pk, published_at__isnull=True, corrections__kind=CorrectionKind.WITHDRAWAL
        )
        .prefetch_related(
            Prefetch("corrections", queryset=Correction.objects.order_by("made_at", "pk"))
        )
        .distinct()
        .first()
    )


def desk_url(path: str) -> str:
    """An absolute URL on the desk's public site (``DESK_URL``)."""
    return settings.DESK_URL.rstrip("/") + path


def factcheck_url(claim: Claim) -> str:
    """The public page of a published claim: the ClaimReview's ``url``."""
    return desk_url(reverse("factcheck-detail", args=[claim.pk]))


def desk_organisation() -> dict[str, Any]:
    return {"@type": "Organization", "name": settings.DESK_NAME, "url": settings.DESK_URL}


def review_rating(rating: str) -> dict[str, Any]:
    """schema.org ``Rating`` for one of the desk's ratings (see the module docstring)."""
    label = Rating(rating).label
    ordinal = RATING_ORDINAL.get(rating)
    if ordinal is None:
        return {"@type": "Rating", "alternateName": label}
    return {
        "@type": "Rating",
        "ratingValue": ordinal,
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": label,
    }


def _appearance_date(appearance: Appearance) -> dt.date:
    if appearance.source.published_on is not None:
        return appearance.source.published_on
    return timezone.localdate(appearance.created_at)


def _in_order(claim: Claim) -> list[Appearance]:
    """The claim's appearances, earliest first (by the source's date, else when recorded)."""
    return sorted(claim.appearances.all(), key=lambda a: (_appearance_date(a), a.pk))


def _creative_work(appearance: Appearance) -> dict[str, Any]:
    source = appearance.source
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if source.url:
        work["url"] = source.url
    work["headline"] = source.title
    if source.published_on is not None:
        work["datePublished"] = source.published_on.isoformat()
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    return work


def _speaker(appearances: list[Appearance]) -> dict[str, Any] | None:
    speaker = next((a.speaker for a in appearances if a.speaker is not None), None)
    if speaker is None:
        return None
    body = speaker.kind == SpeakerKind.ORGANISATION
    node = {"@type": "Organization" if body else "Person", "name": speaker.name}
    if speaker.role:
        node["description" if body else "jobTitle"] = speaker.role
    return node


def item_reviewed(claim: Claim, *, works: Works | None = None) -> dict[str, Any]:
    """The ``Claim`` node: who made it, when it first appeared, and where (one entry a source).
    Each appearance's node is also put in ``works`` under its source, for the hooks."""
    appearances = _in_order(claim)
    node: dict[str, Any] = {"@type": "Claim"}
    author = _speaker(appearances)
    if author is not None:
        node["author"] = author
    if appearances:
        node["datePublished"] = _appearance_date(appearances[0]).isoformat()
        seen: set[int] = set()
        nodes = []
        for appearance in appearances:
            if appearance.source_id not in seen:
                seen.add(appearance.source_id)
                nodes.append(work := _creative_work(appearance))
                if works is not None:
                    works.setdefault(appearance.source_id, []).append(work)
        node["appearance"] = nodes
        node["firstAppearance"] = nodes[0]
    else:
        node["datePublished"] = timezone.localdate(claim.created_at).isoformat()
    return node


def published_rating_of(claim: Claim) -> str:
    """The rating a published claim carries: the signing editor's choice, else (claims
    published before the choice was recorded) the consensus."""
    return claim.published_rating or claim.consensus_rating


def claim_review_jsonld(claim: Claim, *, with_context: bool = True) -> dict[str, Any]:
    """A published claim (best from :func:`published_claim_reviews`) as a ClaimReview; an
    unpublished one is refused."""
    works: Works = {}
    document = _published_review(claim, with_context=with_context, works=works)
    _run_works_hooks(works)
    return document


def _published_review(claim: Claim, *, with_context: bool, works: Works) -> dict[str, Any]:
    rating = published_rating_of(claim)
    if not claim.has_public_verdict or not rating:
        raise ValueError(f"Claim #{claim.pk} is not published; it has no ClaimReview.")
    document = _claim_review(
        claim,
        rating=rating,
        summary=claim.published_summary,
        published_on=timezone.localdate(claim.published_at),
        with_context=with_context,
        works=works,
    )
    changes = [c for c in claim.corrections.all() if c.kind != CorrectionKind.WITHDRAWAL]
    if changes:
        # The verdict is never silently replaced: the text says what it was, when and why.
        document["dateModified"] = changes[-1].made_at.isoformat()
        notices = "\n\n".join(correction_notice(c) for c in changes)
        body = document.get("reviewBody", "")
        document["reviewBody"] = f"{body}\n\n{notices}" if body else notices
    return document


def correction_notice(correction: Correction) -> str:
    """One change as readers see it: "Correction (2026-12-07): <note> Earlier rating: False."""
    day = timezone.localdate(correction.made_at).isoformat()
    text = f"{correction.get_kind_display()} ({day}): {correction.note}"
    if correction.rating_changed:
        text += f" Earlier rating: {Rating(correction.previous_rating).label}."
    return text


def claim_review_preview(
    claim: Claim, *, rating: str, summary: str = "", published_on: dt.date | None = None
) -> dict[str, Any]:
    """The ClaimReview that publishing ``claim`` with ``rating`` and ``summary`` would put out
    (dated today unless told), built as the published one is, for the sign-off screen."""
    works: Works = {}
    document = _claim_review(
        claim,
        rating=rating,
        summary=summary.strip(),
        published_on=published_on or timezone.localdate(),
        with_context=True,
        works=works,
    )
    _run_works_hooks(works)
    return document


def _claim_review(
    claim: Claim,
    *,
    rating: str,
    summary: str,
    published_on: dt.date,
    with_context: bool,
    works: Works,
) -> dict[str, Any]:
    document: dict[str, Any] = {"@context": SCHEMA_CONTEXT} if with_context else {}
    document.update(
        {
            "@type": "ClaimReview",
            "url": factcheck_url(claim),
            "claimReviewed": claim.statement,
            "reviewRating": review_rating(rating),
            "author": desk_organisation(),
            "datePublished": published_on.isoformat(),
            "itemReviewed": item_reviewed(claim, works=works),
        }
    )
    if summary:
        # The editor's words to the reader; schema.org's text of the review itself.
        document["reviewBody"] = summary
    return document


def claim_review_feed(claims: Iterable[Claim], *, url: str) -> dict[str, Any]:
    """Published claims as a schema.org ``DataFeed``, the shape of Google's and DataCommons'
    fact-check feeds (the desk's own importer reads it back)."""
    elements, works = [], {}
    for claim in claims:
        elements.append(
            {
                "@type": "DataFeedItem",
                "dateCreated": claim.published_at.isoformat(),
                "url": factcheck_url(claim),
                "item": [_published_review(claim, with_context=False, works=works)],
            }
        )
    _run_works_hooks(works)
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "DataFeed",
        "name": f"{settings.DESK_NAME} fact checks",
        "url": url,
        "dataFeedElement": elements,
    }
