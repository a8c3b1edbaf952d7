"""Settings for CSP Tracker, read from environment variables.

Every value comes through a helper below that rejects a bad value with ImproperlyConfigured,
so a typo in production fails at start-up rather than at the first request. The defaults let a
fresh checkout run on SQLite with DEBUG off; production sets SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL (see README.md, "Configuration").
"""

import datetime
import os
import re
import tempfile
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} is set but lists nothing.")
    return items


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_port(name: str, default: int) -> int:
    port = env_int(name, default)
    if not 0 < port < 65536:
        raise ImproperlyConfigured(f"{name} must be a port number from 1 to 65535, not {port}.")
    return port


def env_dotted_path(name: str, default: str) -> str:
    """A Python path to a class (an email backend): letters, digits and underscores in dotted
    parts, checked here so that a typo stops the start-up rather than the first email."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip()
    parts = value.split(".")
    if len(parts) < 2 or not all(part.isidentifier() for part in parts):
        raise ImproperlyConfigured(f"{name} must be a dotted Python path to a class, not {raw!r}.")
    return value


def env_email_address(name: str, default: str) -> str:
    """An address to send from, bare or with a name: "CSP Tracker <noreply@example.org>"."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    _, address = parseaddr(raw)
    local, _, domain = address.rpartition("@")
    if not local or not domain or any(c.isspace() for c in address):
        raise ImproperlyConfigured(f"{name} must be an email address, not {raw!r}.")
    return raw.strip()


