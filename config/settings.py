"""Tawasul settings: one module, every value from the environment.

Each variable is documented with its default in `.env.example`. The defaults are safe for
production (DEBUG off, secure cookies); `make run` sets `TAWASUL_DEMO=1`, which turns on
the conveniences of a laptop trial (DEBUG, no forced staff 2FA, console email).
"""

from pathlib import Path

import environ
from django.conf import locale as django_locale
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def env_secret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/K8s secrets)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text().strip()
    return env.str(name, default=default)


DEMO_MODE = env.bool("TAWASUL_DEMO", default=False)
DEBUG = env.bool("DEBUG", default=DEMO_MODE)
TESTING = env.bool("TAWASUL_TESTING", default=False)

SECRET_KEY = env_secret("SECRET_KEY", default="")
# Without a key, management commands still run (with a throwaway key), but the WSGI
# application refuses to start outside demo mode (config/wsgi.py).
SECRET_KEY_IS_PLACEHOLDER = not SECRET_KEY
if SECRET_KEY_IS_PLACEHOLDER:
    SECRET_KEY = "insecure-placeholder-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Before django_tasks_db so that its `db_worker` command, which serves every queue by default,
    # wins over the library's (first listed wins; ADR 0036). Core imports no other app.
    "tawasul.core",
    # Third party
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "template_partials",
    # Tawasul, from the bottom of the import ladder up (ARCHITECTURE.md §2; tawasul.core is above)
    "tawasul.registry",
    "tawasul.accounts",
    "tawasul.notifications",
    "tawasul.cases",
    "tawasul.facilities",
    "tawasul.catalog",
    "tawasul.complaints",
    "tawasul.information",
    "tawasul.documents",
    "tawasul.jobs",
    "tawasul.backoffice",
    "tawasul.contact",
    "tawasul.insights",
    "tawasul.reception",
    "tawasul.api",
    "tawasul.home",
]

MIDDLEWARE = [
    # /api/ goes through API_MIDDLEWARE below instead of the rest of this list (docs/adr/0041).
    "tawasul.core.api_chain.ApiChainMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Hardening (issue 8): CSP with nonces, Permissions-Policy, 503 when the database is down.
    "tawasul.core.middleware.CSPMiddleware",  # django-csp's, static policy built once (ADR 0033)
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "tawasul.core.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cookie-less page-view counts (docs/adr/0031): cache increments only; after WhiteNoise, so
    # static files never reach it.
    "tawasul.insights.visits.VisitCounterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tawasul.accounts.middleware.StaffTwoFactorMiddleware",
    # Hardening (issue 8): per-client limits on public forms (PUBLIC_FORM_RATE_LIMITS), before the view.
    "tawasul.core.ratelimits.PublicFormRateLimitMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]
# The JSON API's chain (tawasul.core.api_chain): the same security layers, the 503 on a database
# outage, the language of its messages (from Accept-Language alone). None of the HTML portals'
# sessions, CSRF, signed-in user, messages, htmx, second factor, form rate limits (the API has
# its throttles), lock-outs, static files or page-view counts.
API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tawasul.core.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "tawasul.core.middleware.DatabaseUnavailableMiddleware",
    "tawasul.api.middleware.ApiLanguageMiddleware",  # Accept-Language only: no URL prefix, no cookie
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
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
                "tawasul.home.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite (WAL) is the embedded default; PostgreSQL in production via DATABASE_URL.
VAR_DIR.mkdir(exist_ok=True)
# An empty DATABASE_URL means the default, so `DATABASE_URL= make ...` forces SQLite.
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'tawasul.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers work while one process writes; FULL survives power loss
            # (BENCHMARKING.md: ~4,900 commits/s raw). IMMEDIATE takes the write lock at
            # BEGIN so two writers queue instead of failing with "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        # Server-side prepared statements for the hot paths' compiled queries only
        # (tawasul.core.prepared asks psycopg with `prepare=True`; ADR 0024). Django leaves
        # psycopg's threshold at None (none at all); a threshold no other query reaches on a
        # connection keeps every other query unprepared. Off (=0) behind a transaction-mode
        # pooler that cannot keep prepared statements.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 2**31 - 1)
if env.str("TEST_DB_NAME", default="") and "sqlite" not in DATABASES["default"]["ENGINE"]:
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DB_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
# Shared across processes by default (rate limits and lockouts must hold on several
# workers): the database cache, or Redis when CACHE_URL/REDIS_URL is given.
_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if _cache_url:
    CACHES = {"default": env.cache_url_config(_cache_url)}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "tawasul_cache",
        }
    }

