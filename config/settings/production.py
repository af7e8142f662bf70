"""Production: PostgreSQL, Redis, object storage; configured only by environment variables."""

from .base import *  # noqa: F403
from .base import LOG_LEVEL, STORAGES, env
from .observability import log_format, logging_config

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")  # no default: refuse to start without one
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind one proxy of ours (as SECURE_PROXY_SSL_HEADER assumes): the client IP for abuse limits is the address
# it saw, the last one in X-Forwarded-For. More proxies: set the number; none (gunicorn exposed): 0.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]  # probes and the scraper ask over plain http
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_URL = env("EMAIL_URL")  # required: production sends real mail

# One JSON object per log line unless LOG_FORMAT=text (config/settings/observability.py).
LOG_FORMAT = log_format(env, default="json")
LOGGING = logging_config(level=LOG_LEVEL, fmt=LOG_FORMAT)
