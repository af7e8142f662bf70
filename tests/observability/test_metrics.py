"""/metrics: only for our scraper (token or address, else 404); latency by route, outbox backlog, cache reads."""

import pytest
from django.core.cache import caches
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from config.observability.cache import CountingLocMemCache

TOKEN = "scrape-me-7f3a"


def scrape(client, **headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.status_code
    return {s.name + str(sorted(s.labels.items())): s.value for f in text_string_to_metric_families(
        response.content.decode()) for s in f.samples}  # fmt: skip


@pytest.mark.parametrize(
    ("token", "ips", "headers"),
    [
        ("", [], {}),  # nothing configured: nobody
        ("", [], {"HTTP_AUTHORIZATION": "Bearer "}),
        (TOKEN, [], {}),
        (TOKEN, [], {"HTTP_AUTHORIZATION": "Bearer wrong"}),
        (TOKEN, [], {"HTTP_AUTHORIZATION": TOKEN}),  # not a bearer token
        ("", ["10.0.0.0/8"], {"REMOTE_ADDR": "192.0.2.7"}),
        ("", ["10.0.0.0/8"], {"REMOTE_ADDR": "10.1.2.3", "HTTP_X_FORWARDED_FOR": "10.0.0.9"}),  # no proxy trusted
    ],
)
def test_refused_with_a_404(client, settings, token, ips, headers):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = token, ips
    settings.TRUSTED_PROXY_COUNT = 0
    if headers.get("REMOTE_ADDR") == "10.1.2.3":
        headers = {**headers, "REMOTE_ADDR": "203.0.113.5"}  # the proxy is not ours: its header is not read
    response = client.get("/metrics", **headers)
    assert response.status_code == 404 and b"laurel_" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("token", "ips", "proxies", "headers"),
    [
        (TOKEN, [], 0, {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}),
        ("", ["10.0.0.0/8", "192.0.2.1"], 0, {"REMOTE_ADDR": "10.20.30.40"}),
        ("", ["192.0.2.1"], 0, {"REMOTE_ADDR": "192.0.2.1"}),
        ("", ["10.0.0.0/8"], 1, {"REMOTE_ADDR": "192.0.2.50", "HTTP_X_FORWARDED_FOR": "10.0.0.9"}),  # behind ours
    ],
)
def test_allowed_by_token_or_address(client, settings, token, ips, proxies, headers):
    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS, settings.TRUSTED_PROXY_COUNT = token, ips, proxies
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain") and b"laurel_outbox_emails" in response.content
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_latency_by_route_and_the_outbox_backlog(client, settings):
    from outbox.models import OutboxEmail

    settings.METRICS_TOKEN = TOKEN
    auth = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
    route = "laurel_http_request_duration_seconds_count[('method', 'GET'), ('route', 'healthz')]"
    before = scrape(client, **auth).get(route, 0)
    client.get("/healthz")
    client.get("/healthz")
    first = scrape(client, **auth)
    assert first[route] == before + 2
    assert first["laurel_outbox_emails[('state', 'queued')]"] == 0
    assert first["laurel_outbox_oldest_queued_seconds[]"] == 0
    for n, state in enumerate(["queued", "queued", "failed", "sent"]):
        OutboxEmail.objects.create(kind="test", dedupe_key=f"k{n}", to_email="a@example.org", subject="s",
                                   body_text="b", state=state)  # fmt: skip
    second = scrape(client, **auth)
    assert second["laurel_outbox_emails[('state', 'queued')]"] == 2
    assert second["laurel_outbox_emails[('state', 'failed')]"] == 1
    assert second["laurel_outbox_emails[('state', 'sending')]"] == 0
    assert second["laurel_outbox_oldest_queued_seconds[]"] >= 0
    assert not any(key.startswith("laurel_queue_depth") for key in second)  # no broker: tasks run in-process


