"""The archive's lines on the apps' screens (their templates load this; their code imports
nothing of the archive): ``{% archived_copy evidence=… %}`` / ``source=… claim=…`` on the desk's
screens, ``{% archived_appearance claim=… url=… %}`` on the public fact-check page. Each reads
all of a claim's cited pages in one query per render (kept in the render context).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from claims.roles import is_editor
from config.archive.models import ArchiveStatus, Citation, Page, WatchState
from config.archive.selectors import public_pages

register = template.Library()

TIME = "%Y-%m-%d %H:%M UTC"
SHOWN_HEX = 12  # of the body's SHA-256, on the line; the copy's page shows all of it


def _once(context: template.Context, key: str, read: Callable[[], dict]) -> dict:
    """``read()``, once per render."""
    if key not in context.render_context:
        context.render_context[key] = read()
    return context.render_context[key]


def _claim_pages(context: template.Context, claim_id: int) -> dict[tuple[str, int], Page]:
    """("evidence" | "source", id) → page, for every citation of the claim's evidence and of
    the sources of its appearances."""
    citations = Citation.objects.filter(
        Q(evidence__claim_id=claim_id) | Q(source__appearances__claim_id=claim_id)
    ).select_related("page__archived")
    return _once(
        context,
        f"archive_pages:{claim_id}",
        # A source in two appearances comes twice: the same page.
        lambda: {
            ("evidence", c.evidence_id) if c.evidence_id else ("source", c.source_id): c.page
            for c in citations
        },
    )


@register.simple_tag(takes_context=True)
def archived_copy(
    context: template.Context, *, evidence: Any = None, source: Any = None, claim: Any = None
) -> str:
    """The archive line of an evidence item's or a source's cited page ("" when it cites none);
    a source on a claim's screen passes the claim, for the claim's one query."""
    if evidence is not None:
        page = _claim_pages(context, evidence.claim_id).get(("evidence", evidence.pk))
    elif source is not None and claim is not None:
        page = _claim_pages(context, claim.pk).get(("source", source.pk))
    elif source is not None:
        page = Page.objects.filter(citations__source=source).select_related("archived").first()
    else:
        raise template.TemplateSyntaxError("archived_copy needs evidence= or source=.")
    if page is None:
        return ""
    request = context.get("request")
    return archive_line(page, editor=request is not None and is_editor(request.user))


def archive_line(page: Page, *, editor: bool = False) -> SafeString:
    """When a page was archived and its hash, linked to the copy (editors: the WARC); or its
    state and why; then what the watch saw."""
    snapshot = page.archived
    if snapshot is None:
        reason = f": {page.last_error}" if page.last_error else ""
        return format_html(
            '<span class="help archive-line archive-{}">{}{}</span>',
            page.status,
            page.get_status_display(),
            reason,
        )
    links = [("archive:text", "archived copy")]
    if editor and snapshot.warc_key:
        links.append(("archive:warc", "WARC"))
    notes = []
    if page.status == ArchiveStatus.PARTIAL:
        notes.append(format_html(" — partly archived: {}", snapshot.problem or page.last_error))
    if page.watch != WatchState.STEADY:
        notes.append(format_html(" — {}", page.get_watch_display().lower()))
    return format_html(
        '<span class="help archive-line archive-{}">archived {}, SHA-256 <code>{}…</code> '
        "({}){}</span>",
        page.status,
        snapshot.fetched_at.strftime(TIME),
        snapshot.body_sha256[:SHOWN_HEX],
        format_html_join(
            " · ", '<a href="{}">{}</a>', ((reverse(n, args=[snapshot.pk]), t) for n, t in links)
        ),
        mark_safe("".join(notes)),
    )


# --- The public fact-check page ---------------------------------------------------------------


def _public_copies(context: template.Context, claim_id: int) -> dict[str, Page]:
    """Source URL → page, for the claim's sources whose page has a public archived copy."""
    citations = Citation.objects.filter(
        source__appearances__claim_id=claim_id, page__in=public_pages()
    ).select_related("source", "page__archived")
    return _once(
        context, f"archive_public:{claim_id}", lambda: {c.source.url: c.page for c in citations}
    )


@register.simple_tag(takes_context=True)
def archived_appearance(context: template.Context, *, claim: Any, url: Any) -> str:
    """A link to the public copy of the page at ``url`` (a published claim's appearance), when
    the watch found it gone or changed and a text is stored."""
    page = _public_copies(context, claim.pk).get(url) if url else None
    if page is None or page.watch == WatchState.STEADY or page.archived is None:
        return ""
    if not page.archived.text_key:
        return ""  # nothing the public could read
    now = "the page is gone" if page.watch == WatchState.GONE else "the page has changed since"
    return format_html(
        ' · <a href="{}" rel="nofollow">archived copy of {}</a> ({})',
        reverse("factcheck-archived", args=[page.archived.pk]),
        date_format(page.archived.fetched_at, "j F Y"),
        now,
    )
