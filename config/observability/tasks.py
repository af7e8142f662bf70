"""Celery hooks: the request id travels in each task message (header `laurel_request_id`) and is put back in
place while a worker runs the task; each task's duration is measured; a worker's log lines get the same
format and fields as the web processes' (LOG_FORMAT). Connected by config/celery_app.py."""

import time

from celery import signals

from . import requestid
from .metrics import TASK_SECONDS

_running: dict[str, tuple[float, object, object]] = {}


@signals.before_task_publish.connect
def carry_request_id(sender=None, headers=None, **kwargs):
    current = requestid.request_id.get()
    if current and headers is not None and requestid.TASK_HEADER not in headers:
        headers[requestid.TASK_HEADER] = current


def _request_id_of(task) -> str | None:
    request = task.request
    given = getattr(request, requestid.TASK_HEADER, None) or (getattr(request, "headers", None) or {}).get(
        requestid.TASK_HEADER
    )
    return given or requestid.request_id.get()  # run in-process (eager): the request's own id is in place


@signals.task_prerun.connect
def task_started(sender=None, task_id=None, task=None, **kwargs):
    if task is None or task_id is None:
        return
    id_token = requestid.request_id.set(_request_id_of(task) or requestid.new_id())
    task_token = requestid.task.set((task_id, task.name))
    _running[task_id] = (time.perf_counter(), id_token, task_token)


@signals.task_postrun.connect
def task_finished(sender=None, task_id=None, task=None, state=None, **kwargs):
    started = _running.pop(task_id, None)
    if started is None:
        return
    began, id_token, task_token = started
    TASK_SECONDS.labels(task.name if task else "?", state or "UNKNOWN").observe(time.perf_counter() - began)
    try:
        requestid.task.reset(task_token)
        requestid.request_id.reset(id_token)
    except ValueError:  # reset in another context than it was set in (a pool that switched threads): clear
        requestid.task.set(None)
        requestid.request_id.set(None)


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def format_worker_logs(logger=None, **kwargs):
    """Celery sets up its worker's handlers itself; give them our filter and, with LOG_FORMAT=json, our
    JSON lines."""
    from django.conf import settings

    from .logs import JsonFormatter

    for handler in logger.handlers if logger else ():
        if not any(isinstance(f, requestid.RequestIdFilter) for f in handler.filters):
            handler.addFilter(requestid.RequestIdFilter())
        if getattr(settings, "LOG_FORMAT", "text") == "json":
            handler.setFormatter(JsonFormatter())


@signals.worker_ready.connect
def serve_worker_metrics(sender=None, **kwargs):
    """WORKER_METRICS_PORT set: this worker machine answers /metrics itself (config/observability/worker_metrics)."""
    from django.conf import settings

    port = getattr(settings, "WORKER_METRICS_PORT", None)
    if port:
        from . import worker_metrics

        worker_metrics.serve(addr=settings.WORKER_METRICS_ADDR, port=port)
