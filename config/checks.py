"""Laurel's own deployment checks, run by `manage.py check --deploy` beside Django's.

Django's deploy checks know nothing of what Laurel needs in production: an encryption key for issuers'
signing keys that does not hang on DJANGO_SECRET_KEY, PostgreSQL rather than SQLite, a real broker and
workers rather than tasks run in the web process, a host list without `*`, and an https BASE_URL (it is
written into every credential issued and cannot change afterwards). Each is a warning with a `laurel.W…`
id, so `check --deploy --fail-level WARNING` fails a deployment that misses one.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

W001 = Warning(
    "SIGNING_KEY_ENCRYPTION_KEYS is not set: issuers' private signing keys are encrypted with a key derived "
    "from DJANGO_SECRET_KEY, so changing the secret key without keeping the old one in "
    "DJANGO_SECRET_KEY_FALLBACKS makes every signing key unreadable.",
    hint='Set SIGNING_KEY_ENCRYPTION_KEYS to a Fernet key: python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())". Keys stored before stay readable.',
    id="laurel.W001",
)
W002 = Warning(
    "The database is SQLite: production needs PostgreSQL (concurrent workers, bulk issuing).",
    hint="Set DATABASE_URL=postgres://user:password@host:5432/laurel.",
    id="laurel.W002",
)
W003 = Warning(
    "No task broker: tasks (claim emails, baked images, PDFs, bulk jobs) run inside the web process.",
    hint="Set REDIS_URL (or CELERY_BROKER_URL) to Redis, leave CELERY_TASK_ALWAYS_EAGER unset, and run "
    "`celery -A config worker` and `celery -A config beat`.",
    id="laurel.W003",
)
W004 = Warning(
    "DJANGO_ALLOWED_HOSTS contains '*': any Host header is accepted, so links built from the request "
    "(password resets, sign-up confirmations) can point to another site.",
    hint="List the host names the site answers to, e.g. DJANGO_ALLOWED_HOSTS=laurel.example.org.",
    id="laurel.W004",
)
W005 = Warning(
    "BASE_URL is not https: it is written into every credential issued (ids, verification links, QR codes) "
    "and cannot change afterwards.",
    hint="Set BASE_URL=https://your.host before issuing anything.",
    id="laurel.W005",
)
W006 = Warning(
    "Files are stored on local disk (STORAGE_BACKEND=filesystem): a second web process or worker on another "
    "machine would not see the PDFs, baked images and learners' evidence this one wrote.",
    hint="Set AWS_STORAGE_BUCKET_NAME (and AWS_S3_ENDPOINT_URL, the AWS_* credentials) for S3-compatible object "
    "storage; see .env.example.",
    id="laurel.W006",
)


@register(Tags.security)
def check_encryption_keys_are_fernet_keys(app_configs, **kwargs):
    """A malformed key would only show when the first credential is signed: say so at start-up instead."""
    from cryptography.fernet import Fernet

    for position, key in enumerate(settings.SIGNING_KEY_ENCRYPTION_KEYS, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            return [
                Error(
                    f"SIGNING_KEY_ENCRYPTION_KEYS: key {position} is not a Fernet key (32 url-safe base64 bytes).",
                    hint='Make one with python -c "from cryptography.fernet import Fernet; '
                    'print(Fernet.generate_key().decode())".',
                    id="laurel.E001",
                )
            ]
    return []


@register(Tags.security, deploy=True)
def check_signing_key_encryption(app_configs, **kwargs):
    return [] if settings.SIGNING_KEY_ENCRYPTION_KEYS else [W001]


@register(Tags.security, deploy=True)
def check_database(app_configs, **kwargs):
    engines = {db["ENGINE"] for db in settings.DATABASES.values()}
    return [W002] if any("sqlite" in engine for engine in engines) else []


@register(Tags.security, deploy=True)
def check_broker(app_configs, **kwargs):
    broker = str(getattr(settings, "CELERY_BROKER_URL", "") or "")
    if not broker or broker.startswith("memory://") or getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return [W003]
    return []


@register(Tags.security, deploy=True)
def check_allowed_hosts(app_configs, **kwargs):
    return [W004] if "*" in settings.ALLOWED_HOSTS else []


@register(Tags.security, deploy=True)
def check_base_url(app_configs, **kwargs):
    return [] if urlsplit(settings.BASE_URL).scheme == "https" else [W005]


@register(Tags.security, deploy=True)
def check_storage(app_configs, **kwargs):
    on_disk = {"django.core.files.storage.FileSystemStorage", "django.core.files.storage.filesystem.FileSystemStorage"}
    return [W006] if settings.STORAGES.get("default", {}).get("BACKEND") in on_disk else []
