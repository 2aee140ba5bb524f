"""The archive's line on the screens of the apps below it (their templates load this; their
code imports nothing of the archive):

- ``{% archived_copy evidence=item %}``, ``{% archived_copy source=source claim=claim %}``:
  "archived <time>, SHA-256 …" with a link to the desk's copy and, for editors, the WARC; or
  why the page is not (fully) archived. The desk's screens.
- ``{% archived_appearance claim=claim url=work.url %}``: on the public fact-check page, a
  link to the public copy of an appearance's page that the watch found gone or changed.

Each tag reads the pages of all the claim's citations in one query, at the first line a page
renders (kept in the render context), so a screen costs one query however many it shows.
"""

from __future__ import annotations

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


def _claim_pages(context: template.Context, claim_id: int) -> dict[tuple[str, int], Page]:
    """("evidence" | "source", id) → page, for every citation of the claim's evidence and of
    the sources of its appearances: one query per claim and render."""
    key = f"archive_pages:{claim_id}"
    pages = context.render_context.get(key)
    if pages is None:
        citations = Citation.objects.filter(
            Q(evidence__claim_id=claim_id) | Q(source__appearances__claim_id=claim_id)
        ).select_related("page__archived")
        pages = {}
        for citation in citations:  # a source in two appearances comes twice: same page
            if citation.evidence_id:
                pages["evidence", citation.evidence_id] = citation.page
            else:
                pages["source", citation.source_id] = citation.page
        context.render_context[key] = pages
    return pages


@register.simple_tag(takes_context=True)
def archived_copy(
    context: template.Context, *, evidence: Any = None, source: Any = None, claim: Any = None
) -> str:
    """The archive line of an evidence item's or a source's cited page ("" when it cites
    none). A source shown on a claim's screen passes the claim, so that all the claim's
    lines come from one query; a source alone costs one."""
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
    """What the desk shows of one page: when it was archived and its hash, with links to the
    copy (and, for editors, the WARC); or its state and why; then what the watch saw."""
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
    key = f"archive_public:{claim_id}"
    pages = context.render_context.get(key)
    if pages is None:
        citations = Citation.objects.filter(
            source__appearances__claim_id=claim_id, page__in=public_pages()
        ).select_related("source", "page__archived")
        pages = {citation.source.url: citation.page for citation in citations}
        context.render_context[key] = pages
    return pages


@register.simple_tag(takes_context=True)
def archived_appearance(context: template.Context, *, claim: Any, url: Any) -> str:
    """A link "archived copy of <date>" to the public copy of the page at ``url`` (one of the
    published claim's appearances), when the watch found that page gone or changed."""
    if not url:
        return ""
    page = _public_copies(context, claim.pk).get(url)
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
