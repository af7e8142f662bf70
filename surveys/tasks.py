from celery import shared_task


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def surveys_send_due() -> int:
    """Daily (beat): invite the recipients whose awards reached their survey's delay."""
    from .services import surveys_send_due as send

    return send()
