"""The watch: a page that changes is reported once (event, mark, one email per person); a page
that starts answering 404 is gone after ARCHIVE_GONE_AFTER checks; a steady page backs off."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from config.archive.models import ChangeKind, Page, PageChange, WatchState
from config.archive.services.watch import text_diff
from config.archive.tasks import archive_sweep
from tests.archive.conftest import ARTICLE, article
from tests.security.network import page
from verification.models import EmailKind, EmailLog, WorkflowAction, WorkflowEvent

pytestmark = pytest.mark.django_db

CHANGED = article(
    "The department now reports that security assistance stood at 2.1 billion dollars a year.",
    "Of that amount, 1.9 billion dollars a year is foreign military financing.",
    "The memorandum runs from fiscal year 2019 to fiscal year 2028. Congress appropriates the "
    "money each year, and the table below lists each year's appropriation.",
)


def _due(archived: Page) -> None:
    Page.objects.filter(pk=archived.pk).update(next_check_at=timezone.now())


def _watch(django_capture_on_commit_callbacks) -> dict[str, int]:
    with django_capture_on_commit_callbacks(execute=True):
        return archive_sweep()


def test_a_changed_page_is_reported_once_with_its_changed_sentences(
    cite, local_site, editor, reviewer, django_capture_on_commit_callbacks
):
    local_site.routes["/budget"] = page(ARTICLE)
    archived = cite(local_site.url("/budget"))
    mail.outbox.clear()
    local_site.routes["/budget"] = page(CHANGED)

    _due(archived)
    assert _watch(django_capture_on_commit_callbacks) == {"archive": 0, "check": 1}

    archived.refresh_from_db()
    assert archived.watch == WatchState.CHANGED
    change = PageChange.objects.get(page=archived)
    assert change.kind == ChangeKind.CHANGED
    assert any("2.1 billion" in sentence for sentence in change.added)
    assert any("3.8 billion" in sentence for sentence in change.removed)
    assert not any("fiscal year 2028" in sentence for sentence in change.removed)
    event = WorkflowEvent.objects.get(action=WorkflowAction.SOURCE_CHANGED)
    assert local_site.url("/budget") in event.note
    assert sorted(m.to[0] for m in mail.outbox) == sorted([editor.email, reviewer.email])
    assert "2.1 billion" in mail.outbox[0].body
    assert archived.archived.pk != change.after.pk  # the reviewer's copy stays what it was

    # Checked again, and again later: the same changed page is not news.
    _due(archived)
    _watch(django_capture_on_commit_callbacks)
    assert PageChange.objects.count() == 1
    assert WorkflowEvent.objects.filter(action=WorkflowAction.SOURCE_CHANGED).count() == 1
    assert EmailLog.objects.filter(kind=EmailKind.SOURCE_CHANGED).count() == 2
    assert len(mail.outbox) == 2


def test_a_page_that_starts_answering_404_is_gone_after_three_checks(
    cite, local_site, editor, reviewer, settings, django_capture_on_commit_callbacks
):
    settings.ARCHIVE_GONE_AFTER = 3
    local_site.routes["/budget"] = page(ARTICLE)
    archived = cite(local_site.url("/budget"))
    mail.outbox.clear()

    def not_found(handler) -> None:
        handler.send_response(404)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", "9")
        handler.end_headers()
        handler.wfile.write(b"Not found")

    local_site.routes["/budget"] = not_found
    for _ in range(2):
        _due(archived)
        _watch(django_capture_on_commit_callbacks)
    archived.refresh_from_db()
    assert (archived.watch, archived.failed_checks) == (WatchState.STEADY, 2)
    assert mail.outbox == []

    for _ in range(2):
        _due(archived)
        _watch(django_capture_on_commit_callbacks)
    archived.refresh_from_db()
    assert archived.watch == WatchState.GONE
    change = PageChange.objects.get(page=archived)
    assert (change.kind, change.reason) == (
        ChangeKind.GONE,
        f"{local_site.url('/budget')} answered HTTP 404.",
    )
    assert WorkflowEvent.objects.filter(action=WorkflowAction.SOURCE_GONE).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([editor.email, reviewer.email])


def test_a_steady_page_is_checked_less_and_less_often(
    cite, local_site, settings, django_capture_on_commit_callbacks
):
    settings.ARCHIVE_WATCH_MIN_SECONDS = 3600
    settings.ARCHIVE_WATCH_MAX_SECONDS = 4 * 3600
    local_site.routes["/budget"] = page(ARTICLE)
    archived = cite(local_site.url("/budget"))
    intervals = []
    for _ in range(3):
        _due(archived)
        _watch(django_capture_on_commit_callbacks)
        archived.refresh_from_db()
        intervals.append(archived.check_every)
    assert intervals == [7200, 4 * 3600, 4 * 3600]
    assert archived.snapshots.count() == 1
    assert PageChange.objects.count() == 0


def test_a_small_edit_is_stored_but_not_reported(
    cite, local_site, django_capture_on_commit_callbacks
):
    local_site.routes["/budget"] = page(ARTICLE)
    archived = cite(local_site.url("/budget"))
    local_site.routes["/budget"] = page(ARTICLE.replace("<title>Budget table", "<title>Budget"))
    _due(archived)
    _watch(django_capture_on_commit_callbacks)
    archived.refresh_from_db()
    assert archived.watch == WatchState.STEADY
    assert archived.snapshots.count() == 2
    assert PageChange.objects.count() == 0


def test_pages_of_dismissed_or_new_claims_are_not_watched(
    cite, local_site, claim_in_research, django_capture_on_commit_callbacks
):
    local_site.routes["/budget"] = page(ARTICLE)
    archived = cite(local_site.url("/budget"))
    type(claim_in_research).objects.filter(pk=claim_in_research.pk).update(state="dismissed")
    _due(archived)
    assert _watch(django_capture_on_commit_callbacks) == {"archive": 0, "check": 0}


def test_the_text_diff_names_the_sentences_removed_and_added():
    diff = text_diff("One stays. Two goes. Three stays.", "One stays. Two came. Three stays.")
    assert (diff.removed, diff.added) == (["Two goes."], ["Two came."])
    assert diff.share == pytest.approx(2 / 6)
