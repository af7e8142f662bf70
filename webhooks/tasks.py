"""Celery task of the webhooks app: ids in, one attempt by webhooks.delivery; idempotent (a delivery that is
no longer pending is left alone), acks late, retries with exponential backoff decided by the attempt count
stored on the row, time limits above the client's own timeouts."""

from celery import shared_task

from . import delivery


@shared_task(
    name="webhooks.tasks.webhook_deliver",
    bind=True,
    acks_late=True,
    max_retries=delivery.MAX_ATTEMPTS + 1,
    time_limit=90,
    soft_time_limit=60,
)
def webhook_deliver(self, delivery_id: int) -> str:
    """In-process (eager: no worker to come back later) there is one attempt; a failure is recorded on the
    row, where staff can redeliver, and never breaks the request that announced the event."""
    state, countdown = delivery.delivery_attempt(delivery_id=delivery_id, final=self.request.is_eager)
    if countdown is not None:
        raise self.retry(countdown=countdown)
    return state
