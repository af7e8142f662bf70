"""gunicorn's settings for Laurel: `gunicorn -c config/gunicorn.py config.wsgi` (bind address, workers and
threads by flags or GUNICORN_CMD_ARGS).

- gunicorn's own lines (start, worker deaths, the access log) in Laurel's format (LOG_FORMAT; JSON by default, as
  in production) on stderr; each access line names the request id Laurel returned (X-Request-ID).
- Prometheus multiprocess mode (PROMETHEUS_MULTIPROC_DIR): a dead worker's live gauges are dropped, as
  prometheus_client asks. Emptying the directory is the machine's start-up step (it is shared with the Celery
  workers of the machine, whose counters a restarted gunicorn must not delete).
"""

import os

# As config/wsgi.py: set before anything imports the `config` package (whose Celery app would pick "local").
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

_production = os.environ["DJANGO_SETTINGS_MODULE"].endswith(".production")
_format = os.environ.get("LOG_FORMAT") or ("json" if _production else "text")

accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.observability.requestid.RequestIdFilter"}},
    "formatters": {
        "laurel": {"()": "config.observability.logs.JsonFormatter"}
        if _format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "laurel",
            "filters": ["request_id"],
        }
    },
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
    },
}


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
