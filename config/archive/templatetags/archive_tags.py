"""``{% archived_copy evidence=item %}``: "archived <time>, SHA-256 …" with a link to the
desk's copy, for the screens of the apps below the archive (their templates load this; their
code imports nothing of the archive)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html

from config.archive.models import Citation, Page, WatchState

register = template.Library()


@register.simple_tag(takes_context=True)
def archived_copy(context: template.Context, *, evidence: Any) -> str:
    """The archive line of an evidence item's cited page ("" when none). The pages of all the
    claim's evidence are read in one query, at the first item a page renders."""
    pages = context.render_context.setdefault(f"archive_pages:{evidence.claim_id}", None)
    if pages is None:
        pages = {
            citation.evidence_id: citation.page
            for citation in Citation.objects.filter(
                evidence__claim_id=evidence.claim_id
            ).select_related("page__archived")
        }
        context.render_context[f"archive_pages:{evidence.claim_id}"] = pages
    page = pages.get(evidence.pk)
    if page is None:
        return ""
    return archive_line(page)


def archive_line(page: Page) -> str:
    if page.archived is None:
        reason = f": {page.last_error}" if page.last_error else ""
        return format_html('<span class="help">{}{}</span>', page.get_status_display(), reason)
    snapshot = page.archived
    watch = "" if page.watch == WatchState.STEADY else f" — {page.get_watch_display().lower()}"
    return format_html(
        '<span class="help">archived {}, SHA-256 <code>{}…</code> '
        '(<a href="{}">archived copy</a>){}</span>',
        snapshot.fetched_at.strftime("%Y-%m-%d %H:%M UTC"),
        snapshot.body_sha256[:16],
        reverse("archive:text", args=[snapshot.pk]),
        watch,
    )
