"""Settings for coproseries.

Every deploy-specific value comes from the environment (see `.env.example`) with a safe
default for local use. DEBUG is off unless DJANGO_DEBUG=1 says otherwise (`make run` and the
test suite do), so a deployment that forgets it is production-safe, and then a secret key is
required.
"""

import os
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

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


def s3_storage_options(environ):
    """django-storages' S3 options from DJANGO_S3_* variables, plus the public URL of the
    media and its origin.

    Photos are public: their URLs are plain (no signature), under DJANGO_S3_PUBLIC_URL when
    a CDN or custom domain serves the bucket, else the endpoint's path-style URL, else AWS's.
    """
    bucket = environ.get("DJANGO_S3_BUCKET", "")
    if not bucket:
        raise ImproperlyConfigured("DJANGO_S3_BUCKET is required when DJANGO_MEDIA_STORAGE=s3.")
    region = environ.get("DJANGO_S3_REGION", "") or "eu-west-2"
    endpoint = environ.get("DJANGO_S3_ENDPOINT_URL", "").rstrip("/")
    public_url = environ.get("DJANGO_S3_PUBLIC_URL", "").rstrip("/") or (
        f"{endpoint}/{bucket}" if endpoint else f"https://{bucket}.s3.{region}.amazonaws.com"
    )
    public = urlsplit(public_url)
    if public.scheme not in {"http", "https"} or not public.netloc:
        raise ImproperlyConfigured("DJANGO_S3_PUBLIC_URL must be an http(s) URL.")
    location = environ.get("DJANGO_S3_LOCATION", "media").strip("/")
    return {
        "bucket_name": bucket,
        "region_name": region,
        "endpoint_url": endpoint or None,
        "access_key": environ.get("DJANGO_S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("DJANGO_S3_SECRET_ACCESS_KEY") or None,
        "location": location,
        "custom_domain": f"{public.netloc}{public.path}",
        "url_protocol": f"{public.scheme}:",
        "querystring_auth": False,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "max-age=604800"},
        "public_url": f"{public_url}/{location}/" if location else f"{public_url}/",
        "origin": f"{public.scheme}://{public.netloc}",
    }


def s3_private_storage_options(environ):
    """django-storages' S3 options for private files (receipts): the media bucket's
    credentials, a prefix of their own (DJANGO_S3_PRIVATE_LOCATION, default `private`) or a
    bucket of their own (DJANGO_S3_PRIVATE_BUCKET), a private ACL on every object, and no
    public URL. The public-read policy of the photos must not reach them: in one bucket, the
    two prefixes must be apart."""
    public_bucket = environ.get("DJANGO_S3_BUCKET", "")
    bucket = environ.get("DJANGO_S3_PRIVATE_BUCKET", "") or public_bucket
    if not bucket:
        raise ImproperlyConfigured("DJANGO_S3_BUCKET is required when DJANGO_MEDIA_STORAGE=s3.")
    location = environ.get("DJANGO_S3_PRIVATE_LOCATION", "private").strip("/")
    public_location = environ.get("DJANGO_S3_LOCATION", "media").strip("/")
    if bucket == public_bucket and (
        not location
        or not public_location
        or f"{location}/".startswith(f"{public_location}/")
        or f"{public_location}/".startswith(f"{location}/")
    ):
        raise ImproperlyConfigured(
            "DJANGO_S3_PRIVATE_LOCATION must be a prefix apart from DJANGO_S3_LOCATION (the "
            "public photos), or set DJANGO_S3_PRIVATE_BUCKET: receipts must never be public."
        )
    endpoint = environ.get("DJANGO_S3_ENDPOINT_URL", "").rstrip("/")
    return {
        "bucket_name": bucket,
        "region_name": environ.get("DJANGO_S3_REGION", "") or "eu-west-2",
        "endpoint_url": endpoint or None,
        "access_key": environ.get("DJANGO_S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("DJANGO_S3_SECRET_ACCESS_KEY") or None,
        "location": location,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "private, no-store"},
    }


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. Set it to a long random "
            'value (python -c "import secrets; print(secrets.token_urlsafe(50))"), or set '
            "DJANGO_DEBUG=1 for local development only."
        )
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
    # Django's own form templates, found by the template engine (FORM_RENDERER below).
    "django.forms",
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
    # An ETag on every page, and 304 for a client that already has it (GET and HEAD), and
    # a Cache-Control on every response.
    "coproseries.pagecache.HttpCachingMiddleware",
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

