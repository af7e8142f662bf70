"""Celery tasks of the outbox: ids in, call outbox.sending; idempotent, acks late, retry with
backoff, time limits (the soft limit leaves the task time to record a failure before the hard limit kills it).

Found by Celery's autodiscovery (outbox.tasks). Each task keeps the name it had when it lived in
credentials/mail_tasks.py (`credentials.mail_tasks.<name>`): messages already queued under that name, the
beat schedule and the queue routes in config.settings all still reach it. (The claim email tasks of that
module are in credentials.tasks, under their old names too.)
"""

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from . import sending

OLD_PREFIX = "credentials.mail_tasks."  # the module these tasks were first registered from
RETRYABLE = (OSError, ConnectionError, TimeoutError)
# Options of the tasks that retry by themselves on transient errors (outbox_send retries by hand).
AUTO_RETRY = {
    "acks_late": True,
    "autoretry_for": RETRYABLE,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
}


def send_backoff(retries: int) -> int:
    """Seconds before retry n+1 of a transient send failure: 30 s, 1, 2, 4, 8, 16 min, then 30 min."""
    return get_exponential_backoff_interval(factor=30, retries=retries, maximum=1800, full_jitter=False)


@shared_task(
    name=OLD_PREFIX + "outbox_send", bind=True, acks_late=True, max_retries=8, time_limit=90, soft_time_limit=60
)
def outbox_send(self, email_id: int) -> str:
    """Send one outbox email at most once. A transient SMTP error retries with backoff; the last attempt
    marks the email failed. In-process (eager: no worker, no broker to retry later) there is one attempt:
    a failure is recorded on the row for staff to retry, and never breaks the request that queued it."""
    final = self.request.is_eager or self.request.retries >= self.max_retries
    try:
        return sending.outbox_send(email_id=email_id, final_attempt=final)
    except sending.TransientMailError as exc:
        raise self.retry(exc=exc, countdown=send_backoff(self.request.retries)) from exc


@shared_task(
    name=OLD_PREFIX + "outbox_send_many", bind=True, acks_late=True, max_retries=8, time_limit=600, soft_time_limit=540
)
def outbox_send_many(self, email_ids: list[int]) -> dict:
    """Send a batch of outbox emails over one SMTP connection, each at most once. An email that meets a
    transient error is retried alone (outbox_send, with backoff); in-process there is one attempt, as for
    outbox_send. Returns how many emails ended in each state."""
    final = self.request.is_eager
    results = sending.outbox_send_many(email_ids=email_ids, final_attempt=final)
    for email_id, state in results.items():
        if state == "queued":  # transient failure: the row is queued again
            outbox_send.apply_async((email_id,), countdown=send_backoff(0))
    counts: dict[str, int] = {}
    for state in results.values():
        counts[state] = counts.get(state, 0) + 1
    return counts


@shared_task(name=OLD_PREFIX + "outbox_flush", **AUTO_RETRY, time_limit=300, soft_time_limit=240)
def outbox_flush() -> int:
    """Enqueue outbox emails whose send task was lost (celery beat, every few minutes). Idempotent."""
    return sending.outbox_flush()
