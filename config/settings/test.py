"""Settings for the test suite. DATABASE_URL and REDIS_URL, when set, are honoured (integration pass)."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-not-secret-9b0a7c2d1e")
DEMO_HISTORY_AWARDS = 150  # load_demo in tests: the analytics history is tested on its own (tests/analytics)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if env("STORAGE_BACKEND", default="") != "s3":  # only an explicit s3 (the S3 integration test's processes)
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
MEDIA_ROOT = env("MEDIA_ROOT", default="/tmp/laurel-test-media")  # noqa: S108

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's in-memory default: the live-server tests (tests/test_concurrency.py) serve requests from
    # threads, each with its own connection, as `make run` does; an in-memory database shared between connections
    # locks whole tables and would fail them for a reason the embedded default does not have. As fast as memory.
    # One file per test process (two runs at once in one checkout must not share it); deleted at the end.
    _test_db = Path(tempfile.gettempdir()) / f"laurel-test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_SQLITE_PATH", default=str(_test_db))}

if not env("REDIS_URL", default=""):
    # The analytics buffer in local memory: each test process its own, emptied before every test.
    CACHES = {  # noqa: F405
        **CACHES,  # noqa: F405
        "analytics": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "analytics",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    }

# Open Badges 3.0 API clients on this machine: http redirect URIs on 127.0.0.1/localhost.
OAUTH2_PROVIDER = {**OAUTH2_PROVIDER, "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"]}  # noqa: F405
