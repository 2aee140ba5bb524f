"""``kill -9`` the worker in the middle of an import job: the job resumes after its last
committed chunk, and every row is imported exactly once.

The file has 3,000 rows, imported 50 at a time. The worker is killed (its whole process group,
so nothing is acknowledged) once a few chunks are in. The task it held stays unacknowledged
in Redis until the visibility timeout, far beyond the test, so the job is handed out again by
the sweep, called here as beat would call it minutes later; a new worker then finishes it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from claims import tasks
from claims.bulk import import_job_create
from claims.models import Claim, ImportJob, ImportJobStatus, ImportRow
from tests import factories
from verification.models import WorkflowEvent

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

ROWS = 3000
CHUNK = 50


def _progress(job_id: int) -> tuple[str, int]:
    return ImportJob.objects.values_list("status", "rows_done").get(pk=job_id)


def test_an_import_resumes_after_its_worker_is_killed_and_imports_each_row_once(workers):
    editor = factories.EditorFactory(username="desk-editor")
    body = "statement,topics\n" + "".join(f"Berth {n} is {n} m long.,Berths\n" for n in range(ROWS))
    job = import_job_create(
        actor=editor,
        upload=ContentFile(body.encode(), name="berths.csv"),
        file_format="csv",
        publish=False,
    )
    env = {"MEDIA_ROOT": str(settings.MEDIA_ROOT), "BULK_IMPORT_CHUNK_ROWS": str(CHUNK)}

    # 1. Killed once a few chunks have committed.
    first = workers.start("first", concurrency=1, env=env)
    tasks.import_claims.delay(job.pk)
    workers.wait_until(
        lambda: _progress(job.pk)[1] >= 4 * CHUNK,
        timeout=60,
        interval=0.01,
        what="the first worker to commit four chunks",
    )
    first.kill()
    status, done = _progress(job.pk)
    assert status == ImportJobStatus.RUNNING
    assert done < ROWS, "the first worker finished before it was killed"
    # What the dead worker's last chunk wrote went with its transaction.
    assert Claim.objects.count() == ImportRow.objects.count() == done

    # 2. The sweep hands the job out again; a second worker resumes it after row `done`.
    later = timezone.now() + dt.timedelta(minutes=15)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert tasks.sweep_import_jobs() == 1
    workers.start("second", concurrency=1, env=env)
    workers.wait_until(
        lambda: _progress(job.pk)[0] == ImportJobStatus.DONE,
        timeout=120,
        what=f"the second worker to finish the job's {ROWS} rows",
    )

    # 3. Every row once: one claim, one report line and one "created" event each.
    job.refresh_from_db()
    assert (job.rows_total, job.rows_done, job.created_count) == (ROWS, ROWS, ROWS)
    assert (job.matched_count, job.rejected_count) == (0, 0)
    statements = Counter(Claim.objects.values_list("statement", flat=True))
    assert len(statements) == ROWS and set(statements.values()) == {1}
    assert sorted(job.rows.values_list("row", flat=True)) == list(range(1, ROWS + 1))
    assert WorkflowEvent.objects.filter(action="create").count() == ROWS
    assert Claim.history.count() == ROWS