# --- Background tasks -----------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "notifications", "sweeps"],
    }
}

# --- Accounts, 2FA, lockout -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home:index"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
# django-axes owns the per-account lockout (AXES_* below). allauth's own failed-login limit stays as a
# wider net (per IP, and per account across IPs), set above axes' so that axes answers first and the
# person sees the lockout page rather than a form error.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip,10/5m/key"}
# Only the client's address differs from allauth's own adapter (tawasul.core.clientaddress).
ACCOUNT_ADAPTER = "tawasul.accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tawasul"
# Accept the code of the previous and the next 30-second step as well (RFC 6238 §5.2 recommends
# one step of drift): a code typed as the step changes, or a phone clock a few seconds off,
# still works. A code is still accepted once only (allauth remembers the codes used).
MFA_TOTP_TOLERANCE = env.int("MFA_TOTP_TOLERANCE", default=1)
# Staff must enrol TOTP before working, except in demo mode (a laptop trial). The test suite runs with
# it off so that every staff persona need not enrol; the tests of the policy itself turn it on
# (tawasul/accounts/tests/test_two_factor.py, test_lockout.py).
STAFF_2FA_REQUIRED = env.bool("STAFF_2FA_REQUIRED", default=not (DEMO_MODE or TESTING))

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "login"
# allauth authenticates with email=/username=, not login=: read whichever the form used.
AXES_USERNAME_CALLABLE = "tawasul.accounts.lockout.get_username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_CLIENT_IP_CALLABLE = "tawasul.core.clientaddress.client_address"

# --- Working-day calendar (tawasul.core.calendar, DOMAIN.md §8 and R8) ------------------
# Each process re-reads the shared holiday-overrides version at most this often (seconds), so
# an override saved in one process reaches the deadlines computed by all the others this late.
CALENDAR_OVERRIDES_CHECK_SECONDS = env.float("CALENDAR_OVERRIDES_CHECK_SECONDS", default=5.0)
# A deadline is "provisional" when an estimated Islamic holiday falls within its span widened
# by this many days on each side (Morocco's sighted dates often differ by one day, §8.2).
CALENDAR_PROVISIONAL_MARGIN_DAYS = env.int("CALENDAR_PROVISIONAL_MARGIN_DAYS", default=1)

# --- Attachments (tawasul.core.uploads; SPEC.md §1 "Attachments") ------------------------------
# Per-kind size limits in bytes: documents and photos 10 MB, short videos 50 MB (the Jordanian
# app takes photo and video).
UPLOAD_MAX_BYTES = {
    "pdf": env.int("UPLOAD_MAX_BYTES_PDF", default=10 * 1024 * 1024),
    "image": env.int("UPLOAD_MAX_BYTES_IMAGE", default=10 * 1024 * 1024),
    "office": env.int("UPLOAD_MAX_BYTES_OFFICE", default=10 * 1024 * 1024),
    "video": env.int("UPLOAD_MAX_BYTES_VIDEO", default=50 * 1024 * 1024),
}
# Decompression bombs: at most this many pixels per image (40 Mpx, above any phone camera).
UPLOAD_MAX_IMAGE_PIXELS = env.int("UPLOAD_MAX_IMAGE_PIXELS", default=40_000_000)
# Zip bombs (office documents): total uncompressed bytes, entries, and per-entry ratio.
UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = env.int("UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024)
UPLOAD_ZIP_MAX_ENTRIES = env.int("UPLOAD_ZIP_MAX_ENTRIES", default=1000)
UPLOAD_ZIP_MAX_RATIO = env.int("UPLOAD_ZIP_MAX_RATIO", default=100)
# Whitespace tolerated after a PDF's last %%EOF (more is an appended second file: a polyglot).
UPLOAD_PDF_TRAILING_BYTES = env.int("UPLOAD_PDF_TRAILING_BYTES", default=1024)
# Attachments per case and per message.
CASE_MAX_ATTACHMENTS = env.int("CASE_MAX_ATTACHMENTS", default=10)

# --- Case core (tawasul.cases; DOMAIN.md R2, issue 3 and 4) ---------------------------------
# Default SLA policy of a case kind (a workflow may override it):
# - first action within 2 working days of receipt (Jordanian model, DOMAIN.md R2 "Escalation");
# - answer within 60 calendar days (decree 2-17-265: "ستين يوما", DOMAIN.md §2.1);
# - escalation ladder [2 wd, 2 wd] without a qualifying action (DOMAIN.md R2).
CASE_FIRST_ACTION_WORKING_DAYS = env.int("CASE_FIRST_ACTION_WORKING_DAYS", default=2)
CASE_ANSWER_DAYS = env.int("CASE_ANSWER_DAYS", default=60)
CASE_ANSWER_UNIT = env.str("CASE_ANSWER_UNIT", default="calendar")  # calendar | working
CASE_ESCALATION_STEPS = tuple(env.list("CASE_ESCALATION_STEPS", cast=int, default=[2, 2]))
# Tracking secrets sent by email: bytes of randomness (URL-safe base64 of 32 bytes = 43 chars).
CASE_TRACKING_TOKEN_BYTES = env.int("CASE_TRACKING_TOKEN_BYTES", default=32)

# --- Notifications outbox (tawasul.notifications) -------------------------------------------
# Retries of a failed email/SMS: delay = BASE * 2^(attempts-1), capped; given up after MAX.
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=60)
NOTIFICATION_RETRY_MAX_SECONDS = env.int("NOTIFICATION_RETRY_MAX_SECONDS", default=6 * 3600)
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=10)
# A row left in "sending" longer than this (a worker died mid-send) is retried.
NOTIFICATION_SENDING_TIMEOUT_SECONDS = env.int("NOTIFICATION_SENDING_TIMEOUT_SECONDS", default=900)
# SMS gateway class (dotted path); the default writes the message to the log.
SMS_GATEWAY = env.str("SMS_GATEWAY", default="tawasul.notifications.gateways.LoggingSmsGateway")

