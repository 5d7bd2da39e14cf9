"""Ghișeu settings: one module, every deployment knob read from the environment.

The variables are documented in docs/configuration.md. Defaults give the embedded
set-up used by `make run`: SQLite under var/, files under var/media, the task queue
in the same database.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "da"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


VAR_DIR = Path(env("GHISEU_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("DJANGO_SECRET_KEY") or (
    "insecure-development-key-change-me" if DEBUG or env_bool("GHISEU_DEMO") else ""
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set outside debug/demo mode.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ghiseu.core",
    "ghiseu.accounts",
    # after ghiseu.accounts, whose templates (allauth/layouts, allauth/elements) give allauth the project's look
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "ghiseu.audit",
    "ghiseu.registry",
    "ghiseu.archive",
    "ghiseu.notifications",
    "ghiseu.petitions",
    "ghiseu.procedures",
    "ghiseu.eservices",
    "ghiseu.search",
    "ghiseu.api",
    "ghiseu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ghiseu.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ghiseu.accounts.middleware.StaffMfaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ghiseu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ghiseu.core.context_processors.institution",
            ],
            "builtins": ["django.templatetags.i18n", "django.templatetags.static"],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ghiseu.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so twenty clerks registering at
    # once queue for it instead of failing with "database is locked" (see docs/adr/0003).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 30),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-ghiseu.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_PREPARE", True):
    # The registration's one statement is bound on the server (ghiseu.core.sql.execute_bound);
    # with this it is also prepared, from its 5th run on a connection (docs/adr/0005). The ORM's
    # queries are bound on the client and never prepared. DB_PREPARE=0 behind a transaction-mode
    # pooler that does not follow prepared statements (PgBouncer before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "portal-home"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- Accounts (django-allauth): citizens sign up by e-mail, staff log in with their username --
ACCOUNT_ADAPTER = "ghiseu.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "ghiseu.accounts.forms.LoginForm", "signup": "ghiseu.accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # citizens; staff accounts are made by the administrator
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ghișeu] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG or env_bool("GHISEU_DEMO") else "https"  # links in mails
MFA_ADAPTER = "ghiseu.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("GHISEU_INSTITUTION_NAME", "Primăria Municipiului Lupeni")
# Staff must set up a second factor (TOTP) before any staff page; `make run` relaxes it and says so.
GHISEU_STAFF_MFA_REQUIRED = env_bool("GHISEU_STAFF_MFA_REQUIRED", True)
# OpenID Connect (ROeID): the provider is on only when the server URL and the client id are set.
GHISEU_OIDC_SERVER_URL = env("GHISEU_OIDC_SERVER_URL")
GHISEU_OIDC_CLIENT_ID = env("GHISEU_OIDC_CLIENT_ID")
GHISEU_OIDC_CLIENT_SECRET = env("GHISEU_OIDC_CLIENT_SECRET")
GHISEU_OIDC_NAME = env("GHISEU_OIDC_NAME", "ROeID")
SOCIALACCOUNT_ADAPTER = "ghiseu.accounts.adapters.SocialAccountAdapter"
# (the adapter builds the ROeID app from these four at each request: nothing in the database)
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}

# --- Background tasks: the queue lives in the database (outbox in the same transaction) --
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "search", "ocr"]}}

# --- Internationalization ---------------------------------------------------------------
LANGUAGE_CODE = "ro"
LANGUAGES = [("ro", _("Română")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Bucharest"
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(env("GHISEU_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
GHISEU_SEARCH_INDEX_DIR = Path(env("GHISEU_SEARCH_INDEX_DIR", str(VAR_DIR / "search-index")))
GHISEU_SEARCH_BATCH_OPERATIONS = int(env("GHISEU_SEARCH_BATCH_OPERATIONS", "5000"))
STORAGES = {
    "default": {"BACKEND": env("GHISEU_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Attachments: the largest file accepted, and the content types accepted (checked on the bytes).
GHISEU_MAX_UPLOAD_BYTES = env_int("GHISEU_MAX_UPLOAD_MB", 25) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
GHISEU_ALLOWED_CONTENT_TYPES = env_list(
    "GHISEU_ALLOWED_CONTENT_TYPES",
    "application/pdf,image/jpeg,image/png,image/tiff,text/plain,message/rfc822,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.oasis.opendocument.text,application/msword,application/xml,text/xml",
)

# --- Archive: retro-digitized batches ---------------------------------------------------
# Tesseract languages for OCR (`ron`: ADR 0006 — `ron+eng` reads Romanian worse and costs a quarter
# more; set it for batches mostly in English), the OCR path
# ("auto": one Tesseract pass on plain page images, OCRmyPDF otherwise; "ocrmypdf": always the
# full OCRmyPDF path), how long a worker holds a file before another may take it over, and the
# largest scan accepted in a batch.
GHISEU_ARCHIVE_OCR_LANGUAGES = env("GHISEU_ARCHIVE_OCR_LANGUAGES", "ron")
GHISEU_ARCHIVE_OCR_ENGINE = env("GHISEU_ARCHIVE_OCR_ENGINE", "auto")
GHISEU_ARCHIVE_IMPORT_LEASE_SECONDS = env_int("GHISEU_ARCHIVE_IMPORT_LEASE_SECONDS", 600)
GHISEU_ARCHIVE_MAX_SCAN_BYTES = env_int("GHISEU_ARCHIVE_MAX_SCAN_MB", 1024) * 1024 * 1024
# The largest ZIP batch accepted by the staff upload page (/arhiva/import/).
GHISEU_ARCHIVE_MAX_UPLOAD_BYTES = env_int("GHISEU_ARCHIVE_MAX_UPLOAD_MB", 2048) * 1024 * 1024

# --- The institution --------------------------------------------------------------------
GHISEU_INSTITUTION = {
    "name": env("GHISEU_INSTITUTION_NAME", "Primăria Municipiului Lupeni"),
    "county": env("GHISEU_INSTITUTION_COUNTY", "Județul Hunedoara"),
    "address": env("GHISEU_INSTITUTION_ADDRESS", "Str. Revoluției nr. 2, Lupeni, 335600"),
    "cif": env("GHISEU_INSTITUTION_CIF", "4374563"),
    "email": env("GHISEU_INSTITUTION_EMAIL", "registratura@primarialupeni.ro"),
    "phone": env("GHISEU_INSTITUTION_PHONE", "0254 560 546"),
}
# Days off declared by the government beyond the legal holidays (ISO dates, comma-separated);
# more can be added by administrators in the admin (core.ExtraDayOff).
GHISEU_EXTRA_DAYS_OFF = env_list("GHISEU_EXTRA_DAYS_OFF")
# Registry: how many days before the due date an entry counts as "due soon".
GHISEU_DUE_SOON_DAYS = env_int("GHISEU_DUE_SOON_DAYS", 5)
# The public catalogue's rendered list of services is kept this long in the cache (0: not cached).
GHISEU_CATALOGUE_CACHE_SECONDS = env_int("GHISEU_CATALOGUE_CACHE_SECONDS", 60)
# Registry book: the most rows one PDF export renders (the CSV has no limit).
GHISEU_BOOK_PDF_MAX_ROWS = env_int("GHISEU_BOOK_PDF_MAX_ROWS", 5000)
# Public status lookup: wrong number/code combinations allowed per address per hour.
GHISEU_STATUS_MAX_MISSES_PER_HOUR = env_int("GHISEU_STATUS_MAX_MISSES_PER_HOUR", 30)
# Procedures: working days an overdue task waits at the head of department before it escalates
# to the secretary general.
GHISEU_ESCALATION_DAYS = env_int("GHISEU_ESCALATION_DAYS", 2)

# --- Petitions (OG 27/2002) and free access to public information (Law 544/2001) ----------
# Every legal term is a setting: its days and whether they are "calendar" or "working" days.
# A calendar-day term that ends on a non-working day moves to the next working day.
GHISEU_PETITION_RULES = {
    # OG 27/2002: answer within 30 days of registration (art. 8), extended once by at most 15
    # days by the head of the authority (art. 9); a petition for another authority is forwarded
    # within 5 days of registration (art. 6^1), the system warns from day 3.
    "petition_answer": {
        "days": env_int("GHISEU_PETITION_ANSWER_DAYS", 30),
        "kind": env("GHISEU_PETITION_ANSWER_KIND", "calendar"),
    },
    "petition_extension": {
        "days": env_int("GHISEU_PETITION_EXTENSION_DAYS", 15),
        "kind": env("GHISEU_PETITION_EXTENSION_KIND", "calendar"),
    },
    "petition_forward": {
        "days": env_int("GHISEU_PETITION_FORWARD_DAYS", 5),
        "kind": env("GHISEU_PETITION_FORWARD_KIND", "calendar"),
    },
    "petition_forward_warning": {
        "days": env_int("GHISEU_PETITION_FORWARD_WARNING_DAYS", 3),
        "kind": env("GHISEU_PETITION_FORWARD_KIND", "calendar"),
    },
    # Law 544/2001 art. 7: answer within 10 days; "more time needed" told within those 10 days,
    # then 30 days at most; a reasoned refusal within 5 days. Art. 21: the administrative
    # complaint is answered within 15 days.
    "information_answer": {"days": env_int("GHISEU_INFO_ANSWER_DAYS", 10), "kind": env("GHISEU_INFO_KIND", "calendar")},
    "information_extended": {
        "days": env_int("GHISEU_INFO_EXTENDED_DAYS", 30),
        "kind": env("GHISEU_INFO_KIND", "calendar"),
    },
    "information_refusal": {
        "days": env_int("GHISEU_INFO_REFUSAL_DAYS", 5),
        "kind": env("GHISEU_INFO_KIND", "calendar"),
    },
    "administrative_complaint_answer": {
        "days": env_int("GHISEU_INFO_COMPLAINT_DAYS", 15),
        "kind": env("GHISEU_INFO_KIND", "calendar"),
    },
    # Complaints about the public domain: the city's bounding box for locations
    # ("min_lat,min_long,max_lat,max_long"; empty: anywhere), the similar-report hint, the
    # precision of public locations, and the photo limits.
    "city_bbox": env_list("GHISEU_CITY_BBOX"),
    "similar_radius_m": env_int("GHISEU_SIMILAR_RADIUS_M", 50),
    "similar_days": env_int("GHISEU_SIMILAR_DAYS", 30),
    "public_location_decimals": env_int("GHISEU_PUBLIC_LOCATION_DECIMALS", 3),
    "photo_max_pixels": env_int("GHISEU_PHOTO_MAX_PIXELS", 40_000_000),
    "photo_public_max_side": env_int("GHISEU_PHOTO_PUBLIC_MAX_SIDE", 2048),
    "photos_max": env_int("GHISEU_PHOTOS_MAX", 5),
}
# The public address of the site, for links in e-mails (tracking, answer letters); empty: paths only.
GHISEU_SITE_URL = env("GHISEU_SITE_URL", "http://127.0.0.1:8000" if DEBUG or env_bool("GHISEU_DEMO") else "")
# The map over the typed coordinates of a complaint (Leaflet, served from our static files); an
# empty tiles URL turns the map off (the typed fields remain).
GHISEU_MAP_TILES_URL = env("GHISEU_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
GHISEU_MAP_ATTRIBUTION = env("GHISEU_MAP_ATTRIBUTION", "© OpenStreetMap contributors")
GHISEU_MAP_CENTER = env("GHISEU_MAP_CENTER", "45.3600,23.2300")
GHISEU_MAP_ZOOM = env_int("GHISEU_MAP_ZOOM", 14)
# The public filing form: submissions per client address per hour (0: no limit).
GHISEU_PETITION_FILINGS_PER_HOUR = env_int("GHISEU_PETITION_FILINGS_PER_HOUR", 10)

# --- E-mail -----------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 1025)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Ghișeu <no-reply@primarialupeni.ro>")
# Notifications: how many times the worker tries to deliver an e-mail before marking it failed.
GHISEU_NOTIFY_MAX_ATTEMPTS = env_int("GHISEU_NOTIFY_MAX_ATTEMPTS", 5)
GHISEU_NOTIFY_RETRY_DELAY = env_int("GHISEU_NOTIFY_RETRY_DELAY", 60)

# --- Security -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG and not env_bool("GHISEU_DEMO"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
