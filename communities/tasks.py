"""Daily (beat): renewal reminders and lapsing. Thin and idempotent: the services skip what is done."""

from celery import shared_task


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540, autoretry_for=(Exception,), retry_backoff=True,
             max_retries=3)  # fmt: skip
def renewal_reminders_send() -> int:
    from .renewals import renewal_reminders_send as send

    return send()


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540, autoretry_for=(Exception,), retry_backoff=True,
             max_retries=3)  # fmt: skip
def memberships_lapse() -> int:
    from .renewals import memberships_lapse as lapse

    return lapse()
