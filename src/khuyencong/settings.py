"""Settings, driven by environment variables (see README.md, "Configuration").

One module: development defaults are safe to run locally; setting DEBUG=0 switches on the
production hardening (secure cookies, HSTS, SSL redirect unless told otherwise).
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent  # src/khuyencong
REPO_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rate(name: str, default: str) -> str:
    """A rate limit in django-ratelimit's notation, "N/period" (e.g. 30/5m), or "off"."""
    value = env_str(name, default).strip()
    if value.lower() == "off":
        return ""
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", value):
        raise RuntimeError(f"{name}={value!r}: write a rate as N/period, e.g. 30/5m or 100/h")
    return value


DEBUG = env_bool("DEBUG", True)
VAR_DIR = Path(env_str("KHUYENCONG_VAR_DIR", str(REPO_DIR / "var")))

_DEV_SECRET = "dev-insecure-secret-key-change-me-in-production-0123456789"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Our apps come first: their templates and translations take precedence over those of Django
# and third-party apps (e.g. "Log out" is "Đăng xuất" here, "Thoát" in the admin's catalog).
INSTALLED_APPS = [
    "khuyencong.core",
    "khuyencong.documents",
    "khuyencong.accounts",
    "khuyencong.places",
    "khuyencong.catalog",
    "khuyencong.beneficiaries",
    "khuyencong.plans",
    "khuyencong.projects",
    "khuyencong.registrations",
    "khuyencong.reports",
    "khuyencong.contests",
    "khuyencong.events",
    "khuyencong.api",
    "khuyencong.spreadsheets",
    "khuyencong.dashboard",
    "khuyencong.trust",
    "khuyencong.demo",
    "khuyencong.setup",
    "khuyencong.deadlines",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "template_partials",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "khuyencong.core.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "khuyencong.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khuyencong.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "khuyencong.core.middleware.QueryParametersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "khuyencong.trust.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "khuyencong.core.origin.CurrentRequestMiddleware",
    "khuyencong.core.ratelimit.RateLimitMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "khuyencong.urls"
# Django's form renderer, with <select> written in Python (core/renderers.py: long lists).
FORM_RENDERER = "khuyencong.core.renderers.FormRenderer"
WSGI_APPLICATION = "khuyencong.wsgi.application"
ASGI_APPLICATION = "khuyencong.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "khuyencong.core.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite (WAL) by default, PostgreSQL via DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'khuyencong.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept (CONN_MAX_AGE) as on PostgreSQL: a new SQLite connection per
    # request parses the whole schema again and starts with an empty page cache (the bare
    # view served about half the requests that way: docs/performance.md).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME", "") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockout (django-axes): 5 failures lock the username+IP pair for 30 minutes. The IP is
# the client's as the rest of the app reads it (core.origin, through TRUSTED_PROXY_COUNT
# proxies), never the proxy's: one guessing client must not lock the user out for everybody.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_CLIENT_IP_CALLABLE = "khuyencong.core.origin.client_ip"
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Per-address rate limits (core.ratelimit, django-ratelimit, counted in CACHES["default"]):
# URL name -> (the method that counts, "N/period"), e.g. RATE_LIMIT_LOGIN=30/5m (s, m, h, d);
# "off" lifts one limit, RATELIMIT_ENABLE=0 every limit. Over the limit: 429.
RATE_LIMITS = {
    "login": ("POST", env_rate("RATE_LIMIT_LOGIN", "30/5m")),
    "trust:two_factor_verify": ("POST", env_rate("RATE_LIMIT_TWO_FACTOR", "10/5m")),
    "contests:verify": ("GET", env_rate("RATE_LIMIT_CERTIFICATE_CHECK", "20/10m")),
}
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_IP_META_KEY = "khuyencong.core.ratelimit.address"

# Internationalisation: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# The language chosen with the vi/en switch outlives the browser session.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_TZ = True
# Each app keeps its own catalog in <app>/locale (see scripts/check_messages.py).
FORMAT_MODULE_PATH = ["khuyencong.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(REPO_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))  # never served directly
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MAX_UPLOAD_SIZE = env_int("MAX_UPLOAD_SIZE", 20 * 1024 * 1024)
# Uploads larger than MAX_UPLOAD_SIZE are not written to disk beyond the limit (the form
# then says the file is too large); files are readable by the app's user and group only.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "khuyencong.core.uploads.LimitedTemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
        }
    }

