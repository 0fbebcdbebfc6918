"""Settings for coproseries.

Every deploy-specific value comes from the environment (see `.env.example`) with a safe
default for local use. With DJANGO_DEBUG=0 the defaults become production-safe and a secret
key is required.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    # Only for local development: never used once DEBUG is off.
    SECRET_KEY = "django-insecure-local-development-only-key-0123456789-abcdefghijklmnop"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else ""
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "coproseries.admin.OrganisersAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "people",
    # Before mailer: its `send_mail` command replaces django-mailer's (coproseries/mailqueue.py).
    "seminars",
    "mailer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # An ETag on every page, and 304 for a client that already has it.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees a view's database errors first.
    "coproseries.health.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "coproseries.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coproseries.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "coproseries.wsgi.application"
ASGI_APPLICATION = "coproseries.asgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes every transaction take SQLite's write lock when it begins, so that
    # two registrations for the last place are serialised instead of both reading "1 left".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # Tests use a file, not SQLite's shared in-memory database, whose table locks fail at
    # once instead of waiting: concurrent registrations are then tested as they really run.
    DATABASES["default"].setdefault("TEST", {}).setdefault(
        "NAME", str(BASE_DIR / "test-db.sqlite3")
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "people:profile"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# One cache shared by every process of every host (rate limits, the page cache): Redis when
# REDIS_URL is set, else the database (a table made by `migrate`). While Redis is away the
# database stands in for it (coproseries/cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
DATABASE_CACHE = {
    "BACKEND": "coproseries.cache.DatabaseCache",
    "LOCATION": "coproseries_cache",
    # Rate limits live here too: room enough that page entries never push them out.
    "OPTIONS": {"MAX_ENTRIES": 20000},
}
CACHES = {
    "default": (
        {
            "BACKEND": "coproseries.cache.RedisWithFallbackCache",
            "LOCATION": REDIS_URL,
            "FALLBACK": "database",
            "RETRY_SECONDS": 10,
            # A Redis that is down or unreachable must cost a request a moment, not seconds.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
        if REDIS_URL
        else DATABASE_CACHE
    ),
    "database": DATABASE_CACHE,
}

# Every email is queued in the database by django-mailer, so an SMTP outage loses nothing;
# `manage.py send_mail` (run from cron) hands the queue to the backend below.
EMAIL_BACKEND = "mailer.backend.DbBackend"
MAILER_EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
# Seconds before a mail server that does not answer fails the message (deferred, retried).
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
# No lock file, which a killed run would leave behind: row locks on PostgreSQL, a lock that
# dies with its process on SQLite (coproseries/mailqueue.py).
MAILER_USE_FILE_LOCK = False
# `retry_deferred` puts a refused message back in the queue this many times at most, so one
# bad address cannot loop for ever (72 runs 20 minutes apart: a day).
MAILER_EMAIL_MAX_RETRIES = int(os.environ.get("DJANGO_EMAIL_MAX_RETRIES", "72"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "seminars@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Where links in emails point: the public address of the site, without a trailing slash.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Registration POSTs allowed per client address in a window of seconds.
REGISTRATION_RATE_LIMIT = int(os.environ.get("DJANGO_REGISTRATION_RATE_LIMIT", "10"))
REGISTRATION_RATE_WINDOW = int(os.environ.get("DJANGO_REGISTRATION_RATE_WINDOW", "600"))
# How long an anonymous visitor's page may be served from the cache (coproseries/pagecache.py);
# edits empty it at once. 0 turns the page cache off.
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "60"))
# Failed logins (and password reset requests) allowed per client address and per email, on
# the speakers' login and the organisers' admin login alike.
LOGIN_RATE_LIMIT = int(os.environ.get("DJANGO_LOGIN_RATE_LIMIT", "10"))
LOGIN_RATE_WINDOW = int(os.environ.get("DJANGO_LOGIN_RATE_WINDOW", "900"))
# Days before a seminar that `send_reminders` reminds confirmed registrants.
REMINDER_DAYS_BEFORE = int(os.environ.get("DJANGO_REMINDER_DAYS_BEFORE", "2"))
# Days after a seminar ends that `purge_registrations` erases registrants' personal details.
REGISTRATION_PURGE_DAYS = int(os.environ.get("DJANGO_REGISTRATION_PURGE_DAYS", "90"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Production-safe defaults once DEBUG is off; each can still be set from the environment.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers often check health over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY", False) else None
)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp) on every response: scripts, styles, fonts and images
# come from this site only, and no script runs inline. The public pages run no script at all;
# the admin's scripts are files. Bootstrap draws form controls with data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Logs go to stdout for the platform to collect: one JSON object a line (`json`, the default
# once DEBUG is off) or plain lines (`text`, the default for local use). Either way the
# secrets in private links are masked (coproseries/logs.py).
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("DJANGO_LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_secrets": {"()": "coproseries.logs.MaskSecretsFilter"}},
    "formatters": {
        "json": {"()": "coproseries.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["mask_secrets"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own loggers propagate to the root, once, through the masking handler.
        "django": {"handlers": [], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # django-mailer names each message's recipients and subject at INFO: not in our logs.
        "mailer": {"handlers": [], "level": "WARNING"},
    },
}
