"""/metrics of a machine that runs Celery workers but no web process (WORKER_METRICS_PORT): a small HTTP server
in the worker's main process, answering as the web's /metrics does (METRICS_TOKEN or METRICS_ALLOWED_IPS, by the
connecting address; anybody else a 404). With PROMETHEUS_MULTIPROC_DIR it reports every process of the machine,
the prefork pool's children included (without it, only the main process, which runs no task)."""

import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

from prometheus_client import CONTENT_TYPE_LATEST

from .metrics import allowed_caller, exposition


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # one line per scrape on stderr would be noise
        pass


def app(environ, start_response):
    caller = {"authorization": environ.get("HTTP_AUTHORIZATION", ""), "address": environ.get("REMOTE_ADDR", "")}
    if environ.get("PATH_INFO") != "/metrics" or not allowed_caller(**caller):
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"Not Found"]
    body = exposition(live=False)  # queue depths and the outbox backlog: the web's /metrics has them
    start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST), ("Cache-Control", "no-store")])
    return [body]


def serve(*, addr: str, port: int):
    """Start serving in a daemon thread; returns the server (server.shutdown() stops it)."""
    server = make_server(addr, port, app, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="laurel-worker-metrics", daemon=True).start()
    return server
