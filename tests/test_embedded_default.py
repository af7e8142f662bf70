"""The embedded default's folder queue (config/broker.py), folder cache (config/filecache.py) and settings
(config/settings/embedded.py): what lets `make run`'s web server and worker share work and counts."""

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from queue import Empty

import environ
import pytest
from kombu import Connection, Exchange, Queue

from config import broker
from config.filecache import LockedFileBasedCache
from config.settings.embedded import embedded_settings

ROOT = Path(__file__).resolve().parents[1]


# --- Queue -------------------------------------------------------------------------------------------------------


def connection(folder: Path) -> Connection:
    return Connection("filesystem://localhost//", transport=broker.Transport,
                      transport_options=broker.transport_options(folder))  # fmt: skip


def queues():
    exchange = Exchange("laurel", type="direct")
    return [Queue(name, exchange, routing_key=name) for name in ("work", "work.mail", "work.documents")]


def publish(conn, queue: Queue, body):
    conn.Producer().publish(body, exchange=queue.exchange, routing_key=queue.routing_key, declare=[queue])


def test_messages_come_back_oldest_first_and_once(tmp_path):
    work = queues()[0]
    with connection(tmp_path) as conn:
        for number in range(5):
            publish(conn, work, {"n": number})
        simple = conn.SimpleQueue(work)
        got = [simple.get(timeout=2) for _ in range(5)]
        for message in got:
            message.ack()
        assert [message.payload["n"] for message in got] == [0, 1, 2, 3, 4]
        with pytest.raises(Empty):
            simple.get(timeout=0.5)
    assert broker.pending(tmp_path) == 0


def test_a_worker_takes_the_first_queue_that_has_work(tmp_path):
    """Default before mail before documents, whatever was sent first (Redis's priority order strategy)."""
    work, mail, documents = queues()
    taken = []
    with connection(tmp_path) as conn:
        publish(conn, documents, "pdf")
        publish(conn, mail, "send")
        publish(conn, work, "issue")
        publish(conn, work, "images")

        def on_message(body, message):
            taken.append(body)
            message.ack()

        with conn.Consumer([work, mail, documents], callbacks=[on_message]):
            for _ in range(4):
                conn.drain_events(timeout=2)
    assert taken == ["issue", "images", "send", "pdf"]


def test_a_message_being_written_is_not_taken(tmp_path):
    """A producer writes under a dot name and renames: a half-written file is never read."""
    work = queues()[0]
    with connection(tmp_path) as conn:
        simple = conn.SimpleQueue(work)
        (tmp_path / f".{time.time_ns():020d}_x.work.msg.part").write_bytes(b'{"half": ')
        with pytest.raises(Empty):
            simple.get(timeout=0.5)
        publish(conn, work, "whole")
        message = simple.get(timeout=2)
        message.ack()
        assert message.payload == "whole"


def test_two_takers_never_get_the_same_message(tmp_path):
    work = queues()[0]
    with connection(tmp_path) as conn:
        for number in range(40):
            publish(conn, work, number)
    got, lock = [], threading.Lock()

    def take():
        with connection(tmp_path) as conn:
            channel = conn.default_channel
            while True:
                try:
                    payload = channel._get("work")
                except Empty:
                    return
                with lock:
                    got.append(payload)

    takers = [threading.Thread(target=take) for _ in range(4)]
    for taker in takers:
        taker.start()
    for taker in takers:
        taker.join()
    assert len(got) == 40
    assert len({str(payload) for payload in got}) == 40


def test_pending_counts_messages_of_every_queue(tmp_path):
    work, mail, _ = queues()
    with connection(tmp_path) as conn:
        publish(conn, work, 1)
        publish(conn, mail, 2)
    assert broker.pending(tmp_path) == 2


# --- Cache -------------------------------------------------------------------------------------------------------


