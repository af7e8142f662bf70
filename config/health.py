"""GET /healthz: the state of the database and the task broker, as JSON. 200 when healthy, else 503."""

import os
import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _check_database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "vendor": connection.vendor, "error": str(exc)[:200]}
    return {"ok": True, "vendor": connection.vendor, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _check_broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "kind": "in-process"}
    if getattr(settings, "EMBEDDED_QUEUE_DIR", ""):  # the embedded default's folder queue (config/broker.py)
        from pathlib import Path

        from config.broker import pending

        folder = Path(settings.EMBEDDED_QUEUE_DIR)
        if not os.access(folder, os.W_OK):
            return {"ok": False, "kind": "folder", "error": f"cannot write to {folder}"}
        return {"ok": True, "kind": "folder", "pending": pending(folder)}
    import redis

    started = time.perf_counter()
    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except Exception as exc:
        return {"ok": False, "kind": "redis", "error": str(exc)[:200]}
    return {"ok": True, "kind": "redis", "ms": round((time.perf_counter() - started) * 1000, 1)}


@never_cache
def healthz(request):
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
