"""Embedded default: SQLite, tasks in-process, mail to files in var/mail, media on disk."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-secret-1f9c2e7a5b")

VAR_DIR.mkdir(exist_ok=True)

# Open Badges 3.0 API clients on this machine: http redirect URIs on 127.0.0.1/localhost.
OAUTH2_PROVIDER = {**OAUTH2_PROVIDER, "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"]}  # noqa: F405
