"""Celery tasks of the claims app: thin, idempotent wrappers that take ids and call a service."""

from __future__ import annotations

from celery import Task, shared_task
from django.conf import settings

from claims.extraction.jobs import ingest_job_run
from verification.tasks import RETRY_TRANSIENT

# A long article is a few hundred sentences, each matched against existing claims: far more
# than the default limits meant for one email or one assignment.
INGEST_SOFT_TIME_LIMIT = int(getattr(settings, "INGEST_TASK_SOFT_TIME_LIMIT", 600))
INGEST_TIME_LIMIT = int(getattr(settings, "INGEST_TASK_TIME_LIMIT", INGEST_SOFT_TIME_LIMIT + 60))


@shared_task(
    bind=True,
    **RETRY_TRANSIENT,
    soft_time_limit=INGEST_SOFT_TIME_LIMIT,
    time_limit=INGEST_TIME_LIMIT,
)
def ingest_source(self: Task, job_id: int) -> str:
    """Extract one queued ingest job's article into claims (``ingest_job_run``).

    A second delivery of the same job (a redelivery, the sweep, a retry that raced the
    sweep) finds the job no longer queued and does nothing.
    """
    job = ingest_job_run(job_id=job_id)
    return job.status if job is not None else "not queued"
