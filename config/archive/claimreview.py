"""``archivedAt`` in the desk's ClaimReview for an appearance whose page has a public copy
(hooked in by ``ArchiveConfig.ready``, so claims never imports the archive)."""

from __future__ import annotations

from django.urls import reverse

from claims.claimreview.jsonld import Works, desk_url
from config.archive.models import Citation
from config.archive.selectors import public_pages


def works_archived_at(works: Works) -> None:
    """Add ``archivedAt`` to each node whose source's page has a public text copy (one query)."""
    copies = Citation.objects.filter(
        source_id__in=list(works), page__in=public_pages(), page__archived__text_key__gt=""
    ).values_list("source_id", "page__archived_id")
    for source_id, snapshot_id in copies:
        url = desk_url(reverse("factcheck-archived", args=[snapshot_id]))
        for work in works[source_id]:
            work["archivedAt"] = url
