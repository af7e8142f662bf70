"""Celery tasks: ids in, call a service, idempotent; acks late, retry with backoff, time limits."""

from celery import shared_task

from . import claim_emails as claims
from .artifacts import build as artifacts

RETRYABLE = (OSError, ConnectionError, TimeoutError)
# The claim email tasks keep the names they had in credentials/mail_tasks.py (then outbox.tasks): messages
# already queued under them, the beat schedule and the queue routes in config.settings still reach them.
MAIL_TASKS_PREFIX = "credentials.mail_tasks."
MAIL_RETRY = {
    "acks_late": True,
    "autoretry_for": RETRYABLE,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
}


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


@shared_task(name=MAIL_TASKS_PREFIX + "claim_emails", **MAIL_RETRY, time_limit=300, soft_time_limit=270)
def claim_emails(award_ids: list[int]) -> int:
    """Queue the claim emails of a batch of awards (once each; none for revoked awards). Returns how many
    awards have one."""
    return len(claims.claim_emails_queue(award_ids=award_ids))


@shared_task(name=MAIL_TASKS_PREFIX + "claim_reminders", **MAIL_RETRY, time_limit=1800, soft_time_limit=1740)
def claim_reminders() -> int:
    """Queue the claim reminders that are due (celery beat, daily). Idempotent."""
    return claims.claim_reminders_queue()


from .bulk import tasks as bulk_tasks  # noqa: E402, F401 (Celery autodiscovers <app>.tasks only)