def env_date(name: str, default: str) -> datetime.date:
    """A day written as the ISO standard has it: "2026-12-04"."""
    raw = os.environ.get(name, default)
    try:
        return datetime.date.fromisoformat(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a date like 2026-12-04, not {raw!r}.") from None


def env_plain_email(name: str, default: str) -> str:
    """A bare email address to write to ("csp@example.org"), or blank when the default is."""
    raw = os.environ.get(name, default).strip()
    if not raw:
        return ""
    local, _, domain = raw.rpartition("@")
    if not local or "." not in domain or any(c.isspace() or c in "<>," for c in raw):
        raise ImproperlyConfigured(f"{name} must be an email address, not {raw!r}.")
    return raw


def database_from_url(url: str) -> dict:
    """Turn DATABASE_URL (sqlite:///path or postgres://user:pass@host:port/name) into settings."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///db.sqlite3 is relative to the project; sqlite:////abs/path is absolute.
        path = unquote(parts.path)
        if not path.strip("/"):
            raise ImproperlyConfigured("DATABASE_URL for SQLite needs a file name.")
        name = Path("/" + path.lstrip("/")) if path.startswith("//") else BASE_DIR / path[1:]
        # IMMEDIATE: a transaction takes the write lock when it starts, so two saves of the
        # same action queue up and the second sees the first (no lost update on SQLite).
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            # Tests use a file, not shared memory, so that threads (simultaneous requests)
            # wait for each other's lock as they would in production.
            "TEST": {
                "NAME": Path(tempfile.gettempdir()) / f"csp-tracker-test-{os.getpid()}.sqlite3"
            },
        }
    if parts.scheme in {"postgres", "postgresql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured("DATABASE_URL for PostgreSQL needs a database name.")
        host = unquote(parts.hostname or "")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": host,
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start sqlite:// or postgres://, not {parts.scheme or url!r}."
    )


DEBUG = env_bool("DEBUG", False)

# The fallback key only serves a local checkout; `check --deploy` flags it and README says so.
_DEV_SECRET_KEY = "django-insecure-local-checkout-only-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY)
if not SECRET_KEY.strip():
    raise ImproperlyConfigured("SECRET_KEY is set but empty.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Demo mode lets the seeded demo users sign in. It is off unless asked for, and refused
# together with a real secret key, so demo credentials never work in production.
DEMO_MODE = env_bool("DEMO_MODE", False)
if DEMO_MODE and SECRET_KEY != _DEV_SECRET_KEY and not env_bool("DEMO_MODE_ANY_KEY", False):
    raise ImproperlyConfigured("DEMO_MODE is for the local demo only; unset it in production.")

INSTALLED_APPS = [
    "csp_tracker.apps.SiteAdministratorsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_filters",
    "django_htmx",
    "import_export",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "plans",
    "actions",
    "meetings",
    "reports",
    "about",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Session limits and the second factor (accounts/middleware.py), after messages: they
    # tell the person why they were signed out.
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
    # Last, so that the 413 page has the user, messages and the CSP nonce; nothing above it
    # reads the body.
    "csp_tracker.limits.RequestLimitsMiddleware",
]

ROOT_URLCONF = "csp_tracker.urls"
WSGI_APPLICATION = "csp_tracker.wsgi.application"

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
                "accounts.context_processors.session",
            ],
        },
    },
]
FORM_RENDERER = "csp_tracker.forms.GovukFormRenderer"

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out username or address before a password is checked.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ThrottledBackend",
    "csp_tracker.auth.DemoAwareModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60  # seconds a reset link works (accounts/services.py)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "plans:home"
LOGOUT_REDIRECT_URL = "plans:home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Content Security Policy: our own origin only. The one inline script (GOV.UK Frontend's
# js-enabled class) carries the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and not DEMO_MODE)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The header, as Django names it in request.META ("HTTP_X_FORWARDED_FOR"), in which the proxy
# in front of the app writes the client's address; empty (the default) uses the connection's
# own address. Set it only behind a proxy that overwrites the header, or anyone could choose
# the address that the security log records and that sign-in throttling counts.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "").strip()
if CLIENT_IP_HEADER and not re.fullmatch(r"[A-Z][A-Z0-9_]*", CLIENT_IP_HEADER):
    raise ImproperlyConfigured(
        f"CLIENT_IP_HEADER must be a request.META name such as HTTP_X_FORWARDED_FOR, "
        f"not {CLIENT_IP_HEADER!r}."
    )

# Email (invitations), as Django 6.1's MAILERS from the environment variables an operator sets:
# the console backend prints messages, for a checkout and the demo; a server sets the SMTP
# backend and its host. The tests send to memory (Django swaps every mailer for locmem).
_smtp_backend = "django.core.mail.backends.smtp.EmailBackend"
_email_backend = env_dotted_path("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_smtp_options = {
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": env_port("EMAIL_PORT", 25),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
    "timeout": 10,
}
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        # Only the SMTP backend takes a host; any other refuses options it does not know.
        "OPTIONS": _smtp_options if _email_backend == _smtp_backend else {},
    }
}
DEFAULT_FROM_EMAIL = env_email_address("DEFAULT_FROM_EMAIL", "CSP Tracker <noreply@localhost>")

# Sign-in throttling (django-axes, docs/security.md): five failures for a username, or from
# an address, then that username or address waits 15 minutes; a sign-in that fails while it
# waits does not extend the wait, so nobody can keep a real user out for long (and a reset
# by email lifts the wait on the username). The address comes from CLIENT_IP_HEADER only.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "csp_tracker.security_log.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code"]

# Two-factor sign-in (django-otp): TOTP apps and single-use recovery codes.
OTP_TOTP_ISSUER = "CSP Tracker"

# Sessions (accounts/middleware.py): signed out after 30 minutes without a request, and 12
# hours after signing in whatever happens; the page warns two minutes before the idle limit.
SESSION_IDLE_TIMEOUT = datetime.timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = datetime.timedelta(hours=12)
SESSION_WARNING_BEFORE = datetime.timedelta(minutes=2)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Uploads: imports are limited in size and rows (see actions/importing/columns.py). A request
# body above REQUEST_BODY_MAX_BYTES (a 5 MB import and its form) is refused unread with a 413
# (csp_tracker/limits.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Meeting papers (uploaded PDFs) are kept through the default storage, under MEDIA_ROOT; they
# are never served from there directly, only through the view that checks who may read them.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "var" / "media")
MEETING_PAPER_MAX_MB = env_int("MEETING_PAPER_MAX_MB", 20)
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 6 * 1024 * 1024)

# Rendered PDFs (reports/pdf.py), as files named by a hash of their HTML and stylesheets: a
# document whose content has not changed is served without laying it out again. Any
# directory the app may write to, shared by its workers; the oldest beyond the count go.
DOCUMENT_CACHE_DIR = Path(os.environ.get("DOCUMENT_CACHE_DIR") or BASE_DIR / "var" / "documents")
DOCUMENT_CACHE_ENTRIES = env_int("DOCUMENT_CACHE_ENTRIES", 300)
# What a PDF layout may cost (reports/pdf.py, reports/views.py): a document of more elements
# than this is refused rather than laid out. A progress report has about 7 an action: a
# 100-action one takes 1.5 s on an idle 2-core machine, and one of 2,000 actions (14,000)
# took 94 s on a busy one; 4,000 (some 550 actions) is about 10 s idle, 30 s busy. Each reader
# (user and address alike) has this many fresh layouts per window; kept PDFs are free.
PDF_LAYOUT_MAX_ELEMENTS = env_int("PDF_LAYOUT_MAX_ELEMENTS", 4_000)
PDF_LAYOUTS_PER_WINDOW = env_int("PDF_LAYOUTS_PER_WINDOW", 20)
PDF_LAYOUT_WINDOW_SECONDS = env_int("PDF_LAYOUT_WINDOW_SECONDS", 600)

# Whoever runs the service: named on the accessibility statement and the privacy notice
# (about/), which tell readers whom to ask for another format, to report a problem, or about
# the data held on them. The demo's defaults say they are the demo's.
OPERATOR_NAME = os.environ.get("OPERATOR_NAME", "The CSP Tracker demonstration").strip()
OPERATOR_EMAIL = env_plain_email("OPERATOR_EMAIL", "csp-tracker@example.org")
OPERATOR_PHONE = os.environ.get("OPERATOR_PHONE", "").strip()
OPERATOR_ADDRESS = os.environ.get("OPERATOR_ADDRESS", "").strip()
OPERATOR_DPO_EMAIL = env_plain_email("OPERATOR_DPO_EMAIL", "")
OPERATOR_ICO_REGISTRATION = os.environ.get("OPERATOR_ICO_REGISTRATION", "").strip()
ACCESSIBILITY_STATEMENT_DATE = env_date("ACCESSIBILITY_STATEMENT_DATE", "2026-12-04")
if not OPERATOR_NAME:
    raise ImproperlyConfigured("OPERATOR_NAME must name whoever runs the service.")
if not OPERATOR_EMAIL:
    raise ImproperlyConfigured("OPERATOR_EMAIL must be an address readers can write to.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The security log (csp_tracker/security_log.py): INFO and up, whatever LOG_LEVEL says.
    "loggers": {"csp_tracker.security": {"level": "INFO"}},
}

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True
