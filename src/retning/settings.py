"""Retning settings, read from RETNING_* environment variables with documented defaults.

Sections: paths · security · database · applications · internationalisation · static files.
The defaults give the embedded setup `make run` uses: SQLite in ./var and the bundled
Kongsvinger strategy. See README.md for every variable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from retning.core.clientip import parse_networks


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- paths -------------------------------------------------------------------------------
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("RETNING_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
REGIONS_DIR = PACKAGE_DIR / "regions"

RETNING_REGION = os.environ.get("RETNING_REGION", "kongsvingerregionen")
# A strategy file outside the package (another region's) may be named directly.
RETNING_STRATEGY_FILE = Path(
    os.environ.get("RETNING_STRATEGY_FILE", REGIONS_DIR / RETNING_REGION / "strategy.yaml")
)


# --- security ----------------------------------------------------------------------------
def _secret_key() -> str:
    """The key from the environment, else one generated once into the data directory."""
    from_env = os.environ.get("RETNING_SECRET_KEY")
    if from_env:
        return from_env
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("RETNING_DEBUG")
ALLOWED_HOSTS = _env_list("RETNING_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = _env_list("RETNING_CSRF_TRUSTED_ORIGINS", "")
# Served over HTTPS (directly or behind a proxy): secure cookies, HSTS, HTTP → HTTPS.
RETNING_HTTPS = _env_bool("RETNING_HTTPS", _env_bool("RETNING_SECURE_COOKIES"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("RETNING_SECURE_COOKIES", RETNING_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = RETNING_HTTPS
SECURE_HSTS_SECONDS = (
    int(os.environ.get("RETNING_HSTS_SECONDS", "31536000")) if RETNING_HTTPS else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Proxies (addresses or CIDR ranges) whose X-Forwarded-For and X-Forwarded-Proto are
# believed: the client address for rate limits and login lockouts (retning.core.clientip),
# and whether the request came over HTTPS. Nobody else's headers are.
try:
    RETNING_TRUSTED_PROXIES = parse_networks(_env_list("RETNING_TRUSTED_PROXIES", ""))
except ValueError as exc:
    raise ImproperlyConfigured(f"RETNING_TRUSTED_PROXIES: {exc}") from None
# Content Security Policy: everything from this site only, no inline script or style
# without the per-request nonce, no plugins, no framing, forms post only here.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}


# --- database ----------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "retning.sqlite3",
            # Kept open, like PostgreSQL's: opening one (and its PRAGMAs) cost more than
            # a cached page.
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                # WAL lets the web server read while an import writes; IMMEDIATE avoids
                # "database is locked" on lock upgrades inside transactions.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("TEST", {})["NAME"] = ""  # in-memory for tests
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# --- applications ------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "retning.core",
    "retning.strategy",
    "retning.goals",
    "retning.reports",
    "retning.consultation",
    "retning.consultation_analysis",
    "retning.stats",
    "retning.business",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the result of authentication (django-axes' requirement).
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Brute-force protection on every login form (staff login and admin): a user name is
# locked for the address that failed, so nobody can lock a colleague out from elsewhere,
# and behind a proxy the address is the client's (retning.core.clientip).
AXES_FAILURE_LIMIT = int(os.environ.get("RETNING_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "retning.core.clientip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

ROOT_URLCONF = "retning.urls"
WSGI_APPLICATION = "retning.wsgi.application"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "retning.core.context_processors.site",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


# --- internationalisation ----------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
FORMAT_MODULE_PATH = ["retning.formats"]
USE_TZ = True
# Years must never be grouped ("2 016"); figures are grouped by the `number` filter.
USE_THOUSAND_SEPARATOR = False


# --- static files ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "uploads"
WHITENOISE_USE_FINDERS = True


# --- logging -----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RETNING_LOG_LEVEL", "WARNING")},
    # Who downloaded personal data, and when: always kept, whatever the level above.
    "loggers": {"retning.audit": {"level": "INFO"}},
}


# --- statistics --------------------------------------------------------------------------
# Base URLs of the sources, so that tests (and mirrors) can point them elsewhere.
RETNING_SSB_URL = os.environ.get("RETNING_SSB_URL", "https://data.ssb.no/api/pxwebapi/v2")
RETNING_KLASS_URL = os.environ.get("RETNING_KLASS_URL", "https://data.ssb.no/api/klass/v1")
RETNING_MILJODIR_URL = os.environ.get(
    "RETNING_MILJODIR_URL",
    "https://www.miljodirektoratet.no/sharepoint/downloaditem/"
    "?id=01FM3LD2WOT7QL4D6Y5FC3JYADXGI6A3FA",
)
RETNING_NORSKEUTSLIPP_URL = os.environ.get("RETNING_NORSKEUTSLIPP_URL", "")
RETNING_NAV_URL = os.environ.get("RETNING_NAV_URL", "")
# Seconds between two requests to the same host (SSB allows 30 queries per minute).
RETNING_HTTP_MIN_INTERVAL = float(os.environ.get("RETNING_HTTP_MIN_INTERVAL", "2.0"))
RETNING_HTTP_TIMEOUT = float(os.environ.get("RETNING_HTTP_TIMEOUT", "30"))
RETNING_HTTP_RETRIES = int(os.environ.get("RETNING_HTTP_RETRIES", "4"))
RETNING_RAW_DIR = DATA_DIR / "raw"
# --- consultation intake -----------------------------------------------------------------
# Attachment limits: larger, longer or deeper files are kept and flagged for manual reading.
RETNING_ATTACHMENT_MAX_BYTES = int(os.environ.get("RETNING_ATTACHMENT_MAX_MB", "20")) * 1024**2
RETNING_ATTACHMENT_MAX_PAGES = int(os.environ.get("RETNING_ATTACHMENT_MAX_PAGES", "300"))
RETNING_ATTACHMENT_MAX_DECOMPRESSED = (
    int(os.environ.get("RETNING_ATTACHMENT_MAX_DECOMPRESSED_MB", "100")) * 1024**2
)
RETNING_FORM_MAX_FILES = int(os.environ.get("RETNING_FORM_MAX_FILES", "5"))
# A proposal's size: its text in characters, its attachments together. The web form refuses
# more; a larger e-mail is stored as received and waits for staff instead of registering.
RETNING_PROPOSAL_MAX_CHARS = int(os.environ.get("RETNING_PROPOSAL_MAX_CHARS", "100000"))
RETNING_PROPOSAL_MAX_BYTES = int(os.environ.get("RETNING_PROPOSAL_MAX_MB", "50")) * 1024**2
# Web-form posts allowed per client address per hour (spam protection, no CAPTCHA).
RETNING_FORM_RATE_LIMIT = int(os.environ.get("RETNING_FORM_RATE_LIMIT", "10"))
DATA_UPLOAD_MAX_MEMORY_SIZE = RETNING_ATTACHMENT_MAX_BYTES * RETNING_FORM_MAX_FILES + 1024**2
# IMAP intake (`retning import-mail --imap`).
RETNING_IMAP_HOST = os.environ.get("RETNING_IMAP_HOST", "")
RETNING_IMAP_PORT = int(os.environ.get("RETNING_IMAP_PORT", "993"))
RETNING_IMAP_SSL = _env_bool("RETNING_IMAP_SSL", True)
RETNING_IMAP_USER = os.environ.get("RETNING_IMAP_USER", "")
RETNING_IMAP_PASSWORD = os.environ.get("RETNING_IMAP_PASSWORD", "")
RETNING_IMAP_FOLDER = os.environ.get("RETNING_IMAP_FOLDER", "INBOX")
RETNING_IMAP_STORED_FLAG = os.environ.get("RETNING_IMAP_STORED_FLAG", "RetningStored")
# Outgoing mail (receipts). Default: files in the data directory; every message is also
# kept in the outbox staff can see. RETNING_SMTP_HOST switches to SMTP.
# MAILERS is Django 6.1's setting (pyproject requires 6.1); the EMAIL_* settings it
# replaces may not be set beside it.
RETNING_SMTP_HOST = os.environ.get("RETNING_SMTP_HOST", "")
if RETNING_SMTP_HOST:
    _smtp_starttls = _env_bool("RETNING_SMTP_STARTTLS")
    _smtp_ssl = _env_bool("RETNING_SMTP_SSL")
    if _smtp_starttls and _smtp_ssl:
        raise ImproperlyConfigured(
            "RETNING_SMTP_STARTTLS and RETNING_SMTP_SSL: set one of them, not both."
        )
    _smtp_default_port = "465" if _smtp_ssl else "587" if _smtp_starttls else "25"
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": RETNING_SMTP_HOST,
                "port": int(os.environ.get("RETNING_SMTP_PORT", _smtp_default_port)),
                "username": os.environ.get("RETNING_SMTP_USER", ""),
                "password": os.environ.get("RETNING_SMTP_PASSWORD", ""),
                "use_tls": _smtp_starttls,
                "use_ssl": _smtp_ssl,
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "sent-mail")},
        }
    }
    # Writing receipts to files is Retning's documented default, not a mistake:
    # `check --deploy` says so as the warning retning.W001 (retning/core/checks.py).
    SILENCED_SYSTEM_CHECKS = ["mail.E001"]
DEFAULT_FROM_EMAIL = os.environ.get("RETNING_EMAIL_FROM", "retning@localhost")


# --- business register (Brønnøysundregistrene) --------------------------------------------
RETNING_BRREG_URL = os.environ.get(
    "RETNING_BRREG_URL", "https://data.brreg.no/enhetsregisteret/api"
)
RETNING_REGNSKAP_URL = os.environ.get(
    "RETNING_REGNSKAP_URL", "https://data.brreg.no/regnskapsregisteret/regnskap"
)
# Parallel requests when fetching accounts (the register asks for moderation).
RETNING_REGNSKAP_CONCURRENCY = int(os.environ.get("RETNING_REGNSKAP_CONCURRENCY", "4"))
# A register file or update feed that would mark more than this share (per cent) of the
# region's units as gone is refused unless `--force` is given.
RETNING_MAX_UNITS_REMOVED_PCT = float(os.environ.get("RETNING_MAX_UNITS_REMOVED_PCT", "20"))


# --- Microsoft 365 mail (Graph, IMAP with XOAUTH2; see docs/mail.md) ----------------------
# The app registration in Entra ID (client credentials) that reads the consultation mailbox.
RETNING_GRAPH_TENANT_ID = os.environ.get("RETNING_GRAPH_TENANT_ID", "")
RETNING_GRAPH_CLIENT_ID = os.environ.get("RETNING_GRAPH_CLIENT_ID", "")
RETNING_GRAPH_CLIENT_SECRET = os.environ.get("RETNING_GRAPH_CLIENT_SECRET", "")
RETNING_GRAPH_MAILBOX = os.environ.get("RETNING_GRAPH_MAILBOX", "")
# A well-known folder name (inbox), a folder id, or a folder's display name.
RETNING_GRAPH_FOLDER = os.environ.get("RETNING_GRAPH_FOLDER", "inbox")
RETNING_GRAPH_STORED_CATEGORY = os.environ.get("RETNING_GRAPH_STORED_CATEGORY", "Retning lagret")
RETNING_GRAPH_AUTHORITY = os.environ.get(
    "RETNING_GRAPH_AUTHORITY", "https://login.microsoftonline.com"
)
RETNING_GRAPH_BASE_URL = os.environ.get(
    "RETNING_GRAPH_BASE_URL", "https://graph.microsoft.com/v1.0"
)
# A CA certificate file for TLS-inspecting proxies; empty: the usual trusted roots.
RETNING_GRAPH_CA_BUNDLE = os.environ.get("RETNING_GRAPH_CA_BUNDLE", "")
RETNING_GRAPH_TIMEOUT = float(os.environ.get("RETNING_GRAPH_TIMEOUT", "60"))
# Longest single wait when Graph throttles (429 Retry-After), in seconds.
RETNING_GRAPH_MAX_WAIT = float(os.environ.get("RETNING_GRAPH_MAX_WAIT", "120"))
# IMAP sign-in: "password" (LOGIN) or "xoauth2" (Exchange Online, the app registration above).
RETNING_IMAP_AUTH = os.environ.get("RETNING_IMAP_AUTH", "password").strip().lower()

# --- page cache --------------------------------------------------------------------------
# The front page and goal pages for visitors who are not logged in, kept per data version
# (retning.core.pagecache) in each server process's memory; 0 turns the cache off.
RETNING_PAGE_CACHE_SECONDS = int(os.environ.get("RETNING_PAGE_CACHE_SECONDS", "300"))
# --- background work (django.tasks with the database worker) -----------------------------
# Tasks (retning/core/tasks.py) are queued in the database and run by `retning worker`
# (started alongside `retning serve`). A large deployment can point RETNING_TASK_BACKEND
# at another backend (e.g. a Redis queue); see docs/operations.md.
INSTALLED_APPS += ["django_tasks_db"]
TASKS = {
    "default": {
        "BACKEND": os.environ.get("RETNING_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A worker writes a heartbeat this often (seconds); a task whose worker has been silent for
# RETNING_WORKER_TIMEOUT seconds (or whose process is gone on this machine) is queued again.
RETNING_WORKER_HEARTBEAT = float(os.environ.get("RETNING_WORKER_HEARTBEAT", "10"))
RETNING_WORKER_TIMEOUT = float(os.environ.get("RETNING_WORKER_TIMEOUT", "120"))
