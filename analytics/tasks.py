"""Celery tasks (beat): thin, idempotent."""

from celery import shared_task


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def analytics_catch_up() -> dict:
    """Every few minutes: buffered counts into the table, changed days into the rollups."""
    from .services import analytics_catch_up as catch_up

    return catch_up()


@shared_task(acks_late=True, time_limit=3600, soft_time_limit=3500)
def analytics_rebuild() -> int:
    """Nightly: every rollup from scratch (catches anything the incremental refresh could miss)."""
    from .services import analytics_rebuild as rebuild

    return rebuild()
