"""A real worker archives a cited page; killed mid-archive, it loses nothing: the page's row
stays claimed, the sweep hands it back once the claim is stale, and another worker archives it.
Pages are served from 127.0.0.1; the workers look no names up."""

from __future__ import annotations

import pytest

from config.archive.files import file_hash
from config.archive.models import ArchiveStatus, Page
from config.archive.services.integrity import archives_verify
from config.archive.tasks import archive_sweep
from tests.archive.conftest import ARTICLE
from tests.security.conftest import site  # noqa: F401  (a fixture)
from tests.security.network import drip, page
from verification import services

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_a_worker_killed_mid_archive_loses_nothing(
    workers,
    site,  # noqa: F811
    settings,
    claim_in_research,
    reviewer,
):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True  # as the workers run
    root = settings.STORAGES["archive"]["OPTIONS"]["location"]
    env = {
        "FETCH_ALLOW_PRIVATE_HOSTS": "true",
        "ARCHIVE_ROOT": root,
        "ARCHIVE_TIMEOUT": "60",
    }
    site.routes["/budget"] = drip(every=0.2, count=1000)  # a page that takes minutes
    first = workers.start("archiver", concurrency=1, env=env)

    services.evidence_add(
        actor=reviewer,
        claim=claim_in_research,
        title="Budget table",
        url=site.url("/budget"),
        stance="supports",
        source_reliability="A",
        credibility=1,
    )
    cited = Page.objects.get(url=site.url("/budget"))
    workers.wait_until(
        lambda: Page.objects.filter(pk=cited.pk, status=ArchiveStatus.ARCHIVING).exists(),
        timeout=30,
        what="the worker to claim the page",
    )
    first.kill()

    cited.refresh_from_db()
    assert cited.status == ArchiveStatus.ARCHIVING and cited.snapshots.count() == 0
    site.routes["/budget"] = page(ARTICLE)
    workers.start("archiver", concurrency=1, env=env)
    # The sweep, as beat runs it, once the dead worker's claim is stale.
    settings.ARCHIVE_TIMEOUT, settings.ARCHIVE_STALE_MARGIN_SECONDS = 1, 0
    workers.wait_until(
        lambda: archive_sweep()["archive"] == 1, timeout=10, what="the claim to go stale"
    )
    workers.wait_until(
        lambda: Page.objects.filter(pk=cited.pk, status=ArchiveStatus.ARCHIVED).exists(),
        timeout=60,
        what="the second worker to archive the page",
    )
    cited.refresh_from_db()
    assert cited.attempts == 2
    snapshot = cited.archived
    assert file_hash(snapshot.warc_key) == snapshot.warc_sha256
    assert list(archives_verify()) == []