def cache(folder: Path) -> LockedFileBasedCache:
    return LockedFileBasedCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def test_one_add_of_a_key_wins_across_threads(tmp_path):
    results, start = [], threading.Barrier(16)

    def add():
        start.wait()
        results.append(cache(tmp_path).add("lock", threading.get_ident(), timeout=60))

    threads = [threading.Thread(target=add) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1


def test_increments_from_several_processes_are_all_counted(tmp_path):
    """Django's FileBasedCache loses increments here (read, then write); the web server and the worker both
    count in this cache."""
    cache(tmp_path).add("count", 0, timeout=None)
    script = textwrap.dedent(f"""
        import django
        from django.conf import settings
        settings.configure()
        from config.filecache import LockedFileBasedCache
        cache = LockedFileBasedCache({str(tmp_path)!r}, {{}})
        for _ in range(100):
            cache.incr("count")
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    processes = [subprocess.Popen([sys.executable, "-c", script], env=env) for _ in range(4)]  # noqa: S603
    assert [process.wait(timeout=120) for process in processes] == [0, 0, 0, 0]
    assert cache(tmp_path).get("count") == 400


def test_incr_keeps_the_expiry(tmp_path):
    counts = cache(tmp_path)
    counts.add("window", 1, timeout=1)
    assert counts.incr("window", 2) == 3
    assert counts.get("window") == 3
    time.sleep(1.2)
    assert counts.get("window") is None  # expired on time, not pushed back by the increment
    with pytest.raises(ValueError):
        counts.incr("window")


def test_incr_of_a_missing_key_raises(tmp_path):
    with pytest.raises(ValueError):
        cache(tmp_path).incr("nothing")


def test_a_key_without_expiry_stays(tmp_path):
    counts = cache(tmp_path)
    counts.add("forever", 5, timeout=None)
    counts.incr("forever")
    assert counts.get("forever") == 6


# --- Settings ----------------------------------------------------------------------------------------------------


def settings_for(tmp_path, monkeypatch, **variables):
    for name in ("CELERY_BROKER_URL", "EMBEDDED_QUEUE_DIR", "CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    caches = {"analytics": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "x"}}
    return embedded_settings(environ.Env(), tmp_path, caches)


def test_embedded_settings_queue_in_a_folder_and_shared_caches(tmp_path, monkeypatch):
    values = settings_for(tmp_path, monkeypatch)
    assert values["CELERY_BROKER_TRANSPORT"] == "config.broker:Transport"
    assert values["CELERY_BROKER_TRANSPORT_OPTIONS"]["data_folder_in"] == str(tmp_path / "queue")
    assert (tmp_path / "queue").is_dir()
    assert values["CACHES"]["default"]["BACKEND"] == "config.filecache.LockedFileBasedCache"
    assert values["CACHES"]["analytics"] == {"BACKEND": "config.filecache.LockedFileBasedCache", "LOCATION": "x"}
    assert values["CELERY_BEAT_SCHEDULE_FILENAME"] == str(tmp_path / "celerybeat-schedule")


def test_embedded_settings_honour_a_broker_and_folders_given(tmp_path, monkeypatch):
    values = settings_for(tmp_path, monkeypatch, CELERY_BROKER_URL="redis://broker:6379/0", CACHE_DIR="/c")
    assert "CELERY_BROKER_TRANSPORT" not in values and "CELERY_BROKER_URL" not in values
    assert values["CACHES"]["default"]["LOCATION"] == "/c"
    values = settings_for(tmp_path, monkeypatch, EMBEDDED_QUEUE_DIR=str(tmp_path / "q"))
    assert values["EMBEDDED_QUEUE_DIR"] == str(tmp_path / "q")


def test_healthz_reports_the_folder_queue(client, settings, tmp_path, db):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.EMBEDDED_QUEUE_DIR = str(tmp_path)
    (tmp_path / f"{time.time_ns():020d}_a.celery.msg").write_bytes(b"{}")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == {"ok": True, "kind": "folder", "pending": 1}
    settings.EMBEDDED_QUEUE_DIR = str(tmp_path / "missing")
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["broker"]["kind"] == "folder"
