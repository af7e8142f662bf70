"""The analytics buffer on Redis and PostgreSQL (production): views counted from threads at once are all
flushed, once, and two flushes running together never count an event twice."""

import secrets
import threading

import pytest
from django.core.cache import caches
from django.db import connection

from analytics import buffer
from analytics.models import AwardDayCount, Kind

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_buffer(settings, redis_url):
    settings.CACHES = {
        **settings.CACHES,
        "analytics": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url,
                      "KEY_PREFIX": f"test-analytics-{secrets.token_hex(4)}"},
    }  # fmt: skip
    caches._settings = None
    if hasattr(caches._connections, "analytics"):
        delattr(caches._connections, "analytics")
    yield caches["analytics"]
    caches["analytics"].clear()
    delattr(caches._connections, "analytics")


def test_concurrent_views_and_flushes_count_each_event_once(redis_buffer, achievement, postgres):
    from credentials.services import Recipient, award_issue

    award = award_issue(achievement=achievement, recipient=Recipient(email="a@example.org", name="A"))

    def view(n):
        for _ in range(n):
            buffer.record(Kind.VIEW, award.pk)

    threads = [threading.Thread(target=view, args=(50,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results = []

    def flush():
        results.append(buffer.flush(batch=100))
        connection.close()

    flushers = [threading.Thread(target=flush) for _ in range(3)]
    for thread in flushers:
        thread.start()
    for thread in flushers:
        thread.join()
    assert sum(results) == 400
    assert AwardDayCount.objects.get(kind=Kind.VIEW).count == 400
    assert buffer.flush() == 0 and buffer.pending() == 0


def test_a_counted_view_is_one_redis_round_trip(redis_buffer, monkeypatch, settings):
    import redis

    settings.ANALYTICS_BATCH_SECONDS = 0

    assert buffer.record(Kind.VIEW, 7)  # the first reads the epoch and creates the counter
    commands = []
    original = redis.Redis.execute_command

    def spy(self, *args, **options):
        commands.append(args[0])
        return original(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", spy)
    assert buffer.record(Kind.VIEW, 8, viewer_id=3)
    assert commands == ["EVALSHA"]
    epoch = redis_buffer.get(f"{buffer.PREFIX}:epoch")
    assert redis_buffer.get(f"{buffer.PREFIX}:{epoch}:seq") == 2
    assert redis_buffer.get(f"{buffer.PREFIX}:{epoch}:e:2").startswith(f"{Kind.VIEW}|8|")
    assert redis_buffer.get(f"{buffer.PREFIX}:{epoch}:e:2").endswith("|3")
    # The counter gone (Redis emptied): the usual path starts a new epoch's numbering.
    redis_buffer.clear()
    commands.clear()
    assert buffer.record(Kind.VIEW, 9)
    assert "EVALSHA" in commands and len(commands) > 1
    epoch = redis_buffer.get(f"{buffer.PREFIX}:epoch")
    assert redis_buffer.get(f"{buffer.PREFIX}:{epoch}:e:1").startswith(f"{Kind.VIEW}|9|")


def test_views_are_held_and_sent_together_in_one_round_trip(redis_buffer, monkeypatch, settings, achievement):
    import time

    import redis

    from credentials.services import Recipient, award_issue

    award = award_issue(achievement=achievement, recipient=Recipient(email="a@example.org", name="A"))
    settings.ANALYTICS_BATCH_SECONDS = 0.3
    assert buffer.record(Kind.VIEW, award.pk)  # the first reads the epoch and creates the counter: sent at once
    commands = []
    original = redis.Redis.execute_command

    def spy(self, *args, **options):
        commands.append(args[0])
        return original(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", spy)
    for _ in range(5):
        assert buffer.record(Kind.VIEW, award.pk)
    assert commands == []  # held in the process
    deadline = time.monotonic() + 5
    while not commands and time.monotonic() < deadline:
        time.sleep(0.05)
    assert commands == ["EVALSHA"]  # the timer sent the five together
    assert buffer.pending() == 6
    buffer.record(Kind.VIEW, award.pk)
    assert buffer.flush() == 7  # flush sends what this process still holds first
    assert AwardDayCount.objects.get(kind=Kind.VIEW).count == 7