# Widgets render through the template engine, so that templates/ can override a form template
# of Django's (the admin's date and time fields labelled, templates/admin/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
# Speakers' photos: on this machine's disk (`filesystem`, one host) or in an S3-compatible
# bucket (`s3`) that every app host writes to and browsers read from directly.
MEDIA_STORAGE = os.environ.get("DJANGO_MEDIA_STORAGE", "filesystem")
# The origin photos are served from when it is not the site's own (for img-src in the CSP).
MEDIA_ORIGIN = ""
# Private files (contributors' receipts): never under MEDIA_ROOT or MEDIA_URL; on S3 under
# a prefix or bucket of their own with a private ACL (coproseries/storage.py).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT") or BASE_DIR / "private")
if MEDIA_STORAGE == "s3":
    MEDIA_STORAGE_OPTIONS = s3_storage_options(os.environ)
    MEDIA_URL = MEDIA_STORAGE_OPTIONS.pop("public_url")
    MEDIA_ORIGIN = MEDIA_STORAGE_OPTIONS.pop("origin")
    MEDIA_BACKEND = "storages.backends.s3.S3Storage"
    PRIVATE_STORAGE = {
        "BACKEND": "coproseries.storage.PrivateS3Storage",
        "OPTIONS": s3_private_storage_options(os.environ),
    }
elif MEDIA_STORAGE == "filesystem":
    MEDIA_STORAGE_OPTIONS = {}
    MEDIA_BACKEND = "django.core.files.storage.FileSystemStorage"
    if PRIVATE_MEDIA_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
        raise ImproperlyConfigured(
            "DJANGO_PRIVATE_MEDIA_ROOT must not be inside DJANGO_MEDIA_ROOT, which is served "
            "publicly: receipts must never be public."
        )
    PRIVATE_STORAGE = {"BACKEND": "coproseries.storage.PrivateFileSystemStorage"}
else:
    raise ImproperlyConfigured("DJANGO_MEDIA_STORAGE must be filesystem or s3.")
