"""Settings, all read from the environment (see .env.example for each variable).

Secure by default: with DEBUG off and only SECRET_KEY and ALLOWED_HOSTS set,
`manage.py check --deploy` is clean. Each hardening switch can be relaxed by its own
environment variable where a deployment needs it (for example TLS ended by a proxy).
"""

import importlib.util
import ipaddress
import secrets
import urllib.parse
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from dashboard.environment import env

BASE_DIR = Path(__file__).resolve().parent.parent

# A .env file beside manage.py is read if present; real environment variables win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Every value is checked as it is read (dashboard/environment.py): a mistake stops
# start-up with a message naming the variable and what it accepts.
DEBUG = env.boolean("DEBUG", default=False)

# Local state (the SQLite file, the development secret) lives in one ignored folder.
VAR_DIR = Path(env.string("VAR_DIR", default=str(BASE_DIR / "var")))


def _development_secret(name: str) -> str:
    """A random value made once per checkout, for local development only.

    Stored in VAR_DIR so that sessions survive restarts of `make run`.
    """
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / f"{name}.txt"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.string("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see .env.example). "
            "For local development set DEBUG=1 and a random key is made for you."
        )
    SECRET_KEY = _development_secret("secret_key")

# Access-key secrets are hashed with their own pepper, never SECRET_KEY: rotating the
# session-signing key must not invalidate every customer's credentials.
ACCESS_KEY_PEPPER = env.string("ACCESS_KEY_PEPPER")
if not ACCESS_KEY_PEPPER:
    if not DEBUG:
        raise ImproperlyConfigured(
            "ACCESS_KEY_PEPPER must be set when DEBUG is off (see .env.example). "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    ACCESS_KEY_PEPPER = _development_secret("access_key_pepper")
# Rotation (docs/operations.md, "Rotating secrets"): the old values, comma separated,
# newest first. Sessions and signed tokens made with a SECRET_KEY_FALLBACKS key still
# verify; access keys, platform tokens and invitations hashed with a fallback pepper
# still match, and keys and tokens are re-hashed with the current pepper on their next use.
SECRET_KEY_FALLBACKS = env.string_list("SECRET_KEY_FALLBACKS", default=[])
ACCESS_KEY_PEPPER_FALLBACKS = env.string_list("ACCESS_KEY_PEPPER_FALLBACKS", default=[])

# Networks of the reverse proxies in front of the app servers (e.g. 10.0.0.0/8). Only a
# request from one of them has its X-Forwarded-For read, for the client's address
# (core/client.py). Empty: the header is ignored, REMOTE_ADDR is the client.
TRUSTED_PROXIES = env.string_list("TRUSTED_PROXIES", default=[])

# Who may read /metrics (Prometheus): clients from these networks (client_address, so
# behind a proxy the real client), or a request with `Authorization: Bearer
# METRICS_TOKEN`. Both empty (the default): /metrics answers 404 to everyone.
METRICS_ALLOWED_NETWORKS = env.string_list("METRICS_ALLOWED_NETWORKS", default=[])
METRICS_TOKEN = env.string("METRICS_TOKEN")
for _name, _networks in (
    ("TRUSTED_PROXIES", TRUSTED_PROXIES),
    ("METRICS_ALLOWED_NETWORKS", METRICS_ALLOWED_NETWORKS),
):
    for _network in _networks:
        try:
            ipaddress.ip_network(_network, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{_name}: {_network!r} is not an address or network (e.g. 10.0.0.0/8)."
            ) from None

ALLOWED_HOSTS = env.string_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.string_list("CSRF_TRUSTED_ORIGINS", default=[])

# The apps, lowest layer first (pyproject.toml's import-linter contracts keep imports
# one way: an app imports only those above it in this list, never one below).
INSTALLED_APPS = [
    "core",
    "audit",
    "events",
    "accounts",
    "projects",
    "team",
    "usage",
    "billing",
    "webhooks",
    "api",
    "dashboard",
    "dashboard.admin_apps.OperatorsAdminConfig",  # django.contrib.admin, the operators' site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_prometheus",
    "django_tasks_db",
    # Two-factor sign-in (accounts.two_factor, ADR 0130): TOTP apps and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Passkeys (WebAuthn) as a second factor (accounts.passkeys, ADR 0123).
    "django_otp_webauthn",
]

MIDDLEWARE = [
    # Outermost: the request ID and the one log line per request see every answer.
    "core.request_log.RequestLogMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Every answer under /api/ and /oauth2/ is JSON, even Django's own error pages.
    "core.api.middleware.ApiErrorMiddleware",
    # NUL characters in the path, query, form or cookies: 400 before any view or lookup.
    "core.unstorable_input.RefuseUnstorableInputMiddleware",
    # Chunked bodies 411, plain HTTP under /api/ a JSON 403 (before SecurityMiddleware's
    # redirect), dashboard answers Cache-Control: private, no-store.
    "core.edge.EdgeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Every page needs a signed-in user unless its view says @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # An account requiring two-factor: its members without one reach only its set-up.
    "accounts.middleware.TwoFactorPolicyMiddleware",
    # The profile's sessions list: browser, address, last activity (every few minutes).
    "accounts.middleware.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    # Numbers and money on pages in the reader's locale's conventions (Accept-Language).
    "core.formatting.NumberLocaleMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# `make run`: the product's own 404 and 500 pages although DEBUG is on (a demo shows what
# users see; dashboard.middleware). Inside ApiErrorMiddleware, so the API stays JSON.
if DEBUG and env.bool("PRODUCT_ERROR_PAGES", default=False):
    MIDDLEWARE.insert(
        MIDDLEWARE.index("core.api.middleware.ApiErrorMiddleware") + 1,
        "dashboard.middleware.ProductErrorPagesMiddleware",
    )
# `make lint` checks the migrations with django-migration-linter, a dev dependency
# (docs/operations.md, "Upgrading"): an app only where it is installed. Released
# migrations are not linted again: those that were upgraded through already are listed.
if importlib.util.find_spec("django_migration_linter"):
    INSTALLED_APPS.append("django_migration_linter")
MIGRATION_LINTER_OPTIONS = {
    "sql_analyser": "postgresql",
    "no_cache": True,
    "ignore_initial_migrations": True,
    # Django's and libraries' own migrations are theirs to keep safe.
    "exclude_apps": [
        *("admin", "auth", "contenttypes", "sessions", "django_tasks_database"),
        *("otp_static", "otp_totp", "django_otp_webauthn"),
    ],
    "warnings_as_errors": [],  # every warning (an index built without CONCURRENTLY …)
    "ignore_name": [
        "0003_suspension",  # projects: a NOT NULL column with a default (instant)
        "0004_menu_indexes",  # projects: small indexes, released before 117cb26
        "0003_team",  # accounts: memberships' unique public ID (measured 0.6 s)
        "0005_subproject_count",  # projects: a NOT NULL column with a default (instant)
        "0007_access_key_replaces",  # projects: the access keys' table is small
        "0003_family",  # audit and usage: column renames, old code gone before they ran
    ],
}

ROOT_URLCONF = "dashboard.urls"
WSGI_APPLICATION = "dashboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "projects.menu.projects_menu",
                "accounts.context_processors.account_switcher",
                "dashboard.context_processors.product_rules",
                "dashboard.context_processors.request_id",
            ],
        },
    },
]

