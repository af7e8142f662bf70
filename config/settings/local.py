"""Embedded default: SQLite, a file-based task queue and caches (config/settings/embedded.py), mail to files in
var/mail, media on disk."""

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL, VAR_DIR, env
from .embedded import embedded_settings

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-secret-1f9c2e7a5b")

VAR_DIR.mkdir(exist_ok=True)

# Open Badges 3.0 API clients on this machine: http redirect URIs on 127.0.0.1/localhost.
OAUTH2_PROVIDER = {**OAUTH2_PROVIDER, "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"]}  # noqa: F405

# --- Embedded tasks and caches (no REDIS_URL): worker process and shared caches --------------------------
if not REDIS_URL:
    vars().update(embedded_settings(env, VAR_DIR, CACHES))
