"""The archive's tests fetch from a site on 127.0.0.1 only (the security tests' network:
``internet`` refuses every connection a test did not route, and records each attempt)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from config.archive.files import file_store, sha256
from config.archive.models import ArchiveStatus, Page, Snapshot, WatchState
from tests.conftest import add_evidence
from tests.security.conftest import internet, local_site, site  # noqa: F401  (fixtures)

ARTICLE = """<html><head><title>Budget table</title></head><body><article>
<h1>Security assistance, year by year</h1>
<p>The department reports that security assistance to the country stood at 3.8 billion dollars
a year under the memorandum of understanding signed in 2016. The figure covers ten fiscal
years.</p>
<p>Of that amount, 3.3 billion dollars a year is foreign military financing. The remaining 500
million dollars a year goes to cooperative missile defence programmes.</p>
<p>The memorandum runs from fiscal year 2019 to fiscal year 2028. Congress appropriates the
money each year, and the table below lists each year's appropriation.</p>
<p>Supplemental appropriations are not part of the memorandum. They are listed separately in
the department's annual report to Congress.</p>
</article></body></html>"""


def article(*paragraphs: str) -> str:
    """The article above with its paragraphs replaced."""
    head, _, _ = ARTICLE.partition("<p>")
    return head + "".join(f"<p>{p}</p>\n" for p in paragraphs) + "</article></body></html>"


@pytest.fixture
def cite(claim_in_research, reviewer, django_capture_on_commit_callbacks) -> Callable[..., Page]:
    """Add evidence citing ``url`` as the reviewer, its commit run (so the archive task runs,
    eagerly), and return the page."""

    def add(url: str, title: str = "Budget table") -> Page:
        with django_capture_on_commit_callbacks(execute=True):
            evidence = add_evidence(reviewer, claim_in_research, title, url)
        return Page.objects.get(citations__evidence=evidence)

    return add


def archived_as(
    page: Page,
    *,
    status: str = ArchiveStatus.ARCHIVED,
    watch: str = WatchState.STEADY,
    text: str = "The figure was 3.8 billion dollars a year.",
    problem: str = "",
) -> Snapshot:
    """Give ``page`` a stored copy without fetching it: the archive's screens only read the
    snapshot and its files (fetching is tested in test_archive_capture)."""
    data = text.encode()
    text_key, text_sha = file_store(page_id=page.pk, name=".txt", data=data) if text else ("", "")
    warc_key, warc_sha = file_store(page_id=page.pk, name=".warc.gz", data=b"WARC/1.0 stand-in")
    snapshot = Snapshot.objects.create(
        page=page,
        fetched_at=timezone.now(),
        final_url=page.url,
        status_code=200,
        content_type="text/html",
        body_sha256=sha256(b"<html>" + data),
        body_size=len(data) + 6,
        warc_key=warc_key,
        warc_sha256=warc_sha,
        text_key=text_key,
        text_sha256=text_sha,
        problem=problem,
    )
    Page.objects.filter(pk=page.pk).update(
        status=status, watch=watch, archived=snapshot, compared=snapshot, last_error=problem
    )
    page.refresh_from_db()
    return snapshot
