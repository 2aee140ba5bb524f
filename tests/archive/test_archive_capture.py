"""Archiving at citation time: WARC, text, hash and metadata stored; failures recorded and
retried; a page a dead worker held is archived by the sweep; tampering is found."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from claims.services import source_get_or_create
from config.archive.files import archive_storage, file_read, warc_records
from config.archive.models import ArchiveStatus, Page
from config.archive.services.capture import page_archive
from config.archive.tasks import archive_sweep
from tests.archive.conftest import ARTICLE
from tests.security.network import drip, page, redirect, streamed

pytestmark = pytest.mark.django_db


def _only_loopback(internet) -> None:
    assert internet.attempts, "nothing was fetched"
    assert {host for host, _port in internet.attempts} == {"127.0.0.1"}


def test_cited_evidence_is_archived_as_warc_text_and_hash(cite, local_site, internet):
    local_site.routes["/budget"] = page(ARTICLE)

    archived = cite(local_site.url("/budget"))

    assert archived.status == ArchiveStatus.ARCHIVED
    snapshot = archived.archived
    body = ARTICLE.encode()
    assert snapshot.body_sha256 == hashlib.sha256(body).hexdigest()
    assert (snapshot.status_code, snapshot.content_type) == (200, "text/html")
    assert snapshot.final_url == local_site.url("/budget")
    records = list(warc_records(file_read(snapshot.warc_key)))
    assert [kind for kind, _uri, _payload in records] == ["response", "request"]
    assert records[0][2] == body
    assert records[0][1] == local_site.url("/budget")
    assert "3.3 billion dollars a year" in file_read(snapshot.text_key).decode()
    assert hashlib.sha256(file_read(snapshot.warc_key)).hexdigest() == snapshot.warc_sha256
    _only_loopback(internet)


def test_a_url_cited_twice_is_fetched_once(cite, local_site):
    local_site.routes["/budget"] = page(ARTICLE)
    first = cite(local_site.url("/budget"))
    second = cite(local_site.url("/budget"), title="The same table again")
    assert first.pk == second.pk
    assert local_site.paths == ["/budget"]


def test_a_redirect_is_archived_at_its_final_url(cite, local_site):
    local_site.routes["/old"] = redirect("/new")
    local_site.routes["/new"] = page(ARTICLE)

    archived = cite(local_site.url("/old"))

    snapshot = archived.archived
    assert snapshot.final_url == local_site.url("/new")
    records = list(warc_records(file_read(snapshot.warc_key)))
    assert records[-1][0] == "metadata"
    assert records[-1][1] == local_site.url("/old")
    assert f"redirected-to: {local_site.url('/new')}" in records[-1][2].decode()


def test_a_page_over_the_size_limit_records_why_and_is_retried_later(cite, local_site, settings):
    settings.ARCHIVE_MAX_BYTES = 4096
    local_site.routes["/huge"] = streamed(200_000)

    failed = cite(local_site.url("/huge"))

    assert failed.status == ArchiveStatus.PENDING
    assert failed.attempts == 1
    assert "byte limit" in failed.last_error
    assert failed.next_attempt_at > timezone.now()
    assert failed.snapshots.count() == 0
    assert list(archive_storage().listdir("")[1]) == []


def test_a_page_that_never_finishes_is_cut_at_the_deadline_and_fails_after_its_attempts(
    cite, local_site, settings
):
    settings.ARCHIVE_TIMEOUT = 1
    settings.ARCHIVE_MAX_ATTEMPTS = 2
    local_site.routes["/slow"] = drip(every=0.2, count=100)

    pending = cite(local_site.url("/slow"))
    assert (pending.status, pending.attempts) == (ArchiveStatus.PENDING, 1)
    assert "within 1 s" in pending.last_error

    Page.objects.filter(pk=pending.pk).update(next_attempt_at=timezone.now())
    page_archive(page_id=pending.pk)
    pending.refresh_from_db()
    assert (pending.status, pending.attempts) == (ArchiveStatus.FAILED, 2)


def test_a_page_a_dead_worker_held_is_archived_by_the_sweep(cite, local_site, settings):
    local_site.routes["/budget"] = page(ARTICLE)
    settings.ARCHIVE_TIMEOUT = 5
    cited = cite(local_site.url("/nothing-yet"))  # the site answers 200 "Not here"
    # As a worker killed between claiming the page and writing its snapshot leaves it:
    Page.objects.filter(pk=cited.pk).update(
        url=local_site.url("/budget"),
        status=ArchiveStatus.ARCHIVING,
        archived=None,
        claimed_at=timezone.now() - dt.timedelta(seconds=30),
    )
    cited.snapshots.all().delete()
    fresh = Page.objects.get(pk=cited.pk)
    assert page_archive(page_id=fresh.pk).value == "nothing to do"  # still claimed

    Page.objects.filter(pk=cited.pk).update(claimed_at=timezone.now() - dt.timedelta(seconds=66))
    assert archive_sweep() == {"archive": 1, "check": 0}

    fresh.refresh_from_db()
    assert fresh.status == ArchiveStatus.ARCHIVED
    assert fresh.archived.final_url == local_site.url("/budget")


def test_a_source_added_with_a_url_is_archived(
    editor, local_site, django_capture_on_commit_callbacks
):
    local_site.routes["/article"] = page(ARTICLE)
    with django_capture_on_commit_callbacks(execute=True):
        result = source_get_or_create(actor=editor, title="Article", url=local_site.url("/article"))
    archived = Page.objects.get(citations__source=result.source)
    assert archived.status == ArchiveStatus.ARCHIVED


def test_a_url_the_desk_may_not_fetch_is_recorded_as_failed_with_why(cite, settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = False
    refused = cite("http://127.0.0.1:9/private")
    assert refused.status == ArchiveStatus.FAILED
    assert "loopback" in refused.last_error


def test_archive_verify_flags_a_tampered_file(cite, local_site, capsys):
    local_site.routes["/budget"] = page(ARTICLE)
    archived = cite(local_site.url("/budget"))
    call_command("archive_verify")
    assert "match their recorded SHA-256" in capsys.readouterr().out

    path = archive_storage().path(archived.archived.text_key)
    with open(path, "ab") as handle:
        handle.write(b" and a sentence nobody saw.")

    with pytest.raises(CommandError, match="1 stored file"):
        call_command("archive_verify")
    assert archived.archived.text_key in capsys.readouterr().out


def test_an_evidence_url_changed_moves_its_citation_and_one_removed_drops_it(cite, local_site):
    local_site.routes["/budget"] = page(ARTICLE)
    local_site.routes["/other"] = page(ARTICLE.replace("3.8", "3.9"))
    first = cite(local_site.url("/budget"))
    evidence = first.citations.get().evidence
    evidence.url = local_site.url("/other")
    evidence.save()
    assert Page.objects.get(citations__evidence=evidence).url == local_site.url("/other")
    evidence.url, evidence.document_ref = "", "Call number 12"
    evidence.save()
    assert not Page.objects.filter(citations__evidence=evidence).exists()