def test_cache_hits_and_misses_are_counted():
    cache = caches["default"]
    assert isinstance(cache, CountingLocMemCache)

    def count(result):
        return REGISTRY.get_sample_value("laurel_cache_gets_total", {"cache": "default", "result": result}) or 0

    hits, misses = count("hit"), count("miss")
    assert cache.get("metrics-test-key", "fallback") == "fallback"
    cache.set("metrics-test-key", 0)
    assert cache.get("metrics-test-key", "fallback") == 0  # a falsy value is a hit
    assert cache.get_many(["metrics-test-key", "metrics-absent"]) == {"metrics-test-key": 0}
    assert (count("hit") - hits, count("miss") - misses) == (2, 2)


def test_every_known_cache_backend_is_counted():
    from config.settings.observability import instrument_caches

    counted = instrument_caches(
        {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"},
            "files": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "/tmp/x"},
            "other": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
        }
    )
    assert counted["default"]["BACKEND"] == "config.observability.cache.CountingRedisCache"
    assert counted["default"]["LAUREL_CACHE_ALIAS"] == "default" and counted["default"]["LOCATION"] == "redis://x"
    assert counted["files"]["BACKEND"] == "config.observability.cache.CountingFileBasedCache"
    assert counted["other"] == {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


def test_optional_settings_are_none_when_empty(monkeypatch):
    import environ

    from config.settings.observability import optional

    monkeypatch.setenv("WORKER_METRICS_PORT", "")
    assert optional(environ.Env(), "WORKER_METRICS_PORT", environ.Env().int) is None
    monkeypatch.setenv("WORKER_METRICS_PORT", "9101")
    assert optional(environ.Env(), "WORKER_METRICS_PORT", environ.Env().int) == 9101
    monkeypatch.setenv("REQUEST_ID_FROM_PROXY", "false")
    assert optional(environ.Env(), "REQUEST_ID_FROM_PROXY", environ.Env().bool) is False


def test_a_worker_machine_answers_metrics_to_our_scraper_only(settings):
    """The worker's own listener (WORKER_METRICS_PORT), over a real socket."""
    import socket
    import urllib.error
    import urllib.request

    from config.observability import tasks, worker_metrics

    settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = TOKEN, []
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.WORKER_METRICS_PORT, settings.WORKER_METRICS_ADDR = port, "127.0.0.1"
    servers = []
    real_serve = worker_metrics.serve

    def serve(**kwargs):
        servers.append(real_serve(**kwargs))
        return servers[-1]

    worker_metrics.serve = serve
    try:
        tasks.serve_worker_metrics()  # what the worker_ready signal runs
        url = f"http://127.0.0.1:{port}/metrics"
        ok = urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"}))
        body = ok.read().decode()
        assert ok.status == 200 and "laurel_task_duration_seconds" in body
        assert "laurel_outbox_emails" not in body  # the web's /metrics reports what the database holds
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(urllib.request.Request(url, headers=headers))
            assert refused.value.code == 404
        settings.METRICS_TOKEN, settings.METRICS_ALLOWED_IPS = "", ["127.0.0.0/8"]
        assert urllib.request.urlopen(url).status == 200
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/other")
    finally:
        worker_metrics.serve = real_serve
        for server in servers:
            server.shutdown()
            server.server_close()
    assert len(servers) == 1


def test_no_worker_listener_without_a_port(settings, monkeypatch):
    from config.observability import tasks, worker_metrics

    settings.WORKER_METRICS_PORT = None
    monkeypatch.setattr(worker_metrics, "serve", lambda **kw: pytest.fail("no listener without a port"))
    tasks.serve_worker_metrics()


@pytest.mark.integration
def test_the_counting_redis_cache_reuses_one_client_per_pool(redis_url):
    from config.observability.cache import CountingRedisCache

    cache = CountingRedisCache(redis_url, {"KEY_PREFIX": "test-reuse", "LAUREL_CACHE_ALIAS": "default"})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client and cache._cache.get_client(write=True) is client
    cache.set("reused", {"a": 1}, 30)
    assert cache.add("counter-missing", 4, 30)
    assert cache.get_many(["reused", "absent"]) == {"reused": {"a": 1}}
    assert cache.incr("counter-missing") == 5
    cache.delete_many(["reused", "counter-missing"])
    assert cache.get("reused") is None