DATABASES = {
    "default": env.database("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# Connections (docs/operations.md, "Database connections"). On PostgreSQL each process
# keeps a pool (Django's, psycopg_pool) of DATABASE_POOL_SIZE open connections that its
# threads borrow for a request and give back: none opened per request, none idling per
# thread. The size defaults to the threads of one gunicorn worker (gunicorn.conf.py passes
# them on as GUNICORN_THREADS; a thread needs one at a time), else 4 (commands, the task
# worker); 0 turns the pool off (a connection per thread, kept CONN_MAX_AGE seconds).
# CONN_HEALTH_CHECKS: a connection the database dropped (a failover, a restart) is
# replaced before it is used, by the pool as it lends it or by Django for a persistent
# one, instead of failing a request.
DATABASE_POOL_SIZE = env.integer(
    "DATABASE_POOL_SIZE", default=env.integer("GUNICORN_THREADS", default=4, minimum=1), minimum=0
)
# How long a request waits for a pooled connection: with one per thread that is only
# while the database cannot be reached; then 503 (Retry-After) after this, not after
# gunicorn's worker timeout, and the worker is free again for /healthz.
DATABASE_POOL_TIMEOUT = 2
# PgBouncer in transaction mode keeps no server-side cursor (the CSV downloads'
# .iterator()) across transactions: off, a download's rows are read at once instead.
DATABASE_SERVER_SIDE_CURSORS = env.boolean("DATABASE_SERVER_SIDE_CURSORS", default=True)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("CONN_MAX_AGE", env.integer("CONN_MAX_AGE", default=0, minimum=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if DATABASE_POOL_SIZE and DATABASES["default"]["CONN_MAX_AGE"]:
        raise ImproperlyConfigured(
            f"CONN_MAX_AGE={DATABASES['default']['CONN_MAX_AGE']} cannot be used with the "
            f"connection pool (DATABASE_POOL_SIZE={DATABASE_POOL_SIZE}, on by default on "
            "PostgreSQL), which keeps connections itself: remove CONN_MAX_AGE, or set "
            "DATABASE_POOL_SIZE=0 to keep a connection per thread instead."
        )
    if DATABASE_POOL_SIZE:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": DATABASE_POOL_SIZE,
            "max_size": DATABASE_POOL_SIZE,
            "timeout": DATABASE_POOL_TIMEOUT,
        }
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = not DATABASE_SERVER_SIDE_CURSORS
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server, the worker, commands and tests share
    # the file: a writer waits up to 20 s for another (Python's default is 5 s).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    VAR_DIR.mkdir(parents=True, exist_ok=True)
# The same backends, counting connections, queries and errors for Prometheus (core/backends:
# on SQLite with the counting cursor's class made once per connection, on PostgreSQL
# with a pool that sweeps a failover's dead connections).
_METRICS_DATABASES = {
    "django.db.backends.postgresql": "core.backends.postgresql",
    "django.db.backends.sqlite3": "core.backends.sqlite3",
}
DATABASES["default"]["ENGINE"] = _METRICS_DATABASES.get(
    DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"]
)

# How long `migrate` waits for a table's lock before it fails (PostgreSQL's
# lock_timeout, core/migration_operations.py): seconds, fractions allowed.
MIGRATION_LOCK_TIMEOUT = env.number("MIGRATION_LOCK_TIMEOUT", default=2.0, minimum=0.1)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Nothing needs the cache to be correct: sessions, idempotency records and failure
# counters live in the database (core/), so a cache outage changes no answer
# (docs/operations.md, "Degraded modes"). It must still be shared by every app server if
# anything is ever cached: the database by default, Redis (pip install '.[redis]') when
# CACHE_URL says so.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://django_cache")}
if CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
    # Django culls a third of the table past MAX_ENTRIES (300 by default); expired rows
    # are culled first.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 1_000_000)
elif CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # An unreachable Redis fails in a second, not after the operating system's connect
    # timeout (minutes), so /readyz and requests stay quick.
    _redis_options = CACHES["default"].setdefault("OPTIONS", {})
    _redis_options.setdefault("socket_connect_timeout", 1)
    _redis_options.setdefault("socket_timeout", 1)

SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "accounts.User"
# Django's ModelBackend, loading the signed-in user with their current account's role
# and account count in the same query (the top bar's account switcher).
AUTHENTICATION_BACKENDS = ["accounts.backends.SessionUserBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Two-factor sign-in (accounts.two_factor). The name authenticator apps show.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Console")
# Wrong codes are counted like wrong passwords, per email and per address
# (accounts.forms.count_attempt), one rule for both; django-otp's own per-device back-off
# would refuse a right code typed just after a wrong one, so it is off.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Operators sign in to the admin site with a second factor too; on unless DEBUG.
ADMIN_REQUIRES_TWO_FACTOR = env.bool("ADMIN_REQUIRES_TWO_FACTOR", default=not DEBUG)
# Single sign-on (accounts.sso): an account's OpenID provider must be https://, except
# in development (a provider on localhost) and in the tests.
SSO_ALLOW_HTTP_ISSUERS = env.bool("SSO_ALLOW_HTTP_ISSUERS", default=DEBUG)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

# --- Transport security: on unless DEBUG, each switch overridable ---------------------
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.boolean("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.boolean("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.integer(
    "SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.boolean("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.boolean("SECURE_HSTS_PRELOAD", default=not DEBUG)
# Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO.
_proxy_header = env.string("SECURE_PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER = (_proxy_header, "https") if _proxy_header else None
# Probes and scrapers speak plain HTTP to each app server.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy (Django's own middleware, new in 6.0): no inline script or
# style; every script and stylesheet is served from our static files.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

# --- Email: invitations, password resets and spend-limit alerts -----------------------
# EMAIL_URL (django-environ): smtp://user:password@host:587 with STARTTLS as
# smtp+tls://…, implicit TLS as smtp+ssl://…; consolemail:// prints each email (with its
# link) on the server's output. Default: the console with DEBUG (`make run` prints the
# links), else an SMTP server on localhost:25. Tests use Django's locmem backend.
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update({name: value for name, value in EMAIL_CONFIG.items() if value not in (None, "")})
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", default="Console <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the dashboard is, for links in emails (no request there to build them from).
SITE_URL = env.http_url("SITE_URL", default="http://127.0.0.1:8000")
# Passkeys (accounts.passkeys, ADR 0123): WebAuthn's relying party is the site SITE_URL
# names. WEBAUTHN_RP_ID is that host (or a parent domain of it, so passkeys work on its
# subdomains too); a passkey is bound to it for good, so changing it later means every
# passkey is added again. Browsers make passkeys only over https or on localhost, and
# never for an IP address: with an http:// SITE_URL elsewhere (the default,
# http://127.0.0.1:8000) they work at http://localhost:<the same port>. Checked here
# (ADR 0115): a browser refuses an RP ID that is not the page's host or its parent, so a
# wrong one would otherwise fail only at a user's first passkey.
_SITE = urllib.parse.urlsplit(SITE_URL)
if _SITE.scheme == "https" or _SITE.hostname == "localhost":
    _PASSKEY_HOST, _PASSKEY_ORIGIN = _SITE.hostname, f"{_SITE.scheme}://{_SITE.netloc}"
else:
    _PASSKEY_HOST = "localhost"
    _PASSKEY_ORIGIN = "http://localhost" + (f":{_SITE.port}" if _SITE.port else "")
WEBAUTHN_RP_ID = env.string("WEBAUTHN_RP_ID", default=_PASSKEY_HOST).strip().lower()
if not (_PASSKEY_HOST == WEBAUTHN_RP_ID or _PASSKEY_HOST.endswith("." + WEBAUTHN_RP_ID)):
    raise ImproperlyConfigured(
        f"WEBAUTHN_RP_ID={WEBAUTHN_RP_ID!r} must be the host passkeys are made on "
        f"({_PASSKEY_HOST}, from SITE_URL) or a parent domain of it: passkeys are bound "
        "to it."
    )
OTP_WEBAUTHN_RP_ID = WEBAUTHN_RP_ID
OTP_WEBAUTHN_ALLOWED_ORIGINS = [_PASSKEY_ORIGIN]
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
# A passkey is a second factor here, after the password or single sign-on: never the
# only one (the library's own sign-in with a passkey alone is off).
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# How long a password-reset link works (Django's setting), in seconds: one hour.
PASSWORD_RESET_TIMEOUT = env.integer("PASSWORD_RESET_TIMEOUT", default=60 * 60, minimum=1)

# --- Background work: Django's Tasks framework on the database (ADR 0125) -------------
# Tasks are rows in the database, written in the transaction of the change that asks
# for them; `manage.py worker` runs them (`make run` starts one; production runs as
# many as it likes, they share the queue). Tests run tasks at once (pyproject.toml).
TASKS = {
    "default": {"BACKEND": env.string("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}
}
# The scheduled jobs (core.schedule): management commands that the workers enqueue,
# every so many seconds or daily at a UTC time. The README and docs/operations.md say
# the same; each command can still be run by hand or from cron.
TASK_SCHEDULE = {
    "check_spend_limits": {"command": ["check_spend_limits"], "every": 15 * 60},
    "purge_removed_subprojects": {"command": ["purge_removed_subprojects"], "at": "03:15"},
    "purge_expired_records": {"command": ["purge_expired_records"], "at": "03:45"},
    "purge_usage_records": {"command": ["purge_usage_records"], "at": "04:00"},
    "purge_audit_events": {"command": ["purge_audit_events"], "at": "04:30"},
    "purge_events": {"command": ["purge_events"], "at": "04:15"},
    "purge_key_activity": {"command": ["purge_key_activity"], "at": "04:45"},
    "emit_expiring_key_events": {"command": ["emit_expiring_key_events"], "every": 60 * 60},
    # Webhook deliveries whose worker died or whose retry task was lost.
    "deliver_webhooks": {"command": ["deliver_webhooks"], "every": 60},
    # Finished tasks (an email's body among them) are kept a week for the admin site.
    "prune_task_results": {"command": ["prune_db_task_results", "--min-age-days=7"], "at": "05:00"},
    # Expired database sessions (Django's clearsessions): the table would grow for good.
    "clearsessions": {"command": ["clearsessions"], "at": "05:15"},
}
# How often each worker looks for due jobs; after how long a task claimed by a worker
# that never finished it (killed, its machine lost) is run again.
SCHEDULE_TICK = env.integer("SCHEDULE_TICK", default=30, minimum=1)
TASK_STALE_AFTER = env.integer("TASK_STALE_AFTER", default=15 * 60, minimum=1)
# --- Events and webhooks (docs/events.md) -----------------------------------------------
# Events are listed and replayable this many days.
EVENT_RETENTION_DAYS = env.integer("EVENT_RETENTION_DAYS", default=35, minimum=1)
WEBHOOK_ENDPOINTS_PER_PROJECT = 10
# Seconds between a failed delivery and its next attempt; the last one repeats: 5 s,
# 5 min, 30 min, 2 h, 5 h, 10 h, then every 12 h (tries go on until the endpoint is
# disabled, WEBHOOK_DISABLE_AFTER). A staging set-up or a test can shorten it.
WEBHOOK_RETRY_SCHEDULE = env.integer_list(
    "WEBHOOK_RETRY_SCHEDULE", default=[5, 300, 1800, 7200, 18000, 36000, 43200]
)
# An endpoint whose every attempt has failed for this long is disabled (and the
# account's admins emailed): 5 days.
WEBHOOK_DISABLE_AFTER = env.integer("WEBHOOK_DISABLE_AFTER", default=5 * 24 * 3600, minimum=1)
WEBHOOK_TIMEOUT = 15  # seconds for one attempt, in all
WEBHOOK_RESPONSE_BYTES = 1024  # of each answer kept in the delivery log
WEBHOOK_LEASE = 60  # seconds a worker holds an endpoint without renewing it
WEBHOOK_OLD_SECRET_HOURS = 24  # after a rotation, the old secret signs beside the new
# Development and tests only: allow http:// and loopback/private addresses.
WEBHOOK_ALLOW_PRIVATE = env.bool("WEBHOOK_ALLOW_PRIVATE", default=False)

# Seconds between the attempts to send an email the mail server refused or could not
# take (then the email is given up and the failure logged): about a day in all.
EMAIL_RETRY_SCHEDULE = env.integer_list(
    "EMAIL_RETRY_SCHEDULE", default=[30, 120, 600, 1800, 7200, 21600, 57600]
)

# --- Product limits --------------------------------------------------------------------
ACCESS_KEYS_PER_PROJECT = 10
SUBPROJECT_RESTORE_DAYS = 30
# Raw usage records are kept this many days (then purge_usage_records deletes them);
# a record for an hour older than this is refused as too late. Daily and monthly
# totals are kept for good.
USAGE_RECORD_RETENTION_DAYS = env.integer("USAGE_RECORD_RETENTION_DAYS", default=35, minimum=1)

# Where a customer creates the Service API (e.g. an SMS service plan) that a new
# subproject needs before it can send messages; the dashboard links there from the new
# subproject's row and its details page. "{project_id}" in it is replaced by the
# subproject's Project ID.
SERVICE_API_URL = env.http_url(
    "SERVICE_API_URL", default="https://dashboard.sinch.com/sms/api/services"
)

# A form posted without a valid CSRF token (an expired session, a page open for days)
# gets a page in the dashboard's look that says what to do.
CSRF_FAILURE_VIEW = "dashboard.views.csrf_failure"

# --- Logging: to stderr, never a secret (request bodies and headers are not logged) ---
# One line per request from core.request_log (logger "console.request"), and every
# record carries the request's ID. LOG_FORMAT=json (the default: one JSON object per
# line, for log collectors) or plain (for reading in a terminal; `make run`).
LOG_FORMAT = env.choice(
    "LOG_FORMAT", default="plain" if DEBUG else "json", choices=("json", "plain")
)
LOG_LEVEL = env.choice(
    "LOG_LEVEL", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_log.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.request_log.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # At DEBUG this logger prints the whole template context of a failed variable
        # lookup, which on the "key created" page holds the secret.
        "django.template": {"level": "INFO"},
    },
}

# The operators' admin; a less obvious path can be set per deployment.
ADMIN_URL = env.string("ADMIN_URL", default="admin/")

# --- Error tracking (optional): Sentry when SENTRY_DSN is set ---------------------------
# pip install '.[sentry]'. What is sent and what never is: core/error_tracking.py and
# docs/operations.md ("Error tracking"). Every event carries the request ID.
SENTRY_DSN = env.string("SENTRY_DSN")
if SENTRY_DSN:
    try:
        import sentry_sdk  # noqa: F401
    except ImportError:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install '.[sentry]'."
        ) from None
    from core import error_tracking

    error_tracking.init(
        SENTRY_DSN,
        environment=env.string("SENTRY_ENVIRONMENT"),
        release=env.string("SENTRY_RELEASE"),
        traces_sample_rate=env.number("SENTRY_TRACES_SAMPLE_RATE", default=0.0, minimum=0.0),
    )
