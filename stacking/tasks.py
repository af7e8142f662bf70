"""Celery tasks of stacking: ids in, call a service; idempotent (an outcome is recorded once)."""

from celery import shared_task

RETRYABLE = (OSError, ConnectionError, TimeoutError)


@shared_task(
    acks_late=True,
    autoretry_for=RETRYABLE,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
    time_limit=600,
    soft_time_limit=540,
)
def stacking_evaluate_awards(award_ids: list[int]) -> int:
    """Evaluate the stacking rules for the recipients of these awards (just issued or accepted)."""
    from .services import stacking_evaluate_awards as evaluate

    return evaluate(award_ids=award_ids)
