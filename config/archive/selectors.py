"""Reads for the archive's screens and API."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from claims.models import Appearance
from config.archive.models import ArchiveStatus, Citation, Page, Snapshot, WatchState

PANEL_LIMIT = 200


def watch_panel() -> dict[str, Any]:
    """The archive panel: pages not (fully) archived; changed or gone pages behind verdicts."""
    citations = Prefetch(
        "citations", queryset=Citation.objects.select_related("evidence__claim", "source")
    )
    failing = (
        Page.objects.filter(status__in=[ArchiveStatus.FAILED, ArchiveStatus.PARTIAL])
        | Page.objects.filter(status=ArchiveStatus.PENDING, attempts__gt=0)
    ).prefetch_related(citations)
    # A verdict is public while published, and while reopened until its new sign-off.
    published = Q(citations__evidence__claim__published_at__isnull=False) | Q(
        citations__source__appearances__claim__published_at__isnull=False
    )
    behind_verdicts = (
        Page.objects.filter(published, watch__in=[WatchState.CHANGED, WatchState.GONE])
        .distinct()
        .select_related("archived")
        .prefetch_related(citations, "changes")
    )
    return {
        "failing": list(failing.order_by("-created_at")[:PANEL_LIMIT]),
        "behind_verdicts": list(behind_verdicts.order_by("-last_checked_at")[:PANEL_LIMIT]),
    }


def public_pages() -> QuerySet[Page]:
    """The pages whose archived copies anyone may read: a source's that a claim with a public
    verdict appeared in (the one rule, for the public view and the fact-check page's links)."""
    cited_by_published = Appearance.objects.filter(
        claim__published_at__isnull=False, source__citations__page=OuterRef("pk")
    )
    return Page.objects.filter(Exists(cited_by_published))


def public_snapshots() -> QuerySet[Snapshot]:
    """The archived copies the public may read: a text stored, of a :func:`public_pages` page."""
    return Snapshot.objects.filter(page__in=public_pages(), text_key__gt="")
