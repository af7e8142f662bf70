"""Celery tasks: ids in, idempotent enough (an endorsement request email is sent while it is pending)."""

from celery import shared_task

RETRYABLE = (OSError, ConnectionError, TimeoutError)


@shared_task(
    acks_late=True,
    autoretry_for=RETRYABLE,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
    time_limit=60,
    soft_time_limit=45,
)
def endorsement_send_request(endorsement_id: int, language: str = "en") -> bool:
    from .mail import endorsement_request_send

    return endorsement_request_send(endorsement_id=endorsement_id, language=language)
