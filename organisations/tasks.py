"""Celery tasks of organisations: ids in, call a service; idempotent (an outcome is recorded once)."""

from celery import shared_task

RETRYABLE = (OSError, ConnectionError, TimeoutError)
OPTIONS = {
    "acks_late": True,
    "autoretry_for": RETRYABLE,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
    "time_limit": 600,
    "soft_time_limit": 540,
}


@shared_task(**OPTIONS)
def organisation_evaluate(organisation_id: int) -> int:
    """Apply the organisation's rules (after a share, or a rule created or activated)."""
    from .evaluation import organisation_evaluate as evaluate

    return len(evaluate(organisation_id=organisation_id))


@shared_task(**OPTIONS)
def organisations_evaluate_awards(award_ids: list[int]) -> int:
    """Apply the rules of the organisations these awards (just issued or accepted) went to."""
    from .evaluation import organisations_evaluate_awards as evaluate

    return evaluate(award_ids=award_ids)
