"""Caches that count their hits and misses: `laurel_cache_gets_total{cache,result}`; the hit rate is
`rate(laurel_cache_gets_total{result="hit"}[5m]) / rate(laurel_cache_gets_total[5m])`.

settings.CACHES names Django's backends; config/settings/observability.instrument_caches() swaps each known
one for its counting subclass here and names it (LAUREL_CACHE_ALIAS, a key Django's backends ignore).
"""

from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from prometheus_client import Counter

GETS = Counter("laurel_cache_gets", "Cache reads, by cache and hit or miss.", ["cache", "result"])
_MISSING = object()


class CountingMixin:
    def __init__(self, location, params):
        super().__init__(location, params)
        alias = params.get("LAUREL_CACHE_ALIAS", "default")
        self._hits = GETS.labels(alias, "hit")
        self._misses = GETS.labels(alias, "miss")

    def get(self, key, default=None, version=None):
        value = super().get(key, _MISSING, version)
        if value is _MISSING:
            self._misses.inc()
            return default
        self._hits.inc()
        return value


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client makes a new `redis.Redis` for every command, and redis-py's constructor builds its table of
    about 80 response callbacks each time (about 0.1 ms: a third of a page served from the page cache). One client
    per connection pool is enough: a `redis.Redis` is thread-safe, its pool holds the connections (and resets them
    in a forked process)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class CountingRedisCache(CountingMixin, RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def get_many(self, keys, version=None):
        """Redis reads many keys at once (Django's other backends call get() for each, counted there)."""
        keys = list(keys)
        found = super().get_many(keys, version)
        self._hits.inc(len(found))
        self._misses.inc(len(keys) - len(found))
        return found


class CountingLocMemCache(CountingMixin, LocMemCache):
    pass


class CountingFileBasedCache(CountingMixin, FileBasedCache):
    pass


COUNTING = {
    "django.core.cache.backends.redis.RedisCache": "config.observability.cache.CountingRedisCache",
    "django.core.cache.backends.locmem.LocMemCache": "config.observability.cache.CountingLocMemCache",
    "django.core.cache.backends.filebased.FileBasedCache": "config.observability.cache.CountingFileBasedCache",
}
