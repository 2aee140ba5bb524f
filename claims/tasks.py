"""Celery tasks of the claims app: thin, idempotent wrappers that take ids and call a service."""

from __future__ import annotations

from celery import Task, shared_task
from django.conf import settings

from claims.bulk.jobs import import_job_run, import_jobs_to_retry
from claims.extraction.jobs import ingest_job_run
from config.tasks import RETRY_TRANSIENT, safe_delay

# A long article is a few hundred sentences, each matched against existing claims: far more
# than the default limits meant for one email or one assignment.
INGEST_SOFT_TIME_LIMIT = int(getattr(settings, "INGEST_TASK_SOFT_TIME_LIMIT", 600))
INGEST_TIME_LIMIT = int(getattr(settings, "INGEST_TASK_TIME_LIMIT", INGEST_SOFT_TIME_LIMIT + 60))
# An import is as long as its file; a run stopped by the limit is resumed by the sweep after
# its last committed chunk, so the limit only bounds one run.
IMPORT_SOFT_TIME_LIMIT = int(getattr(settings, "IMPORT_TASK_SOFT_TIME_LIMIT", 3 * 3600))
IMPORT_TIME_LIMIT = int(getattr(settings, "IMPORT_TASK_TIME_LIMIT", IMPORT_SOFT_TIME_LIMIT + 60))


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


@shared_task(
    bind=True,
    **RETRY_TRANSIENT,
    soft_time_limit=IMPORT_SOFT_TIME_LIMIT,
    time_limit=IMPORT_TIME_LIMIT,
)
def import_claims(self: Task, job_id: int) -> str:
    """Import one job's file, or resume it after its last committed chunk (``import_job_run``).

    A redelivery of a job that has finished does nothing; one of a job that is still running
    elsewhere takes turns with that run, chunk by chunk, and imports no row twice.
    """
    job = import_job_run(job_id=job_id)
    return job.status if job is not None else "finished"


@shared_task
def sweep_import_jobs() -> int:
    """Publish ``import_claims`` again for jobs left queued or stalled (``import_jobs_to_retry``);
    run every minute by beat."""
    jobs = import_jobs_to_retry()
    for job_id in jobs:
        safe_delay(import_claims, job_id)
    return len(jobs)