# Security. Production (DEBUG off) gets HTTPS-only cookies and HSTS unless told otherwise.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # pages send the token from the template (hx-headers), not JS
CSRF_FAILURE_VIEW = "khuyencong.core.views.csrf_failure"  # Vietnamese, in the layout
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content Security Policy (django-csp): no inline script, no inline style, no framing.
# Templates must use static files and classes only (tests/trust/test_templates.py checks).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap's icons are data: SVGs; the 2FA QR code
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page needs (core.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
# Number of reverse proxies in front of the app that append to X-Forwarded-For (the audit
# trail, the login lockout and the rate limits read the client's address through them); 0 = none.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# The API's OpenAPI schema and interactive docs (/api/v1/openapi.json, /api/v1/docs) for
# anyone, or only for signed-in users and API token holders (the default in production).
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", DEBUG)
# Optional two-factor sign-in (TOTP, trust.twofactor); compulsory for the roles listed here,
# e.g. TWO_FACTOR_REQUIRED_ROLES=system_admin,department_leader.
TWO_FACTOR_REQUIRED_ROLES = env_list("TWO_FACTOR_REQUIRED_ROLES")
OTP_TOTP_ISSUER = "Khuyến công"
# API tokens expire this many days after they are created (api.models.ApiToken).
API_TOKEN_LIFETIME_DAYS = env_int("API_TOKEN_LIFETIME_DAYS", 90)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    if SESSION_COOKIE_SECURE:  # bound to this host name, HTTPS only
        SESSION_COOKIE_NAME = "__Host-sessionid"
        CSRF_COOKIE_NAME = "__Host-csrftoken"
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # "preload" in the header only allows submitting the host to the browsers' preload list
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # PDF reports: no per-page progress lines
        "fontTools": {"level": "WARNING"},
    },
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# The national authority's current name (it changes with reorganisations of the Ministry;
# former names are kept on the organisation with the date they were used until).
NATIONAL_AGENCY_NAME = env_str(
    "NATIONAL_AGENCY_NAME", "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"
)

# Background tasks (imports, national reports): the Django Tasks API (django-tasks backport)
# with its database backend and a worker process (`manage.py db_worker`). TASKS_BACKEND=immediate
# runs tasks inside the request (development without a worker; the tests).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS[env_str("TASKS_BACKEND", "immediate" if DEBUG else "database")]
    }
}

# The one date rule of a project's records (projects/dates.py): dates run from 1 January of the
# year before the plan's period to 31 December of its last year plus DATE_GRACE_YEARS, and at
# most DATE_FUTURE_DAYS after today (Vietnam's date) unless the date is a plan.
DATE_GRACE_YEARS = env_int("KHUYENCONG_DATE_GRACE_YEARS", 1)
DATE_FUTURE_DAYS = env_int("KHUYENCONG_DATE_FUTURE_DAYS", 7)
# The day deadlines are computed for (to-do panel, calendar feed, send_reminders): empty for
# today; the demo sets a 2018 day (YYYY-MM-DD) so its obligations look as they did then.
_AS_OF = env_str("KHUYENCONG_AS_OF", "")
KHUYENCONG_AS_OF = datetime.date.fromisoformat(_AS_OF) if _AS_OF else None
if DATE_GRACE_YEARS < 0 or DATE_FUTURE_DAYS < 0:
    raise RuntimeError("KHUYENCONG_DATE_GRACE_YEARS and KHUYENCONG_DATE_FUTURE_DAYS are >= 0")

# Spreadsheet imports: largest file and number of rows per file.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_FILE_SIZE = env_int("IMPORT_MAX_FILE_SIZE", 50 * 1024 * 1024)
# A spreadsheet is read in a child process with this much memory (MB, on top of the server
# process's own) and time (seconds); over either, the file is refused (documents.xlsx_reader).
SHEET_READ_MEMORY_MB = env_int("SHEET_READ_MEMORY_MB", 2048)
SHEET_READ_SECONDS = env_int("SHEET_READ_SECONDS", 300)
# An import's check or commit stops (failed, nothing imported) after this many seconds; a job
# that shows no sign of life for IMPORT_STALE_AFTER seconds (its worker was killed) is marked
# failed when the import pages load or by `manage.py recover_imports` (spreadsheets.tasks).
IMPORT_TIME_LIMIT = env_int("IMPORT_TIME_LIMIT", 20 * 60)
IMPORT_STALE_AFTER = env_int("IMPORT_STALE_AFTER", 30 * 60)
