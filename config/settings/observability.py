"""Logs, request ids, metrics and error reports (config/observability/). Imported by base.py, applied at its
end (after every other app has set CACHES and MIDDLEWARE); variables in .env.example."""

import environ

from config.observability.logs import TEXT_FORMAT

LOG_FORMATS = ("text", "json")


def log_format(env: environ.Env, *, default: str) -> str:
    value = env("LOG_FORMAT", default="") or default
    if value not in LOG_FORMATS:
        raise environ.ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {value!r}.")
    return value


def optional(env: environ.Env, name: str, cast):
    """None when the variable is unset or empty (as .env.example leaves it), else `cast(name)`."""
    return cast(name) if env(name, default="") else None


def logging_config(*, level: str, fmt: str) -> dict:
    """Every log line to stderr, named explicitly: stdout belongs to what management commands print (the
    --json documents that scripts read), whatever the settings module, the task runner or the libraries do.
    Each line carries the request id (and inside a task its id and name)."""
    formatter = {"()": "config.observability.logs.JsonFormatter"} if fmt == "json" else {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.observability.requestid.RequestIdFilter"}},
        "formatters": {"laurel": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "filters": ["request_id"],
                "formatter": "laurel",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # WeasyPrint subsets fonts with fontTools, which logs "Processing <BytesIO> => <BytesIO>" at INFO for
            # every font of every PDF: noise, not news.
            "fontTools": {"level": "WARNING"},
        },
    }


def middleware(middleware: list[str]) -> list[str]:
    """The request id first (every later layer logs with it); Prometheus' timers around everything else."""
    return [
        "config.observability.requestid.RequestIdMiddleware",
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        "config.observability.metrics.RouteLatencyMiddleware",
        *middleware,
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ]


def instrument_caches(caches: dict) -> dict:
    """Each cache of Django's own backends counts its hits and misses (config/observability/cache.py)."""
    from config.observability.cache import COUNTING

    counted = {}
    for alias, config in caches.items():
        backend = COUNTING.get(config.get("BACKEND"))
        counted[alias] = {**config, "BACKEND": backend, "LAUREL_CACHE_ALIAS": alias} if backend else config
    return counted


def init_sentry(env: environ.Env) -> bool:
    from config.observability import sentry

    return sentry.init(
        dsn=env("SENTRY_DSN", default=""),
        environment=env("SENTRY_ENVIRONMENT", default=""),
        release=env("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
