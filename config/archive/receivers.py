"""Where citations come from: a saved evidence item or source, and the sources
``claims.signals.sources_created`` announces; each is recorded in the saving transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from claims.models import Source
from claims.signals import sources_created
from config.archive.models import Citation
from config.archive.services.capture import page_cite
from verification.models import Evidence


@receiver(post_save, sender=Evidence, dispatch_uid="archive.evidence_saved")
def evidence_saved(sender: Any, *, instance: Evidence, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _cite_url(instance.url, evidence=instance)


@receiver(post_save, sender=Source, dispatch_uid="archive.source_saved")
def source_saved(sender: Any, *, instance: Source, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _cite_url(instance.url, source=instance)


def _cite_url(url: str | None, **item: Evidence | Source) -> None:
    """The saved ``evidence=`` or ``source=`` item cites the page at its ``url``."""
    if url:
        page_cite(url=url, **item)
    else:  # the URL was taken away: the item no longer cites a page
        Citation.objects.filter(**item).delete()


@receiver(sources_created, dispatch_uid="archive.sources_created")
def sources_inserted(sender: Any, *, sources: Sequence[Source], **kwargs: Any) -> None:
    for source in sources:
        if source.url:
            page_cite(url=source.url, source=source)
