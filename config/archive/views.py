"""The archive's pages, for desk members (downloads for editors): an archived copy's text and
screenshot under a strict, sandboxing CSP, its WARC, a claim's bundle, the watch panel. Anyone
may read :func:`public_text`, a copy the public fact-check page links. Text is shown escaped,
never as the page's markup."""

from __future__ import annotations

from collections.abc import Callable

from csp.constants import NONE, SELF
from csp.decorators import csp
from django.contrib.admin.views.decorators import staff_member_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from claims.models import Claim
from claims.roles import require_desk_member, require_editor
from config.archive.files import archive_storage, file_read
from config.archive.models import Snapshot
from config.archive.selectors import public_snapshots, watch_panel
from config.archive.services.integrity import claim_bundle

STRICT = {
    "default-src": [NONE],
    "img-src": [SELF],
    "style-src": [SELF],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
    "sandbox": [True],
}


def _desk_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page for signed-in staff, read with GET or HEAD only."""
    return require_safe(staff_member_required(view))


def _snapshot(request: HttpRequest, pk: int, doing: str) -> Snapshot:
    require_desk_member(request.user, doing)
    return get_object_or_404(Snapshot.objects.select_related("page"), pk=pk)


def _text_page(request: HttpRequest, snapshot: Snapshot, *, public: bool) -> HttpResponse:
    text = file_read(snapshot.text_key).decode("utf-8") if snapshot.text_key else ""
    context = {"snapshot": snapshot, "text": text, "public": public}
    response = render(request, "archive/text.html", context)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@_desk_page
@csp(STRICT)
def snapshot_text(request: HttpRequest, pk: int) -> HttpResponse:
    """The archived copy's text, with when, from where and its hashes."""
    return _text_page(request, _snapshot(request, pk, "read an archived copy"), public=False)


@require_safe
@csp(STRICT)
def public_text(request: HttpRequest, pk: int) -> HttpResponse:
    """The archived text of a page a published claim appeared in, for anyone (any other copy:
    404). Kept out of search indexes: it is someone else's page, shown as evidence."""
    snapshot = get_object_or_404(public_snapshots().select_related("page"), pk=pk)
    response = _text_page(request, snapshot, public=True)
    response["X-Robots-Tag"] = "noindex"
    return response


@_desk_page
@csp(STRICT)
def snapshot_screenshot(request: HttpRequest, pk: int) -> FileResponse:
    snapshot = _snapshot(request, pk, "see an archived screenshot")
    if not snapshot.screenshot_key:
        raise Http404("This copy has no screenshot.")
    return _file(snapshot.screenshot_key, content_type="image/png")


def _file(key: str, **kwargs: object) -> FileResponse:
    return FileResponse(archive_storage().open(key, "rb"), **kwargs)


@_desk_page
def snapshot_warc(request: HttpRequest, pk: int) -> FileResponse:
    """The WARC of the exchange, as a download (editors)."""
    require_editor(request.user, "download an archive's WARC")
    snapshot = get_object_or_404(Snapshot, pk=pk, warc_key__gt="")
    return _file(
        snapshot.warc_key,
        as_attachment=True,
        filename=f"snapshot-{snapshot.pk}.warc.gz",
        content_type="application/warc",
    )


@_desk_page
def claim_bundle_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A claim's verdict, evidence and archives as one verifiable ZIP (editors)."""
    require_editor(request.user, "export a claim's archives")
    claim = get_object_or_404(Claim, pk=pk)
    response = HttpResponse(claim_bundle(claim=claim), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="claim-{claim.pk}-archive.zip"'
    return response


@_desk_page
def watch(request: HttpRequest) -> HttpResponse:
    """The archive panel: pages not archived, and changed or gone pages behind verdicts."""
    require_desk_member(request.user, "see the archive panel")
    return render(request, "archive/watch.html", {"title": "Cited pages", **watch_panel()})
