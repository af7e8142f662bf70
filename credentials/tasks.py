"""Celery tasks: ids in, call a service, idempotent; acks late, retry with backoff, time limits."""

from celery import shared_task

from .artifacts import build as artifacts

RETRYABLE = (OSError, ConnectionError, TimeoutError)


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def awards_expire() -> int:
    """Daily (celery beat): mark credentials past their expiry date as expired."""
    from .services import award_expire_due

    return award_expire_due()


ARTIFACT_RETRY = {
    "acks_late": True,
    "autoretry_for": RETRYABLE,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 8,
}


@shared_task(**ARTIFACT_RETRY, time_limit=300, soft_time_limit=270)
def awards_bake_images(award_ids: list[int]) -> dict:
    """Baked PNGs of a batch of awards (default queue): about 2 ms an award."""
    return artifacts.awards_bake_images(award_ids=award_ids)


@shared_task(**ARTIFACT_RETRY, time_limit=600, soft_time_limit=540)
def awards_render_pdfs(award_ids: list[int]) -> dict:
    """Certificate PDFs of a batch of awards (documents queue): about 40-60 ms an award."""
    return artifacts.awards_render_pdfs(award_ids=award_ids)


from .bulk import tasks as bulk_tasks  # noqa: E402, F401 (Celery autodiscovers <app>.tasks only)
