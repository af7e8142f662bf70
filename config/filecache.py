"""A file-based cache shared by the processes of the embedded default (web server and worker).

`make run` runs two processes (manage.py run_embedded): what one counts or remembers in the cache (abuse-limit
counters, the analytics buffer, sign-up locks, wallet-exchange challenges) the other must see, which local memory
cannot do. Django's FileBasedCache shares a folder, but its read-then-write operations are not atomic: two `add`s
of one key can both succeed (two sign-ups holding one lock) and two `incr`s can both write the same number (a
lost count). Here `add` and `incr` hold an exclusive lock on one file of the folder (an OS file lock: across
threads and processes), and `incr` keeps the entry's expiry instead of resetting it to the default timeout.
Everything else is Django's: `set` writes a temporary file and renames it, so a reader never sees half an entry.
"""

from __future__ import annotations

import os
import pickle
import time
import zlib
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

LOCK_NAME = "cache.lock"  # no .djcache suffix: never counted, culled or cleared as an entry


class LockedFileBasedCache(FileBasedCache):
    @contextmanager
    def _exclusive(self):
        self._createdir()
        with open(os.path.join(self._dir, LOCK_NAME), "ab") as handle:
            locks.lock(handle, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(handle)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._exclusive():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._exclusive():
            try:
                with open(self._key_to_file(key, version), "rb") as handle:
                    # our own folder, written by FileBasedCache.set: as trusted as Django's get()
                    expiry = pickle.load(handle)  # noqa: S301
                    value = pickle.loads(zlib.decompress(handle.read()))  # noqa: S301
            except FileNotFoundError:
                expiry, value = 0, None
            now = time.time()
            if value is None or (expiry is not None and expiry < now):
                raise ValueError(f"Key '{key}' not found")
            new_value = value + delta
            timeout = None if expiry is None else max(expiry - now, 0.001)
            self.set(key, new_value, timeout=timeout, version=version)
            return new_value
