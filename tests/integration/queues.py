"""Private Celery queues of integration tests, in Redis."""

import redis


def delete_queues(redis_url: str, queue: str) -> None:
    """Remove a private default queue, its .mail and .documents queues and kombu's bindings of the three."""
    names = [queue, f"{queue}.mail", f"{queue}.documents"]
    redis.Redis.from_url(redis_url).delete(
        *(key for n in names for key in (n, f"_kombu.binding.{n}", f"_kombu.binding_permanent.{n}"))
    )
