"""Celery tasks of bulk issuance: ids in, call credentials.bulk.services; idempotent, acks late, retry with
backoff, time limits (the soft limit rolls back the batch in progress before the hard limit kills the process).

`bulk_job_run` fans a job out into chunk tasks, so N workers share one job. A chunk task that a killed
worker was running is delivered again (acks_late + reject_on_worker_lost) and does only what is left; a
chunk that gives up marks the job failed, and staff can resume it from the console or the command.

Celery's autodiscovery imports `<app>.tasks` only: `credentials/tasks.py` imports this module.
"""

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from . import services

RETRYABLE = (OperationalError, InterfaceError, OSError, ConnectionError, TimeoutError, SoftTimeLimitExceeded)


class BulkTask(Task):
    """Marks the job failed when a task gives up (after its retries, or on an unexpected error)."""

    abstract = True

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        job_id = kwargs.get("job_id", args[0] if args else None)
        if job_id is not None:
            services.bulk_job_fail(job_id=job_id, reason=f"{type(exc).__name__}: {exc}")


TASK_OPTIONS = {
    "base": BulkTask,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": RETRYABLE,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**TASK_OPTIONS, soft_time_limit=120, time_limit=150)
def bulk_job_run(job_id: int) -> int:
    """Enqueue one chunk task per CHUNK_SIZE rows not done yet (none when the job is not running).
    Running it twice only enqueues chunks that find their rows done or held by another worker."""
    plan = services.bulk_job_plan(job_id=job_id)
    for first_row_id, last_row_id in plan:
        bulk_job_chunk.delay(job_id, first_row_id, last_row_id)
    if not plan:
        services.bulk_job_finish(job_id=job_id)
    return len(plan)


@shared_task(**TASK_OPTIONS, soft_time_limit=540, time_limit=600)
def bulk_job_chunk(job_id: int, first_row_id: int, last_row_id: int) -> dict:
    """Issue the rows of one chunk that are not done yet; finishes the job when it was the last one."""
    return services.bulk_rows_issue(job_id=job_id, first_row_id=first_row_id, last_row_id=last_row_id)
