"""Embedded default: SQLite, tasks in-process, mail to files in var/mail, media on disk."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-secret-1f9c2e7a5b")

VAR_DIR.mkdir(exist_ok=True)
