"""One request id per request: in the response header, in log lines (4xx ones too) and in the tasks it enqueues."""

import logging

import pytest
from celery import signals
from django.http import HttpResponse

from config.celery_app import app as celery_app
from config.observability import requestid, tasks
from config.observability.requestid import RequestIdFilter, RequestIdMiddleware


class Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def records():
    handler = Records()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


def test_every_response_gets_a_new_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first["X-Request-ID"]) == 32 and int(first["X-Request-ID"], 16) >= 0
    assert first["X-Request-ID"] != second["X-Request-ID"]


@pytest.mark.parametrize(
    ("proxies", "from_proxy", "kept"),
    [(0, None, False), (1, None, True), (0, True, True), (1, False, False)],
)
def test_an_incoming_id_is_kept_only_from_a_proxy_of_ours(client, settings, proxies, from_proxy, kept):
    settings.TRUSTED_PROXY_COUNT = proxies
    settings.REQUEST_ID_FROM_PROXY = from_proxy
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234.abcd")
    assert (response["X-Request-ID"] == "lb-1234.abcd") is kept


@pytest.mark.parametrize("given", ["two words", "x" * 129, "id\nforged log line", "trailing\n", "<script>", ""])
def test_a_malformed_id_is_replaced(rf, settings, given):
    settings.REQUEST_ID_FROM_PROXY = True
    response = RequestIdMiddleware(lambda request: HttpResponse())(rf.get("/", HTTP_X_REQUEST_ID=given))
    assert response["X-Request-ID"] != given and len(response["X-Request-ID"]) == 32


def test_log_lines_of_a_request_carry_its_id_and_none_after_it(client, records, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert [r.request_id for r in records] == [response["X-Request-ID"]]  # "Not Found: …", logged after the chain
    assert requestid.request_id.get() is None
    logging.getLogger("django.request").warning("outside any request")
    assert records[-1].request_id == "-"


def test_a_published_task_message_carries_the_request_id(settings):
    """The real publishing path (kombu's in-memory broker of the test settings): the header is in the message."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    seen = {}

    def capture(sender=None, headers=None, **kwargs):
        seen.update(headers)

    signals.before_task_publish.connect(capture, weak=False)
    token = requestid.request_id.set("req-42")
    try:
        celery_app.send_task("credentials.tasks.awards_bake_images", args=[[]], queue="laurel-unit-test")
    finally:
        requestid.request_id.reset(token)
        signals.before_task_publish.disconnect(capture)
    assert seen[requestid.TASK_HEADER] == "req-42"


def test_a_task_runs_under_the_request_id_of_its_message_and_is_timed(db):
    from prometheus_client import REGISTRY

    from credentials.tasks import awards_bake_images

    seen = []

    def capture(sender=None, task=None, **kwargs):
        seen.append((requestid.request_id.get(), requestid.task.get()))

    labels = {"task": awards_bake_images.name, "state": "SUCCESS"}
    before = REGISTRY.get_sample_value("laurel_task_duration_seconds_count", labels) or 0
    signals.task_prerun.connect(capture, weak=False)  # after tasks.task_started: sees what it put in place
    try:
        awards_bake_images.apply(args=[[]], headers={requestid.TASK_HEADER: "from-the-message"}, task_id="t-1")
        awards_bake_images.apply(args=[[]], task_id="t-2")  # no header, no request: a fresh id
    finally:
        signals.task_prerun.disconnect(capture)
    assert seen[0] == ("from-the-message", ("t-1", awards_bake_images.name))
    assert seen[1][0] and seen[1][0] != "from-the-message" and seen[1][1] == ("t-2", awards_bake_images.name)
    assert requestid.request_id.get() is None and requestid.task.get() is None  # reset after each task
    assert REGISTRY.get_sample_value("laurel_task_duration_seconds_count", labels) == before + 2
    assert tasks._running == {}


def test_worker_log_handlers_get_the_filter_and_the_json_format(settings):
    from config.observability.logs import JsonFormatter

    settings.LOG_FORMAT = "json"
    logger = logging.Logger("celery-like")
    handler = logging.StreamHandler()
    logger.addHandler(handler)
    tasks.format_worker_logs(logger=logger)
    tasks.format_worker_logs(logger=logger)  # Celery calls it for the task logger too: one filter
    assert isinstance(handler.formatter, JsonFormatter)
    assert sum(isinstance(f, RequestIdFilter) for f in handler.filters) == 1