STORAGES = {
    "default": {"BACKEND": MEDIA_BACKEND, "OPTIONS": MEDIA_STORAGE_OPTIONS},
    "private": PRIVATE_STORAGE,
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
# The name shown beside that address in From, and as the ORGANIZER of calendar events; empty
# means the series' title.
DEFAULT_FROM_NAME = os.environ.get("DJANGO_DEFAULT_FROM_NAME", "").strip()
# Used where the series' own name and contact address cannot be read (no series yet, or the
# 500 page, which must not need the database). The series' fields win when set.
SITE_NAME = os.environ.get("DJANGO_SITE_NAME", "Co-production seminars").strip()
ORGANISERS_EMAIL = (
    os.environ.get("DJANGO_ORGANISERS_EMAIL", "").strip() or (parseaddr(DEFAULT_FROM_EMAIL)[1])
)

# Where links in emails point: the public address of the site, without a trailing slash.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Registration POSTs allowed per client address in a window of seconds.
REGISTRATION_RATE_LIMIT = int(os.environ.get("DJANGO_REGISTRATION_RATE_LIMIT", "10"))
REGISTRATION_RATE_WINDOW = int(os.environ.get("DJANGO_REGISTRATION_RATE_WINDOW", "600"))
# The page cache (coproseries/pagecache.py): every public page is rendered once and served
# to every visitor until what it shows is edited. Off (0) only to measure or debug.
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", True)
# How long browsers and proxies may keep an anonymous visitor's public page (its places
# left may be that old there). 0: they may not.
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "60"))
# Failed logins in a window of seconds, on the speakers' login and the organisers' admin login
# alike: per client address and email together, per client address whatever the email, and per
# email from everywhere. The last is high so that a stranger cannot lock an organiser out with
# a few wrong passwords; it only stops a guessing attack spread over many addresses.
LOGIN_RATE_LIMIT = int(os.environ.get("DJANGO_LOGIN_RATE_LIMIT", "10"))
LOGIN_ADDRESS_RATE_LIMIT = int(os.environ.get("DJANGO_LOGIN_ADDRESS_RATE_LIMIT", "30"))
LOGIN_EMAIL_RATE_LIMIT = int(os.environ.get("DJANGO_LOGIN_EMAIL_RATE_LIMIT", "100"))
LOGIN_RATE_WINDOW = int(os.environ.get("DJANGO_LOGIN_RATE_WINDOW", "900"))
# Password reset requests in the login window: LOGIN_RATE_LIMIT per client address, and this
# many per email address, so no one can flood a person's inbox with reset emails.
PASSWORD_RESET_EMAIL_RATE_LIMIT = int(os.environ.get("DJANGO_PASSWORD_RESET_EMAIL_RATE_LIMIT", "3"))
# New searches (those the page cache does not hold: the costliest public request) per client
# address in a window of seconds; and at most SEARCH_BURST_LIMIT of them in a shorter window,
# so that a client cannot spend its whole allowance in one go (ten clients doing so at once
# keep both cores of a small server busy for seconds).
SEARCH_RATE_LIMIT = int(os.environ.get("DJANGO_SEARCH_RATE_LIMIT", "30"))
SEARCH_RATE_WINDOW = int(os.environ.get("DJANGO_SEARCH_RATE_WINDOW", "60"))
SEARCH_BURST_LIMIT = int(os.environ.get("DJANGO_SEARCH_BURST_LIMIT", "5"))
SEARCH_BURST_WINDOW = int(os.environ.get("DJANGO_SEARCH_BURST_WINDOW", "10"))
# Days before a seminar that `send_reminders` reminds confirmed registrants.
REMINDER_DAYS_BEFORE = int(os.environ.get("DJANGO_REMINDER_DAYS_BEFORE", "2"))
# Days after a seminar ends that `purge_registrations` erases registrants' personal details.
REGISTRATION_PURGE_DAYS = int(os.environ.get("DJANGO_REGISTRATION_PURGE_DAYS", "90"))
# Days a subscription to new-seminar emails waits for its confirmation before
# `send_subscriber_notices` deletes it.
SUBSCRIPTION_CONFIRM_DAYS = int(os.environ.get("DJANGO_SUBSCRIPTION_CONFIRM_DAYS", "7"))
# Days the server's logs (access log, app log, mail log) are kept, as the privacy notice
# states: deploy/ trims the mail log after 30; rotate the others to match.
LOG_RETENTION_DAYS = int(os.environ.get("DJANGO_LOG_RETENTION_DAYS", "30"))
# Days after an expense claim is paid that `purge_receipts` deletes its receipt.
RECEIPT_RETENTION_DAYS = int(os.environ.get("DJANGO_RECEIPT_RETENTION_DAYS", "90"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Production-safe defaults once DEBUG is off; each can still be set from the environment.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers often check health over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# How many proxies in front of the site append the address they were reached from to
# X-Forwarded-For (nginx's $proxy_add_x_forwarded_for). Rate limits take the client's address
# that many entries from the right; everything further left is whatever the client sent.
# 0: no proxy, use the connection's own address (REMOTE_ADDR).
try:
    TRUSTED_PROXY_COUNT = int(
        os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "").strip() or ("1" if BEHIND_PROXY else "0")
    )
except ValueError:
    TRUSTED_PROXY_COUNT = -1
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXY_COUNT must be a whole number, 0 or more.")
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
        "img-src": [SELF, "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
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
        # Whatever DJANGO_LOG_LEVEL says, nothing about a person reaches the logs: at DEBUG,
        # SQL is logged with its parameters and a template's missing variable with the whole
        # context (a registration's name and needs); django-mailer logs each recipient at INFO.
        "django.db.backends": {"level": "INFO"},
        "django.template": {"level": "INFO"},
        "mailer": {"level": "WARNING"},
        # Drawing a certificate, fontTools logs the glyphs of the name at INFO, and fpdf2
        # the letters no font has at WARNING: letters of a person's name.
        "fontTools": {"level": "WARNING"},
        "fpdf": {"level": "ERROR"},
    },
}

# The log of sent mail keeps when and whether each message went, not a copy of it: a copy
# holds the registrant's address, name and private link for as long as the log is kept.
MAILER_EMAIL_LOG_MESSAGE_DATA = False
