"""Writes of the analytics app: the flush of buffered counts and the rollup refresh (the system's work: no actor
but the system runs them, so there is nothing to permission-check; each run leaves an audit entry)."""

import logging

from django.conf import settings
from django.core.cache import caches

from audit.services import audit_record

from . import buffer, rollups
from .models import Cursor

logger = logging.getLogger(__name__)

CATCH_UP_KEY = "analytics:catch-up"


def analytics_catch_up() -> dict:
    """Flush the buffer, then refresh the days that changed. Run by beat every few minutes (production) and, in
    the embedded default that has no beat, by the analytics pages at most every ANALYTICS_CATCH_UP_SECONDS."""
    counted = buffer.flush()
    written = rollups.refresh_recent()
    return {"events": counted, "rollups": written}


def analytics_catch_up_if_due() -> bool:
    """analytics_catch_up() unless one ran less than ANALYTICS_CATCH_UP_SECONDS ago (the embedded default)."""
    seconds = getattr(settings, "ANALYTICS_CATCH_UP_SECONDS", 60)
    cache = caches["analytics" if "analytics" in settings.CACHES else "default"]
    if not cache.add(CATCH_UP_KEY, 1, timeout=seconds):
        return False
    analytics_catch_up()
    return True


def analytics_rebuild() -> int:
    """Flush, then recompute every rollup (nightly; `manage.py analytics_rebuild`)."""
    buffer.flush()
    written = rollups.rebuild()
    cursor = Cursor.objects.get(name="rollups")
    audit_record(action="analytics.rebuild", subject=cursor, data={"rollups": written})
    return written
