"""Private Celery queues of integration tests, in Redis."""

import json

import redis

PRIORITY_SEPARATOR = "\x06\x16"  # kombu's Redis transport keeps priorities 3, 6, 9 of a queue in keys name␆␖3...


def queue_names(queue: str) -> list[str]:
    """A private default queue and its .mail and .documents queues (config/settings/base.py)."""
    return [queue, f"{queue}.mail", f"{queue}.documents"]


def delete_queues(redis_url: str, queue: str) -> None:
    """Remove a private default queue, its .mail and .documents queues and kombu's bindings of the three."""
    names = queue_names(queue)
    redis.Redis.from_url(redis_url).delete(
        *(key for n in names for key in (n, f"_kombu.binding.{n}", f"_kombu.binding_permanent.{n}"))
    )


def pending_messages(redis_url: str, queue: str) -> int:
    """Messages of the private queues still in the broker: waiting in a queue, or delivered to a worker and not
    acknowledged yet (kombu keeps those in its `unacked` hash until the ack, or until it puts them back in the
    queue after the visibility timeout: the messages of a killed worker wait there)."""
    names = queue_names(queue)
    client = redis.Redis.from_url(redis_url)
    waiting = sum(client.llen(key) for n in names for key in (n, *(f"{n}{PRIORITY_SEPARATOR}{p}" for p in (3, 6, 9))))
    unacked = 0
    for raw in client.hvals("unacked"):
        _message, exchange, routing_key = json.loads(raw)
        unacked += routing_key in names or exchange in names
    return waiting + unacked


def worker_active_tasks(app, hostname_prefix: str) -> int | None:
    """Tasks a worker (by hostname prefix) is running now; None when it does not answer."""
    replies = app.control.inspect(timeout=1.0).active() or {}
    mine = [tasks for name, tasks in replies.items() if name.startswith(hostname_prefix)]
    return len(mine[0]) if mine else None


def broker_and_worker_idle(redis_url: str, queue: str, app, hostname_prefix: str) -> bool:
    """Nothing of ours is waiting, unacknowledged or running: no further task of this test can happen."""
    return pending_messages(redis_url, queue) == 0 and worker_active_tasks(app, hostname_prefix) == 0
