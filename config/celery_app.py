"""Celery application.

Embedded default (no REDIS_URL): tasks run in-process (``task_always_eager``).
Production: ``celery -A config worker`` and ``celery -A config beat`` against Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("laurel")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Request ids carried into tasks, task durations, the worker's log format (config/observability/tasks.py).
from .observability import tasks as _observability_tasks  # noqa: E402, F401
