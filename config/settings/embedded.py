"""The embedded default's tasks and caches (no REDIS_URL): a worker process next to the web server, nothing but
Python. Applied by config/settings/local.py; the test settings keep tasks in-process and caches in memory.

- Tasks: messages are files in EMBEDDED_QUEUE_DIR (config/broker.py). `make run` (manage.py run_embedded) starts
  the web server with CELERY_TASK_ALWAYS_EAGER=false and a Celery worker (with beat) on that folder. Any other
  command (load_demo, a shell, runserver alone) still runs its tasks in-process, so it works without a worker.
- Caches: the default cache and the analytics buffer are folders (config/filecache.py), shared by the web server,
  the worker and commands: abuse-limit counters, sign-up locks and the analytics buffer count across processes.
"""

from pathlib import Path


def embedded_settings(env, var_dir: Path, caches: dict) -> dict:
    from config.broker import transport_options

    queue_dir = Path(env("EMBEDDED_QUEUE_DIR", default=str(var_dir / "queue")))
    values = {
        "CELERY_BEAT_SCHEDULE_FILENAME": env(
            "CELERY_BEAT_SCHEDULE_FILENAME", default=str(var_dir / "celerybeat-schedule")
        ),
        "CACHES": {
            **caches,
            "default": {
                "BACKEND": "config.filecache.LockedFileBasedCache",
                "LOCATION": env("CACHE_DIR", default=str(var_dir / "cache" / "default")),
                "OPTIONS": {"MAX_ENTRIES": 100_000},
            },
            "analytics": {**caches["analytics"], "BACKEND": "config.filecache.LockedFileBasedCache"},
        },
    }
    if not env("CELERY_BROKER_URL", default=""):
        values.update(
            CELERY_BROKER_URL="filesystem://localhost//",
            CELERY_BROKER_TRANSPORT="config.broker:Transport",
            CELERY_BROKER_TRANSPORT_OPTIONS=transport_options(queue_dir),
            EMBEDDED_QUEUE_DIR=str(queue_dir),
        )
    return values
