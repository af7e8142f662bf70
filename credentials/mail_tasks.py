"""Celery tasks of the outbox: ids in, call credentials.mail; idempotent, acks late, retry with backoff,
time limits (the soft limit leaves the task time to record a failure before the hard limit kills it).

Not a `tasks.py` module, so Celery's autodiscovery does not find it: credentials.mail_receivers imports it,
and CredentialsConfig.ready imports credentials.mail_receivers, which registers these tasks in every process.
"""

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from . import mail

RETRYABLE = (OSError, ConnectionError, TimeoutError)
# Options of the tasks that retry by themselves on transient errors (outbox_send retries by hand).
AUTO_RETRY = {"acks_late": True, "autoretry_for": RETRYABLE, "retry_backoff": True, "retry_backoff_max": 300,
              "max_retries": 5}


def send_backoff(retries: int) -> int:
    """Seconds before retry n+1 of a transient send failure: 30 s, 1, 2, 4, 8, 16 min, then 30 min."""
    return get_exponential_backoff_interval(factor=30, retries=retries, maximum=1800, full_jitter=False)


@shared_task(bind=True, acks_late=True, max_retries=8, time_limit=90, soft_time_limit=60)
def outbox_send(self, email_id: int) -> str:
    """Send one outbox email at most once. A transient SMTP error retries with backoff; the last attempt
    marks the email failed. In-process (eager: no worker, no broker to retry later) there is one attempt:
    a failure is recorded on the row for staff to retry, and never breaks the request that queued it."""
    final = self.request.is_eager or self.request.retries >= self.max_retries
    try:
        return mail.outbox_send(email_id=email_id, final_attempt=final)
    except mail.TransientMailError as exc:
        raise self.retry(exc=exc, countdown=send_backoff(self.request.retries)) from exc


@shared_task(**AUTO_RETRY, time_limit=120, soft_time_limit=90)
def claim_email(award_id: int) -> int | None:
    """Queue the claim email of an award (once; nothing for a revoked award). Returns the outbox id."""
    from .models import Award

    award = Award.objects.filter(pk=award_id).first()
    if award is None:
        return None
    email = mail.claim_email_queue(award=award)
    return email.pk if email else None


@shared_task(**AUTO_RETRY, time_limit=1800, soft_time_limit=1740)
def claim_reminders() -> int:
    """Queue the claim reminders that are due (celery beat, daily). Idempotent."""
    return mail.claim_reminders_queue()


@shared_task(**AUTO_RETRY, time_limit=300, soft_time_limit=240)
def outbox_flush() -> int:
    """Enqueue outbox emails whose send task was lost (celery beat, every few minutes). Idempotent."""
    return mail.outbox_flush()
