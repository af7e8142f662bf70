"""Prometheus metrics at /metrics, for a scraper of ours only (METRICS_TOKEN or METRICS_ALLOWED_IPS; anybody
else gets a 404, as if there were no such page).

What is measured (docs/architecture.md, "Observability"):
- request latency by route: `laurel_http_request_duration_seconds{route,method}` (this module's middleware;
  route = the URL pattern, e.g. `c/<str:public_id>/`), besides django-prometheus' metrics by view;
- task durations: `laurel_task_duration_seconds{task,state}` (Celery signals, config/observability/tasks.py);
- queue depths: `laurel_queue_depth{queue}` (the Redis lists of the three queues, read at scrape time);
- outbox backlog: `laurel_outbox_emails{state}` for emails not sent yet, and the age of the oldest queued one;
- cache hit rate: `laurel_cache_gets_total{cache,result="hit"|"miss"}` (config/observability/cache.py).

Several gunicorn or worker processes on one machine: set PROMETHEUS_MULTIPROC_DIR (an empty directory, the
same for them, emptied at start) and every process writes its counters there; /metrics adds them up.
"""

import hmac
import ipaddress
import os
import time

from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

REQUEST_SECONDS = Histogram(
    "laurel_http_request_duration_seconds",
    "Time to answer a request, by URL pattern and method.",
    ["route", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
TASK_SECONDS = Histogram(
    "laurel_task_duration_seconds",
    "Time a Celery task ran, by task name and final state.",
    ["task", "state"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
PRIORITY_SEPARATOR = "\x06\x16"  # kombu keeps a Redis queue's priority levels in lists named <queue>␆␖<n>


def route_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"
    return match.route or match.view_name or "<unnamed>"


class RouteLatencyMiddleware:
    """Times each request and records it under its URL pattern (few label values, unlike the path)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        REQUEST_SECONDS.labels(route_of(request), request.method).observe(time.perf_counter() - started)
        return response


class LiveCollector:
    """Figures read when scraped, not counted: queue depths and the outbox backlog."""

    def collect(self):
        yield from self._queues()
        yield from self._outbox()

    def _queues(self):
        broker = str(getattr(settings, "CELERY_BROKER_URL", "") or "")
        if not broker.startswith(("redis://", "rediss://", "unix://")) or settings.CELERY_TASK_ALWAYS_EAGER:
            return
        import redis

        gauge = GaugeMetricFamily("laurel_queue_depth", "Task messages waiting in a queue.", labels=["queue"])
        client = redis.Redis.from_url(broker, socket_connect_timeout=2, socket_timeout=2)
        try:
            for queue in settings.CELERY_TASK_QUEUES:
                keys = [queue.name, *(f"{queue.name}{PRIORITY_SEPARATOR}{p}" for p in (3, 6, 9))]
                with client.pipeline(transaction=False) as pipe:
                    for key in keys:
                        pipe.llen(key)
                    gauge.add_metric([queue.name], sum(pipe.execute()))
        except redis.RedisError:
            return  # the broker is down: /healthz says so; the other metrics still answer
        finally:
            client.close()
        yield gauge

    def _outbox(self):
        from outbox.models import OutboxEmail

        waiting = OutboxEmail.objects.exclude(state=OutboxEmail.State.SENT)
        counts = dict(waiting.values_list("state").annotate(n=Count("id")).order_by())
        gauge = GaugeMetricFamily("laurel_outbox_emails", "Outbox emails not sent yet, by state.", labels=["state"])
        for state in (OutboxEmail.State.QUEUED, OutboxEmail.State.SENDING, OutboxEmail.State.FAILED):
            gauge.add_metric([state.value], counts.get(state.value, 0))
        yield gauge
        oldest = waiting.filter(state=OutboxEmail.State.QUEUED).aggregate(oldest=Min("created_at"))["oldest"]
        age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily(
            "laurel_outbox_oldest_queued_seconds", "Age of the oldest email waiting to be sent (0: none).", value=age
        )


_live = CollectorRegistry()
_live.register(LiveCollector())


def multiprocess_mode() -> bool:
    """As prometheus_client decides at import (prometheus_client.values.get_value_class)."""
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def exposition(*, live: bool = True) -> bytes:
    """Every metric in the text format: this process's (or, in multiprocess mode, every process's of the
    machine) and, with `live`, the figures read when scraped."""
    if multiprocess_mode():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry) + (generate_latest(_live) if live else b"")


def allowed(request) -> bool:
    """The bearer token of METRICS_TOKEN, or a client address in METRICS_ALLOWED_IPS (addresses or networks,
    the address as config.throttle.client_ip reads it behind our proxies). Neither set: nobody."""
    from config.throttle import client_ip

    return allowed_caller(authorization=request.headers.get("Authorization", ""), address=client_ip(request))


def allowed_caller(*, authorization: str, address: str) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    bearer = authorization[7:] if authorization.startswith("Bearer ") else ""
    if token and bearer and hmac.compare_digest(bearer.encode(), token.encode()):
        return True
    networks = getattr(settings, "METRICS_ALLOWED_IPS", [])
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in networks)


@never_cache
def metrics_view(request):
    if not allowed(request):
        raise Http404
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
