"""Celery tasks: ids in, call a service, idempotent; acks late, retry with backoff, time limits."""

from celery import shared_task

from . import artifacts

RETRYABLE = (OSError, ConnectionError, TimeoutError)


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def awards_expire() -> int:
    """Daily (celery beat): mark credentials past their expiry date as expired."""
    from .services import award_expire_due

    return award_expire_due()


@shared_task(acks_late=True, autoretry_for=RETRYABLE, retry_backoff=True, retry_backoff_max=300, max_retries=8,
             time_limit=180, soft_time_limit=150)
def award_build_artifacts(award_id: int) -> dict:
    return artifacts.award_build_artifacts(award_id=award_id)


from .bulk import tasks as bulk_tasks  # noqa: E402, F401 (Celery autodiscovers <app>.tasks only)
