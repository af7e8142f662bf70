"""Settings shared by every deployment. Everything comes from environment variables (see .env.example)."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from . import observability as _observability
from . import storage as _storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

# --- Core ---------------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default=None)
# Previous secret keys (comma-separated), still accepted for signed links and sessions and, when
# SIGNING_KEY_ENCRYPTION_KEYS is unset, for reading issuers' signing keys: rotate DJANGO_SECRET_KEY by
# moving the old value here.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])

# Public origin used in every credential URL (Open Badges ids, verification links, QR codes).
BASE_URL = env("BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
_base = urlsplit(BASE_URL)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[_base.hostname or "127.0.0.1", "localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[f"{_base.scheme}://{_base.netloc}"])

INSTALLED_APPS = [
    "config.apps.StaffAdminConfig",  # django.contrib.admin; its "view on site" shortcut needs a permission
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files for /api/docs/, served by us (no CDN)
    "audit",
    "multilingual",
    "frameworks",
    "programmes",
    "credentials",
    "outbox",
    "exchange",
    "events",
    "staff",
    "wallets",
    "api",
    "obapi",
    "oauth2_provider",
    "surveys",
    "analytics",
    "webhooks",
    "communities",
    "organisations",
    "applications",
    "stacking",
    "allauth",
    "allauth.account",
    "demo",
    "config",  # Laurel's deploy checks (config/checks.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.PageCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "config.throttle.ThrottleMiddleware",
    "analytics.tracking.ClaimLinkMiddleware",  # counts followed claim links in the cache (no query)
]
# Frames are refused everywhere (X-Frame-Options: DENY) except the embeddable credential widget
# (/embed/<public_id>/, wallets.views.embed), which opts out explicitly.
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy of every HTML page (django-csp; config/csp.py has the stricter ones of the embed,
# SVG images, uploaded files and the certificate preview). No inline script, handler or style anywhere:
# tests/security/test_csp.py fails a page that has one. data: images: QR codes and SVG data URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "config.urls"
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"  # a branded page that says what to do (templates/403_csrf.html)
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "staff.context.chrome",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'laurel.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves concurrent requests from threads: write-ahead logging lets readers go on while
    # one transaction writes; IMMEDIATE transactions take the write lock at BEGIN, so two transactions never both
    # read and then both try to write (SQLite would answer one of them "database is locked" at once, without
    # waiting); the busy timeout makes a writer wait for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The analytics buffer (verification-page views, claim-email opens and clicks, counted without a query and
# flushed into the database: analytics/buffer.py). Redis in production; in the embedded default a directory,
# so that management commands (analytics_report) see what the server counted.
if REDIS_URL:
    CACHES["analytics"] = {**CACHES["default"], "KEY_PREFIX": "laurel-analytics"}
else:
    CACHES["analytics"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env("ANALYTICS_CACHE_DIR", default=str(VAR_DIR / "cache" / "analytics")),
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    }
# Verification pages and status list credentials (credentials/verification/page_cache.py), shared by every
# process: Redis in production; in the embedded default a directory (the server and a separate worker both
# revoke and expire awards, so a cache per process would serve stale pages).
if REDIS_URL:
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "laurel-pages"}
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env("PAGE_CACHE_DIR", default=str(VAR_DIR / "cache" / "pages")),
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
# How long a page is kept at most (changes invalidate it at once; expiry is checked at serve time).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=3600)
# How long a browser may show a verification page before it revalidates (ETag → 304).
PAGE_CACHE_BROWSER_SECONDS = env.int("PAGE_CACHE_BROWSER_SECONDS", default=30)
# How long verifiers and caches on the way may keep a status list credential before they revalidate.
STATUS_LIST_BROWSER_SECONDS = env.int("STATUS_LIST_BROWSER_SECONDS", default=60)
# Change to render every cached page again after a deploy that changes Python code the pages depend on
# (templates, translations and static files are noticed without it).
PAGE_CACHE_VERSION = env("PAGE_CACHE_VERSION", default="")
# A view that does nothing, with every middleware, at /bench/noop: the baseline of benchmarks/verification.py.
BENCHMARK_VIEWS = env.bool("BENCHMARK_VIEWS", default=False)
DEMO_HISTORY_AWARDS = env.int("DEMO_HISTORY_AWARDS", default=3000)  # load_demo's two years of history
# Without beat (embedded default) the analytics pages flush the buffer and refresh rollups at most this often.
ANALYTICS_CATCH_UP_SECONDS = env.int("ANALYTICS_CATCH_UP_SECONDS", default=60)
# On Redis, a web process sends the views it counted at most this often, in one round trip (analytics/buffer.py);
# 0 sends each at once. A process killed outright loses at most this much counting.
ANALYTICS_BATCH_SECONDS = env.float("ANALYTICS_BATCH_SECONDS", default=1.0)

# --- Tasks --------------------------------------------------------------------------------------
# Without a broker tasks run in-process, right after the transaction commits; the embedded default's worker and
# folder queue (`make run`) are set in config/settings/embedded.py.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Three queues, named after the default one. A worker started without -Q consumes all three, always from
# the first non-empty one in this order ("priority" order strategy): issuing, baked images and claim emails
# first, then sending, then PDFs, so a bulk job's slow PDFs never hold up its awards and emails. Dedicated
# workers can take one queue each (`celery -A config worker -Q <default>.documents`).
_MAIL_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}.mail"
_DOCUMENTS_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}.documents"
CELERY_TASK_QUEUES = [
    Queue(CELERY_TASK_DEFAULT_QUEUE, routing_key=CELERY_TASK_DEFAULT_QUEUE),
    Queue(_MAIL_QUEUE, routing_key=_MAIL_QUEUE),
    Queue(_DOCUMENTS_QUEUE, routing_key=_DOCUMENTS_QUEUE),
]
# The outbox tasks (outbox/tasks.py) and the claim email tasks (credentials/tasks.py) keep the names they had
# in credentials/mail_tasks.py.
CELERY_TASK_ROUTES = {
    "credentials.mail_tasks.outbox_send": {"queue": _MAIL_QUEUE},
    "credentials.mail_tasks.outbox_send_many": {"queue": _MAIL_QUEUE},
    "credentials.tasks.awards_render_pdfs": {"queue": _DOCUMENTS_QUEUE},
}
# With Redis, a task taken by a worker that dies comes back after this many seconds (keep it above the
# longest task time limit).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "queue_order_strategy": "priority",
}
CELERY_BEAT_SCHEDULE = {
    "claim-reminders": {"task": "credentials.mail_tasks.claim_reminders", "schedule": crontab(hour=9, minute=0)},
    "outbox-flush": {"task": "credentials.mail_tasks.outbox_flush", "schedule": 600.0},
    "expire-credentials": {"task": "credentials.tasks.awards_expire", "schedule": crontab(hour=2, minute=30)},
    "api-idempotency-purge": {"task": "api.tasks.idempotent_requests_purge", "schedule": crontab(hour=3, minute=15)},
    "analytics-catch-up": {"task": "analytics.tasks.analytics_catch_up", "schedule": 300.0},
    "analytics-rebuild": {"task": "analytics.tasks.analytics_rebuild", "schedule": crontab(hour=3, minute=45)},
    "surveys-send": {"task": "surveys.tasks.surveys_send_due", "schedule": crontab(hour=10, minute=0)},
    "communities-reminders": {
        "task": "communities.tasks.renewal_reminders_send",
        "schedule": crontab(hour=8, minute=30),
    },
    "communities-lapse": {"task": "communities.tasks.memberships_lapse", "schedule": crontab(hour=2, minute=45)},
}

# --- Mail ---------------------------------------------------------------------------------------
if env("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    if _email["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend":
        _email["EMAIL_BACKEND"] = "config.mail.StderrConsoleEmailBackend"  # stdout is for commands' output
    vars().update(_email)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Laurel <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Files --------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))

# Local disk or S3-compatible object storage (config/settings/storage.py: STORAGE_BACKEND, AWS_*).
STORAGE_BACKEND = _storage.storage_backend(env)
STORAGES = _storage.storages(env, backend=STORAGE_BACKEND)

# --- Credentials --------------------------------------------------------------------------------
# Fernet keys (comma-separated, newest first) encrypting issuers' private signing keys at rest.
# Unset: derived from DJANGO_SECRET_KEY (and DJANGO_SECRET_KEY_FALLBACKS): then a secret key changed without
# keeping the old one as a fallback makes stored keys unreadable. `check --deploy` warns (laurel.W001).
SIGNING_KEY_ENCRYPTION_KEYS = env.list("SIGNING_KEY_ENCRYPTION_KEYS", default=[])
# Hosts the "verify anything" page and imports may fetch from even if they resolve to private addresses
# (tests, intranets). Matched on the host the connection is really made to (credentials/fetch.py).
FETCH_ALLOWED_HOSTS = env.list("FETCH_ALLOWED_HOSTS", default=[])
# Days a claim link stays valid.
CLAIM_TOKEN_DAYS = env.int("CLAIM_TOKEN_DAYS", default=90)
# Days after issue (or after the claim email, if later) to remind recipients who have not accepted or declined;
# comma-separated, empty = no reminders.
CLAIM_REMINDER_DAYS = env.list("CLAIM_REMINDER_DAYS", cast=int, default=[7, 30])
# Seconds to wait for the SMTP server (the outbox task's soft time limit is 60).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Minutes a wallet exchange link (QR / deep link) and its DID-authentication challenge stay valid.
EXCHANGE_LINK_MINUTES = env.int("EXCHANGE_LINK_MINUTES", default=30)
EXCHANGE_CHALLENGE_MINUTES = env.int("EXCHANGE_CHALLENGE_MINUTES", default=10)

# --- Learner accounts and wallet (django-allauth) -----------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # staff console (username)
    "allauth.account.auth_backends.AuthenticationBackend",  # learners (email)
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "wallets:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True  # an address belongs to one account: its credentials land in one wallet
ACCOUNT_CHANGE_EMAIL = False  # False = several addresses per account (each verified separately)
ACCOUNT_MAX_EMAIL_ADDRESSES = env.int("ACCOUNT_MAX_EMAIL_ADDRESSES", default=10)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Hours a sign-up confirmation link also signs the new learner in when opened in another browser than the sign-up
# (a phone's mail app); 0: only in the sign-up's own browser, as allauth does (wallets/accounts.py).
LOGIN_ON_EMAIL_CONFIRMATION_HOURS = env.int("LOGIN_ON_EMAIL_CONFIRMATION_HOURS", default=24)
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Laurel] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = _base.scheme or "https"
# Learners' private files (evidence, imported badge images): never under MEDIA_URL, served by a view that
# checks permission. With STORAGE_BACKEND=s3 they go to the same bucket under private/ (private ACL).
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
# Days the confirmation link emailed to an event attendee (events app) stays valid.
EVENT_CONFIRM_DAYS = env.int("EVENT_CONFIRM_DAYS", default=7)
# Days a community invitation link stays valid.
COMMUNITY_INVITE_DAYS = env.int("COMMUNITY_INVITE_DAYS", default=14)
ORGANISATION_INVITE_DAYS = env.int("ORGANISATION_INVITE_DAYS", default=14)
# Days the link emailed to a learner's nominated assessor or mentor stays valid (applications app).
APPLICATION_REVIEW_DAYS = env.int("APPLICATION_REVIEW_DAYS", default=30)
# Days an endorsement request link stays valid.
ENDORSEMENT_TOKEN_DAYS = env.int("ENDORSEMENT_TOKEN_DAYS", default=30)
# Endorsement requests a learner may send per 24 hours (spam brake).
ENDORSEMENT_REQUESTS_PER_DAY = env.int("ENDORSEMENT_REQUESTS_PER_DAY", default=20)

# --- Abuse limits (config/throttle.py) -----------------------------------------------------------
# Counted in the cache (Redis in production; a folder shared by its processes in the embedded default). A rate is
# "<count>/<window>", the window in s, m, h or d with an optional multiplier ("5/15m" = 5 per 15 minutes); an
# empty value turns that limit off. The client IP is REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies of ours
# the address the outermost one saw in X-Forwarded-For (production settings assume one proxy).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_ADAPTER = "config.throttle.AccountAdapter"  # allauth's limits use the same client IP
RATE_LIMITS = {
    # failed staff sign-ins at /admin/login/, per client IP and per username; then even the right password waits
    "staff_login_failures_ip": env("RATE_LIMIT_STAFF_LOGIN_FAILURES_IP", default="20/15m"),
    "staff_login_failures_account": env("RATE_LIMIT_STAFF_LOGIN_FAILURES_ACCOUNT", default="5/15m"),
    # unknown event codes typed or opened (/events/, /events/<code>/), per client IP (a venue shares one IP)
    "event_code_misses_ip": env("RATE_LIMIT_EVENT_CODE_MISSES_IP", default="30/10m"),
    # event claim form posts (each may send a confirmation email), per client IP and per address they name
    "event_claim_ip": env("RATE_LIMIT_EVENT_CLAIM_IP", default="100/h"),
    "event_claim_email": env("RATE_LIMIT_EVENT_CLAIM_EMAIL", default="5/h"),
    # "verify anything": the page's posts and /api/verify, per client IP (each may fetch a URL)
    "verify_ip": env("RATE_LIMIT_VERIFY_IP", default="30/10m"),
    "api_verify_ip": env("RATE_LIMIT_API_VERIFY_IP", default="60/10m"),
    # endorsement requests, per client IP (each learner also has ENDORSEMENT_REQUESTS_PER_DAY)
    "endorsement_request_ip": env("RATE_LIMIT_ENDORSEMENT_REQUEST_IP", default="30/h"),
    # Open Badges 3.0 API client registrations (POST /ims/ob/v3p0/register), per client IP
    "ob_api_register_ip": env("RATE_LIMIT_OB_API_REGISTER_IP", default="20/h"),
}
# Learner accounts: allauth's own limits, per client IP and per address ("key"), answered by the same 429 page.
# Failed sign-ins lock one address after 5 in 15 minutes, and a connection after 20 in 5 minutes (a venue or an
# office shares one address, so that one is wider); sign-ups per IP.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("ACCOUNT_RATE_LIMIT_LOGIN_FAILED", default="20/5m/ip,5/15m/key"),
    "signup": env("ACCOUNT_RATE_LIMIT_SIGNUP", default="20/h/ip"),
}
# A cache that cannot count refuses nobody (config.throttle logs it). django-ratelimit is used as a library, not
# an installed app: its system checks reject the local memory cache and Django's built-in Redis cache.
RATELIMIT_FAIL_OPEN = True

# --- People and language ------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Laurel API",
    "VERSION": "1",
    "DESCRIPTION": (
        "Issue, revoke and follow credentials from other systems. Authenticate with an API key of one programme "
        "and role: `Authorization: Bearer laurel_…` (manage.py api_key_create). Errors are RFC 9457 problem "
        "details; POSTs accept an `Idempotency-Key` header; lists use cursor pagination (`next`, `previous`). "
        "See docs/integrations.md."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "AwardStateEnum": "credentials.models.Award.State",
        "BulkJobStateEnum": "credentials.models.BulkJob.State",
    },
}
# API v1 (api app): requests per API key (or signed-in account), and per address on public endpoints.
API_RATE = env("API_RATE", default="600/min")
API_PUBLIC_RATE = env("API_PUBLIC_RATE", default="60/min")

# --- 1EdTech Open Badges 3.0 API (obapi, django-oauth-toolkit) ----------------------------------------------
# Authorization code with PKCE (S256) only; the standard's four scopes, each client limited to those it
# registered (obapi.scopes.RegisteredScopes). Redirect URIs: https, or http on 127.0.0.1/localhost
# (checked at registration, obapi.services.client_register).
OAUTH2_PROVIDER = {
    "PKCE_REQUIRED": True,
    # https only; test and development settings add http for loopback (127.0.0.1/localhost) redirect URIs.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "SCOPES_BACKEND_CLASS": "obapi.scopes.RegisteredScopes",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("OB_API_ACCESS_TOKEN_SECONDS", default=3600),
    "REFRESH_TOKEN_EXPIRE_SECONDS": env.int("OB_API_REFRESH_TOKEN_DAYS", default=90) * 86400,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 300,
    "ROTATE_REFRESH_TOKEN": True,
    "OAUTH2_VALIDATOR_CLASS": "oauth2_provider.oauth2_validators.OAuth2Validator",
    # RFC 9700 (OAuth 2.0 Security BCP): no implicit or password grant, S256 only, tokens never in the URL.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"  # named for obapi's migration
# Page size of getCredentials when the client names no `limit`, and the largest it may name.
OB_API_PAGE_SIZE = env.int("OB_API_PAGE_SIZE", default=50)
OB_API_MAX_PAGE_SIZE = 200

# --- Observability (config/settings/observability.py, config/observability/) ----------------------------------
# Kept last: it wraps MIDDLEWARE and CACHES as every section above left them.
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
# text (default here) or json (default in production): one JSON object per line, with the request id.
LOG_FORMAT = _observability.log_format(env, default="text")
LOGGING = _observability.logging_config(level=LOG_LEVEL, fmt=LOG_FORMAT)
# Keep an incoming X-Request-ID (set by our proxy)? Unset: yes when TRUSTED_PROXY_COUNT > 0.
REQUEST_ID_FROM_PROXY = _observability.optional(env, "REQUEST_ID_FROM_PROXY", env.bool)
# /metrics answers only this bearer token or these client addresses/networks; neither set: a 404 for everyone.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
# A machine with Celery workers and no web process: its workers' main process answers /metrics on this port.
WORKER_METRICS_PORT = _observability.optional(env, "WORKER_METRICS_PORT", env.int)
WORKER_METRICS_ADDR = env("WORKER_METRICS_ADDR", default="127.0.0.1")
MIDDLEWARE = _observability.middleware(MIDDLEWARE)
CACHES = _observability.instrument_caches(CACHES)
# Errors to Sentry when SENTRY_DSN is set (Django and Celery integrations, no personal data).
SENTRY_ENABLED = _observability.init_sentry(env)