# --- Registry (tawasul.registry) -------------------------------------------------------------
# Administrations per page of the public directory (/<lang>/registry/).
REGISTRY_DIRECTORY_PAGE_SIZE = env.int("REGISTRY_DIRECTORY_PAGE_SIZE", default=25)

# --- Internationalisation ----------------------------------------------------------------
# Django ships no Amazigh locale: register zgh (Standard Moroccan Tamazight, Tifinagh,
# left to right). Its catalogue lives in locale/zgh; missing strings fall back to Arabic.
django_locale.LANG_INFO["zgh"] = {
    "bidi": False,
    "code": "zgh",
    "name": "Standard Moroccan Tamazight",
    "name_local": "ⵜⴰⵎⴰⵣⵉⵖⵜ",
}
LANGUAGE_CODE = "ar"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("zgh", _("Amazigh")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "tawasul_language"
# Set by the language switcher (home:set_language); one year, so `/` remembers the choice.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True

# --- Static and media --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media-not-served/"  # attachments are served by views that check access
STORAGES = {
    # MEDIA_ROOT; STORAGE_BACKEND=s3 replaces it (the storage block at the end of this file).
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG

# --- Email ------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEMO_MODE else "smtp://127.0.0.1:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Tawasul <no-reply@tawasul.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ---------------------------------------------------------------------------
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_HTTPS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client's address behind reverse proxies, for every per-client limit and lockout (axes,
# allauth, django-ratelimit, API throttles): one function, tawasul.core.clientaddress, reads the
# entry TRUSTED_PROXY_COUNT places from the right of X-Forwarded-For (0: REMOTE_ADDR, the header
# ignored). API_NUM_PROXIES is the former name (it served the API throttles only), still read when
# PROXY_COUNT is unset; tawasul.core.checks refuses the two set to different numbers.
TRUSTED_PROXY_COUNT = env.int("PROXY_COUNT", default=env.int("API_NUM_PROXIES", default=0))
RATELIMIT_IP_META_KEY = "tawasul.core.clientaddress.client_address"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- API --------------------------------------------------------------------------------
# The JSON API of the mobile-app channel (issue 3; ARCHITECTURE.md §1 hardening: strict JSON
# parser, COMPONENT_SPLIT_REQUEST, explicit error serializers, enum validation).
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": ["tawasul.api.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # No session authentication: the API needs no CSRF token and never acts as a signed-in user.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "tawasul.api.errors.exception_handler",
    "UNICODE_JSON": True,  # Arabic is sent as UTF-8, not as \uXXXX escapes
    "STRICT_JSON": True,
    "COERCE_DECIMAL_TO_STRING": True,
    # DRF's own get_ident, for any throttle but ours (tawasul.api.throttles reads client_address()).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
# Requests per client IP (tawasul.api.throttles): filing, tracking (stricter: it is what a
# reference-guessing attacker would hammer, issue 3 "rate-limited per client"), the requester's
# actions with the tracking secret, and the helper lists.
API_THROTTLE_RATES = {
    "submit": env.str("API_THROTTLE_SUBMIT", default="20/hour"),
    "track": env.str("API_THROTTLE_TRACK", default="10/min"),
    "requester": env.str("API_THROTTLE_REQUESTER", default="60/min"),
    "lookup": env.str("API_THROTTLE_LOOKUP", default="120/min"),
}
# Largest JSON body the API parses (the longest valid complaint is far below: 5,000 characters
# of description, at most 6 bytes each once escaped).
API_MAX_JSON_BYTES = env.int("API_MAX_JSON_BYTES", default=256 * 1024)
# How long each process remembers the administration and subject a filing names by code
# (tawasul.core.memo, ADR 0045; seconds, 0: read them at every filing). A change made in one
# process is seen there at once and by the others within this time.
FILING_LOOKUP_CACHE_SECONDS = env.float("FILING_LOOKUP_CACHE_SECONDS", default=30.0)
# How long an attachment download link given by /api/v1/track/ stays valid (seconds).
API_DOWNLOAD_LINK_MAX_AGE = env.int("API_DOWNLOAD_LINK_MAX_AGE", default=15 * 60)
SPECTACULAR_SETTINGS = {
    "TITLE": "Tawasul API",
    "DESCRIPTION": (
        "JSON API of the mobile-app channel: file a complaint, track it, and act on it as its requester; "
        "order civil-status documents and follow the order; read the published job notices and their lists. "
        'Errors always have the shape {"errors": {"<field>": ["<message>"]}} with messages in the '
        "language of the Accept-Language header (ar, fr, zgh, en). Filing answers a `tracking_token` once: "
        "requests acting for the requester send `Authorization: Tracking <reference>:<token>`; a missing or "
        "wrong proof answers the same 404 as an unknown reference."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- Complaints portal (decree 2-17-265; DOMAIN.md R2) --------------------------------------
# Reopening: window after the answer and how many times ([M] defaults, to confirm).
COMPLAINTS_REOPEN_WINDOW_DAYS = env.int("COMPLAINTS_REOPEN_WINDOW_DAYS", default=30)
COMPLAINTS_MAX_REOPENINGS = env.int("COMPLAINTS_MAX_REOPENINGS", default=1)
# An administration is ranked in the public statistics only above this volume (as Alaveteli does).
COMPLAINTS_RANKING_MIN_VOLUME = env.int("COMPLAINTS_RANKING_MIN_VOLUME", default=100)

# --- Back office, SLA reminders, staff digest (issue 4) -----------------------------------------
# Staff reminders before the answer deadline: D-5 and D-1 working days (issue 4; law 31-13 uses
# the same two reminders for information requests). Working days, Africa/Casablanca (DOMAIN.md R8).
CASE_REMINDER_WORKING_DAYS = tuple(env.list("CASE_REMINDER_WORKING_DAYS", cast=int, default=[5, 1]))
# The daily email digest of staff alerts goes out at this hour, Africa/Casablanca (issue 4 "email
# digest"; before the 08:30 opening of decree 2-05-916, DOMAIN.md §8.1), at most this many items.
STAFF_DIGEST_HOUR = env.int("STAFF_DIGEST_HOUR", default=7)
STAFF_DIGEST_MAX_ITEMS = env.int("STAFF_DIGEST_MAX_ITEMS", default=100)
# Back-office inbox: the "due soon" count and default of "due within N working days" is the first
# staff reminder's distance (D-5 working days, issue 4), so the count shows what reminders announce.
BACKOFFICE_DUE_SOON_WORKING_DAYS = env.int("BACKOFFICE_DUE_SOON_WORKING_DAYS", default=5)
# CSV export of the filtered inbox: a bound on one download (a product choice, not a legal rule:
# larger extracts are the indicators' reports, issue 4).
BACKOFFICE_EXPORT_MAX_ROWS = env.int("BACKOFFICE_EXPORT_MAX_ROWS", default=10_000)

# --- Access-to-information requests, law 31-13 (issue 5) ----------------------------------------
# Deadlines of law 31-13 (DOMAIN.md §1.6 and R1; article numbers from Carnegie, DOMAIN.md §1.6).
# Answer: 20 working days from receipt (art. 16).
INFORMATION_ANSWER_WORKING_DAYS = env.int("INFORMATION_ANSWER_WORKING_DAYS", default=20)
# Extension: once, by an equal period, asked before the first deadline ends (art. 16).
INFORMATION_EXTENSION_WORKING_DAYS = env.int("INFORMATION_EXTENSION_WORKING_DAYS", default=20)
# Urgent request (life, safety or freedom of persons): 3 days (art. 17). The form does not say
# "working": unit configurable, calendar by default (DOMAIN.md R1).
INFORMATION_URGENT_DAYS = env.int("INFORMATION_URGENT_DAYS", default=3)
INFORMATION_URGENT_UNIT = env.str("INFORMATION_URGENT_UNIT", default="calendar")  # calendar | working
# Complaint to the head of the body: within 20 working days of the answer or of the deadline's
# end (art. 19 §1); the head answers within 15 days (art. 19 §2, [M], to confirm).
INFORMATION_HEAD_COMPLAINT_WORKING_DAYS = env.int("INFORMATION_HEAD_COMPLAINT_WORKING_DAYS", default=20)
INFORMATION_HEAD_ANSWER_DAYS = env.int("INFORMATION_HEAD_ANSWER_DAYS", default=15)
# Complaint to the CDAI: within 30 days of the head's answer or deadline; the CDAI answers within
# 30 days of receiving it (law 31-13 chapter IV, arts. 14-21; DOMAIN.md §1.6).
INFORMATION_CDAI_COMPLAINT_DAYS = env.int("INFORMATION_CDAI_COMPLAINT_DAYS", default=30)
INFORMATION_CDAI_ANSWER_DAYS = env.int("INFORMATION_CDAI_ANSWER_DAYS", default=30)
# Administrative court: 60 days from the CDAI's answer or deadline (DOMAIN.md §1.6; shown, not tracked).
INFORMATION_COURT_DAYS = env.int("INFORMATION_COURT_DAYS", default=60)
# Registry code of the Commission (CDAI), whose cases are the complaints addressed to it.
INFORMATION_CDAI_CODE = env.str("INFORMATION_CDAI_CODE", default="cdai")
# A body is listed in the public statistics ranking only above this volume (as Alaveteli does).
INFORMATION_RANKING_MIN_VOLUME = env.int("INFORMATION_RANKING_MIN_VOLUME", default=20)
# Defaults that DOMAIN.md marks [M] (from memory): shown as "to confirm" in the admin.
INFORMATION_TO_CONFIRM = (
    "INFORMATION_HEAD_ANSWER_DAYS",  # DOMAIN.md §1.6: the form does not print the head's 15 days
    "INFORMATION_URGENT_UNIT",  # DOMAIN.md §1.6: calendar or working days is not settled
)


# --- Procedures catalog (issue 6) ---------------------------------------------------------------
# Law 55-19 (DOMAIN.md R5 "Validation"): an act is answered within 60 days at most, 30 for an
# investment act, and one copy of a document is the most an administration may ask for.
CATALOG_MAX_DELAY_DAYS = env.int("CATALOG_MAX_DELAY_DAYS", default=60)
CATALOG_MAX_DELAY_INVESTMENT_DAYS = env.int("CATALOG_MAX_DELAY_INVESTMENT_DAYS", default=30)
CATALOG_MAX_COPIES = env.int("CATALOG_MAX_COPIES", default=1)
# Search results per page (SPEC.md §5: mobile first, so short pages).
CATALOG_SEARCH_PAGE_SIZE = env.int("CATALOG_SEARCH_PAGE_SIZE", default=20)
# Typo tolerance (issue 6): only queries of at most this many words get the fuzzy fallback.
CATALOG_FUZZY_MAX_WORDS = env.int("CATALOG_FUZZY_MAX_WORDS", default=2)
# Counting search results stops here (the page then says "more than"): 50 pages of 20 is more
# than anyone reads, and counting 60,000 matches at 100k procedures cost more than ranking a page.
CATALOG_SEARCH_MAX_COUNT = env.int("CATALOG_SEARCH_MAX_COUNT", default=1000)

# --- Public facilities map (issue 6) ------------------------------------------------------------
# Map tiles (SPEC.md §6: "tiles from a configurable tile server"). A Leaflet URL template; empty
# disables the map (the text directory stays). The OSM default suits a demo only: production
# must use its own tile server or a provider that allows the traffic (OSM tile usage policy).
# The hardening CSP must allow this host in img-src.
FACILITIES_TILE_URL = env.str("FACILITIES_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
FACILITIES_TILE_ATTRIBUTION = env.str("FACILITIES_TILE_ATTRIBUTION", default="© OpenStreetMap contributors (ODbL)")
# Text directory: facilities per page (the list is the page's main content, SPEC.md §6).
FACILITIES_DIRECTORY_PAGE_SIZE = env.int("FACILITIES_DIRECTORY_PAGE_SIZE", default=25)
# API limits: features per GeoJSON page and the largest `n` of nearest-N (keeps answers small).
FACILITIES_API_PAGE_SIZE = env.int("FACILITIES_API_PAGE_SIZE", default=500)
FACILITIES_NEAREST_MAX = env.int("FACILITIES_NEAREST_MAX", default=50)

# --- Hardening: abuse limits, personal data, backups (issue 8) ----------------------------------
# Per-client (IP) rate limits on the POST of each public form (tawasul.core.ratelimits; issue 8
# item 4 "per-client rate limits on every public form and on tracking"). A person files a handful of
# requests a day; twenty an hour from one address is a script. Tracking keeps its own 10/min
# (complaints.views.TRACK_RATE, issue 3). A new public form is limited by adding its URL name here.
PUBLIC_FORM_RATE_LIMITS = {
    "complaints:file_form": env.str("RATE_LIMIT_FILE_FORM", default="20/h"),
    "complaints:case_message": env.str("RATE_LIMIT_CASE_MESSAGE", default="30/h"),
    "complaints:case_reopen": env.str("RATE_LIMIT_CASE_ACTION", default="10/h"),
    "complaints:case_rate": env.str("RATE_LIMIT_CASE_ACTION", default="10/h"),
    "information:file_form": env.str("RATE_LIMIT_FILE_FORM", default="20/h"),
    "information:case_message": env.str("RATE_LIMIT_CASE_MESSAGE", default="30/h"),
    "account_signup": env.str("RATE_LIMIT_SIGNUP", default="10/h"),
    "account_reset_password": env.str("RATE_LIMIT_PASSWORD_RESET", default="10/h"),
}
# Messages a requester may add to one case per day (Africa/Casablanca day; tawasul.cases.limits).
# Issue 8 item 4 "limits on messages per case per day": a case is a conversation with an
# administration, not a chat; ten a day leaves room for documents sent one by one.
CASE_MAX_MESSAGES_PER_DAY = env.int("CASE_MAX_MESSAGES_PER_DAY", default=10)
# A 503 for an unreachable database tells clients to retry after this many seconds
# (tawasul.core.middleware; a PostgreSQL restart takes a few seconds).
DATABASE_UNAVAILABLE_RETRY_AFTER = env.int("DATABASE_UNAVAILABLE_RETRY_AFTER", default=30)
# Law 09-08 art. 3 §1 e): personal data kept no longer than the purpose needs. Identities on
# cases closed more than this many years ago are erased by a daily job (tawasul.accounts.personal_data);
# the anonymised cases stay in the statistics. 5 years: the limitation period of administrative
# liability claims; to confirm with the CNDP declaration of the platform.
PERSONAL_DATA_RETENTION_YEARS = env.int("PERSONAL_DATA_RETENTION_YEARS", default=5)
# The content of a sent email or SMS (names, subject, answer) is blanked this many days after it
# was written; its delivery record stays as long as the identities (docs/adr/0057).
NOTIFICATION_CONTENT_RETENTION_DAYS = env.int("NOTIFICATION_CONTENT_RETENTION_DAYS", default=30)
# The apps that hold personal data, for export and erasure (tawasul.accounts.personal_data): accounts
# sits below the case core, so the providers are named here rather than imported.
PERSONAL_DATA_PROVIDERS = [
    "tawasul.information.personal_data.InformationPersonalData",  # before the cases: it finds them by account
    "tawasul.cases.personal_data.CasePersonalData",
    # After the cases: their erasure finds the emails and SMS the outbox still holds.
    "tawasul.notifications.retention.NotificationPersonalData",
]
# Content-Security-Policy (django-csp 4, nonces): no inline script or style, no CDN; map tiles from
# FACILITIES_TILE_URL's host. OWASP ASVS 14.4.3.
from csp.constants import NONCE  # noqa: E402 - kept inside the hardening block

_tile_origin = "/".join(FACILITIES_TILE_URL.split("/")[:3]) if FACILITIES_TILE_URL.startswith("http") else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:", *([_tile_origin] if _tile_origin else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# A task RUNNING longer than this was left by a dead worker and goes back to the queue
# (tawasul.core.taskrecovery; jobs are idempotent and take seconds; as NOTIFICATION_SENDING_TIMEOUT_SECONDS).
TASK_STALE_SECONDS = env.int("TASK_STALE_SECONDS", default=900)
# HSTS preload list (OWASP ASVS 9.1.1): a lasting commitment of the whole domain to HTTPS, so opt-in
# per deployment (production sets SECURE_HSTS_PRELOAD=1; `manage.py check --deploy` asks for it).
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Browser features the platform never uses (django-permissions-policy); geolocation only for the
# facilities map's "near me" (same origin).
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": ["self"],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}

# --- Performance (issue 7) ----------------------------------------------------------------------
# API rate-limit counters (tawasul.api.throttles): one `incr` per request in their own cache, never
# the database cache (BENCHMARKING.md: ~5 queries per request there). Redis, shared by every
# worker, when REDIS_URL is set; otherwise a per-process memory cache (demo, tests, one server).
API_THROTTLE_CACHE = "throttle"
CACHES["throttle"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.str("REDIS_URL")}
    if env.str("REDIS_URL", default="")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api-throttle"}
)
# Public complaint statistics (DOMAIN.md R2 "Public statistics") are read from counters refreshed
# from the case events at most this often when a reader asks (seconds; 0: whenever something changed).
COMPLAINTS_STATISTICS_REFRESH_SECONDS = env.int("COMPLAINTS_STATISTICS_REFRESH_SECONDS", default=60)

# --- Reception-quality program (tawasul.reception; SPEC.md §10, DOMAIN.md R7) -----------------------
# Survey results of a site or an administration stay hidden below this many answers (a handful says
# little and, at a small desk, could point at one visitor or one agent; docs/adr/0032).
RECEPTION_SURVEY_MIN_ANSWERS = env.int("RECEPTION_SURVEY_MIN_ANSWERS", default=10)
# Survey answers accepted per client address (a desk tablet or a carrier's shared address serves
# many visitors, so higher than the complaint form's limit; tawasul.core.ratelimits).
PUBLIC_FORM_RATE_LIMITS["reception:survey"] = env.str("RATE_LIMIT_RECEPTION_SURVEY", default="60/h")

# --- Contact center and assistant (tawasul.contact; SPEC.md §8, DOMAIN.md §6 and R6) -------------
# The number the assistant and the pages give for the contact center (DOMAIN.md §6: the 3737 green
# number; a short number phonenumbers does not validate, so a plain display string).
CONTACT_CENTER_PHONE = env.str("CONTACT_CENTER_PHONE", default="3737")
# Its opening hours as shown to citizens, Monday to Friday (DOMAIN.md R6: 09:00–15:00, configurable).
CONTACT_CENTER_HOURS = env.str("CONTACT_CENTER_HOURS", default="09:00–15:00")
# Questions to the public assistant per client address (a person asks a few in a row; tawasul.core.ratelimits).
PUBLIC_FORM_RATE_LIMITS["contact:assistant"] = env.str("RATE_LIMIT_ASSISTANT", default="60/h")
# "Ask to be called back" requests: the limit of the public filing forms.
PUBLIC_FORM_RATE_LIMITS["contact:callback"] = env.str("RATE_LIMIT_FILE_FORM", default="20/h")
# A callback nobody handled within this many days is closed and its name and phone erased by the
# daily personal-data job (law 09-08 art. 3: kept no longer than needed; tawasul.contact.personal_data).
CONTACT_CALLBACK_RETENTION_DAYS = env.int("CONTACT_CALLBACK_RETENTION_DAYS", default=30)
# A callback is made on time within this many days of its request (DOMAIN.md R6: a written
# question's answer time, 3 days): late ones are flagged in the agents' queue and the indicators
# give the share made on time.
CONTACT_CALLBACK_WITHIN_DAYS = env.int("CONTACT_CALLBACK_WITHIN_DAYS", default=3)
PERSONAL_DATA_PROVIDERS.append("tawasul.contact.personal_data.ContactPersonalData")

# --- Object storage and poolers (deployment past one machine; docs/adr/0035, 0036) ----------------
# Where attachments and generated files are kept: `filesystem` (MEDIA_ROOT: one host, or one
# filesystem mounted on every host) or `s3` (a bucket of an S3-compatible service shared by every
# host; private, streamed by the access-checked views: tawasul.core.storage_s3). A dotted storage
# class path is still accepted (the variable used to take one).
STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="filesystem")
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {
        "BACKEND": "tawasul.core.storage_s3.PrivateS3Storage",
        "OPTIONS": {
            # The bucket (required): private, ideally versioned (docs/operations/backup.md).
            "bucket_name": env.str("STORAGE_S3_BUCKET", default=""),
            # A non-AWS service (MinIO, Ceph, Garage, ...): its URL, addressed path-style; empty: AWS.
            "endpoint_url": env.str("STORAGE_S3_ENDPOINT_URL", default="") or None,
            # The bucket's region (AWS: e.g. eu-west-3); empty: the service's default.
            "region_name": env.str("STORAGE_S3_REGION", default="") or None,
            # Credentials, or files holding them (_FILE); empty: boto3's own chain (AWS_* variables,
            # an instance or pod role).
            "access_key": env_secret("STORAGE_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_secret("STORAGE_S3_SECRET_ACCESS_KEY") or None,
        },
    }
    if not STORAGES["default"]["OPTIONS"]["bucket_name"]:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs STORAGE_S3_BUCKET")
elif STORAGE_BACKEND != "filesystem":
    STORAGES["default"] = {"BACKEND": STORAGE_BACKEND}
# PostgreSQL behind a connection pooler: `transaction` (PgBouncer's transaction mode, where one
# client's statements may run on several server connections) turns off server-side cursors (the
# `.iterator()` reads) and the server-side prepared statements of ADR 0024, unless
# DATABASE_PREPARED_STATEMENTS=1 is set explicitly (PgBouncer >= 1.21 with max_prepared_statements).
# Empty or `session`: nothing changes.
DATABASE_POOLER = env.str("DATABASE_POOLER", default="")
if DATABASE_POOLER not in ("", "session", "transaction"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"DATABASE_POOLER is empty, session or transaction, not {DATABASE_POOLER!r}")
if DATABASE_POOLER == "transaction" and "postgresql" in DATABASES["default"]["ENGINE"]:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    if not env.bool("DATABASE_PREPARED_STATEMENTS", default=False):
        DATABASES["default"].get("OPTIONS", {}).pop("prepare_threshold", None)

# --- Civil-status documents (tawasul.documents; DOMAIN.md R3) -----------------------------------
# Payment gateway class of document orders (dotted path; tawasul.documents.payments). The default
# is a demonstration page that takes no money: set your bank's gateway in production.
DOCUMENTS_PAYMENT_GATEWAY = env.str(
    "DOCUMENTS_PAYMENT_GATEWAY", default="tawasul.documents.payments.DemoPaymentGateway"
)

# --- Public jobs (tawasul.jobs; DOMAIN.md R4) ----------------------------------------------------
# Candidates' profiles, applications and uploaded files, for law 09-08 access and erasure
# (tawasul.jobs.personal_data). No environment variable: age limits and quotas are per notice.
PERSONAL_DATA_PROVIDERS.append("tawasul.jobs.personal_data.JobsPersonalData")

# --- CMI card gateway (tawasul.documents.cmi; docs/adr/0040-cmi-card-gateway.md) ------------------
# Card payments of document orders through the CMI's hosted page (Morocco), selected with
# DOCUMENTS_PAYMENT_GATEWAY=tawasul.documents.payments.CmiPaymentGateway. The merchant's client id
# and store key come with the CMI contract (a system check refuses the gateway without them); the
# store key signs every form and callback: keep it secret (CMI_STORE_KEY_FILE for a secrets file).
CMI_CLIENT_ID = env.str("CMI_CLIENT_ID", default="")
CMI_STORE_KEY = env_secret("CMI_STORE_KEY")
# The gateway's address: the CMI's test platform by default; production's comes with the contract.
CMI_GATEWAY_URL = env.str("CMI_GATEWAY_URL", default="https://testpayment.cmi.co.ma/fim/est3Dgate")

# --- The post's tracking feed (tawasul.documents.postfeed; docs/adr/0042-post-tracking-feed.md) ----
# The post operator pushes its item events to POST /api/v1/post/events/, each request signed with
# an HMAC-SHA256 of its body under this shared key (header `X-Tawasul-Signature: sha256=<hex>`).
# Empty: the feed is off (the endpoint answers 404) and officers record the post's moves by hand.
# A secret: at least 32 random bytes, preferably in a file (POST_FEED_KEY_FILE).
POST_FEED_KEY = env_secret("POST_FEED_KEY")
# Carrier event code → outcome: in_transit, delivered, returned, or attempted (no move, a public
# event on the timeline). Default: the UPU EMSEVT item events, and `RTS` for a letter back with its
# sender (EMSEVT has no code of its own for it); as CODE=outcome pairs separated by commas.
POST_FEED_EVENT_MAP = env.dict(
    "POST_FEED_EVENT_MAP",
    default={
        **dict.fromkeys(("EMA", "EMB", "EMC", "EMD", "EMF", "EMG", "EMJ", "EMK"), "in_transit"),
        "EMI": "delivered",
        "EMH": "attempted",
        "RTS": "returned",
    },
)
if not set(POST_FEED_EVENT_MAP.values()) <= {"in_transit", "delivered", "returned", "attempted"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("POST_FEED_EVENT_MAP: each outcome is in_transit, delivered, returned or attempted")
# Calls of the feed per client address (the operator's servers).
API_THROTTLE_RATES["feed"] = env.str("API_THROTTLE_FEED", default="60/min")
