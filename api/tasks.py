"""Celery tasks of the api app: thin, idempotent."""

from celery import shared_task


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def idempotent_requests_purge() -> int:
    """Daily (celery beat): forget stored Idempotency-Key answers older than a day."""
    from .services import idempotent_requests_purge as purge

    return purge()
