"""One id per request, in the response (X-Request-ID), in every log line written while serving it, and in
every task it enqueued: the task message carries it in a header and the worker puts it back in place while
it runs the task, so one id follows an award from the API call to its PDF.

An incoming X-Request-ID is kept only when a proxy of ours sets it (REQUEST_ID_FROM_PROXY, default: when
TRUSTED_PROXY_COUNT > 0) and it looks like an id (letters, digits, `-_.:`, at most 128); otherwise, and from
anybody else, a new one is made: a client cannot write arbitrary text into our logs.
"""

import contextvars
import logging
import re
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver

HEADER = "X-Request-ID"
TASK_HEADER = "laurel_request_id"  # the Celery message header
_VALID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("laurel_request_id", default=None)
task: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("laurel_task", default=None)


def new_id() -> str:
    return uuid.uuid4().hex


def trusts_header() -> bool:
    trusted = getattr(settings, "REQUEST_ID_FROM_PROXY", None)
    return bool(settings.TRUSTED_PROXY_COUNT > 0 if trusted is None else trusted)


def incoming_id(request) -> str:
    """The proxy's id when it is trusted and well formed, else a fresh one."""
    given = request.headers.get(HEADER, "")
    if given and trusts_header() and _VALID.fullmatch(given):
        return given
    return new_id()


class RequestIdMiddleware:
    """First in MIDDLEWARE: every later middleware, view and log line of the request sees the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = incoming_id(request)
        # Left in place until the response is closed (request_finished): Django logs 4xx/5xx answers
        # ("Not Found: …") after the middleware chain has returned, and those lines need the id too.
        request_id.set(request.request_id)
        response = self.get_response(request)
        response[HEADER] = request.request_id
        return response


@receiver(request_finished)
def _forget(**kwargs):
    request_id.set(None)


class RequestIdFilter(logging.Filter):
    """Puts request_id (and, inside a task, task_id and task_name) on every record; "-" when there is none,
    so that text formats may name them."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get() or "-"
        running = task.get()
        if running and not hasattr(record, "task_id"):
            record.task_id, record.task_name = running
        return True
