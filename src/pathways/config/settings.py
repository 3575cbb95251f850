"""Settings for every environment, read from environment variables with safe production defaults."""
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from pathways.lib.env import env_bool, env_int, env_list, env_str, new_fernet_key, persistent_secret

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SRC_DIR.parent.parent
DATA_DIR = Path(env_str("PATHWAYS_DATA_DIR", str(BASE_DIR / "var")))

# PATHWAYS_ENV=production makes the secret key and host names required and turns on HTTPS-only
# settings; see "Production" under Security below.
PATHWAYS_ENV = env_str("PATHWAYS_ENV", "development").strip().lower() or "development"
PRODUCTION = PATHWAYS_ENV == "production"
# Off unless the development command (`make run`) turns it on.
DEBUG = env_bool("PATHWAYS_DEBUG", False)
# In production nothing is generated or assumed: the key and the host names must be given.
SECRET_KEY = env_str("PATHWAYS_SECRET_KEY") or ("" if PRODUCTION else persistent_secret(DATA_DIR / "secret_key"))
# Keys for the free-text fields encrypted at rest (pathways.vault), kept apart from the database: newest first,
# comma- or line-separated; the first encrypts, all decrypt. See docs/operating.md, "Field encryption keys".
_field_keys = env_str("PATHWAYS_FIELD_KEYS") or (
    "" if PRODUCTION else persistent_secret(DATA_DIR / "field_keys", make=new_fernet_key))
PATHWAYS_FIELD_KEYS = [key.strip() for key in _field_keys.replace("\n", ",").split(",") if key.strip()]
# Keys for the access log's chain (pathways.circle.access_log), kept apart from the database like the field
# keys: newest first, comma- or line-separated; the first signs new entries, every key listed still verifies
# the entries it signed. Any long random text; development keeps one in DATA_DIR.
_access_log_keys = env_str("PATHWAYS_ACCESS_LOG_KEYS") or (
    "" if PRODUCTION else persistent_secret(DATA_DIR / "access_log_keys"))
PATHWAYS_ACCESS_LOG_KEYS = [key.strip() for key in _access_log_keys.replace("\n", ",").split(",") if key.strip()]
# Where the worker writes checkpoints of the access log, outside the database (pathways.circle.checkpoints):
# file:/path, syslog, syslog:HOST[:PORT], email:ADDRESS, or off. Development: a file in DATA_DIR. Production
# makes the organisation choose. Checkpoints are at least PATHWAYS_ACCESS_LOG_CHECKPOINT_SECONDS apart
# (default: every round the log moved; an hour for email).
PATHWAYS_ACCESS_LOG_CHECKPOINT = env_str("PATHWAYS_ACCESS_LOG_CHECKPOINT").strip() or (
    "" if PRODUCTION else f"file:{DATA_DIR / 'access_log_checkpoints.txt'}")
PATHWAYS_ACCESS_LOG_CHECKPOINT_SECONDS = env_int(
    "PATHWAYS_ACCESS_LOG_CHECKPOINT_SECONDS", 3600 if PATHWAYS_ACCESS_LOG_CHECKPOINT.startswith("email:") else 0)
ALLOWED_HOSTS = env_list("PATHWAYS_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("PATHWAYS_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "pathways.web",
    "pathways.people",
    "pathways.circle",
    "pathways.plans",
    "pathways.checkins",
    "pathways.reports",
    "pathways.conversations",
    "pathways.notifications",
    "pathways.safety",
    "pathways.mi.web",
    "pathways.library",
    "pathways.directory",
    "pathways.tools",
    "pathways.signins",
    "pathways.vault",
    "pathways.outbox",
    # Two-step sign-in (authenticator app + recovery codes) and re-authentication: pathways/verification.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "pathways.verification",
    "pathways.records",
    "pathways.worker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pathways.web.middleware.StripControlCharactersMiddleware",  # before anything reads a form; files and JSON untouched
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # is this session verified with a code; right after auth
    "django.contrib.messages.middleware.MessageMiddleware",
    "pathways.signins.middleware.SessionLimitsMiddleware",  # idle and age limits; after auth and messages
    "pathways.people.middleware.TimeZoneMiddleware",  # the account's own clock; after the limits
    "pathways.verification.middleware.SecondFactorRequiredMiddleware",  # after the limits: a live session
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pathways.web.middleware.NoStoreForSignedInMiddleware",
    "pathways.circle.middleware.AccessContextMiddleware",
]

ROOT_URLCONF = "pathways.config.urls"
WSGI_APPLICATION = "pathways.config.wsgi.application"

# No "loaders" option on purpose: Django 5.2 then wraps the file and app loaders in its cached loader, in every
# environment (django/template/engine.py), so each template is read and compiled once per process; in
# development the autoreloader empties that cache when a template changes.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pathways.web.context_processors.header",  # the header's questions, in one query per page
                "pathways.web.context_processors.quick_exit",  # "Leave this page quickly" on sensitive pages
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default (zero set-up); PostgreSQL when DATABASE_URL says so.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'pathways.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
# Connections. In production on PostgreSQL each process keeps its connection between requests, for
# PATHWAYS_DB_CONN_MAX_AGE seconds (default 600; 0 opens one per request, as development and the tests do):
# opening one costs more than most pages' queries. Persistent connections rather than Django's psycopg pool
# because gunicorn's sync workers are processes of one thread serving one request at a time: each needs exactly
# one connection, which a pool per process would only wrap (and hold spares of). To cap connections across many
# servers, put PgBouncer in front of PostgreSQL. The health check replaces, at the start of the next request, a
# connection the database dropped (a restart, a failover) instead of failing that request.
_on_postgres = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DATABASES["default"]["CONN_MAX_AGE"] = env_int("PATHWAYS_DB_CONN_MAX_AGE", 600 if PRODUCTION and _on_postgres else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN,
        # so two writers queue on the busy timeout instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("PATHWAYS_SQLITE_TIMEOUT", 20),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

# --- Sessions -------------------------------------------------------------------------------------
# A session ends after PATHWAYS_SESSION_IDLE_MINUTES without a request and PATHWAYS_SESSION_MAX_HOURS after
# signing in, checked on the server at every request (pathways/signins/middleware.py); the cookie lasts no
# longer than the second. Logging out, a new password and deactivation end all of an account's sessions.
PATHWAYS_SESSION_IDLE_MINUTES = max(1, env_int("PATHWAYS_SESSION_IDLE_MINUTES", 30))
PATHWAYS_SESSION_MAX_HOURS = max(1, env_int("PATHWAYS_SESSION_MAX_HOURS", 12))
SESSION_COOKIE_AGE = PATHWAYS_SESSION_MAX_HOURS * 60 * 60
# Confirmation messages quote typed text: kept in an encrypted cookie only, never in the session table.
MESSAGE_STORAGE = "pathways.vault.messages.EncryptedCookieStorage"

# --- Two-step sign-in and re-authentication (pathways/verification) ----------------------------
# Accounts that can see other people's data (staff roles, Django staff, anyone in a person's circle) must
# set up an authenticator app before anything else; PATHWAYS_MFA_REQUIRED_FOR_STAFF=0 turns that off (it
# stays available to everyone). Sensitive changes ask for the password (and a code) again when this session
# signed in or confirmed more than PATHWAYS_REAUTH_MINUTES ago.
PATHWAYS_MFA_REQUIRED_FOR_STAFF = env_bool("PATHWAYS_MFA_REQUIRED_FOR_STAFF", True)
PATHWAYS_REAUTH_MINUTES = max(1, env_int("PATHWAYS_REAUTH_MINUTES", 10))
OTP_TOTP_ISSUER = "Pathways"  # the name the authenticator app shows
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows an app's secret key

# --- Login protection (django-axes) ---------------------------------------------------------
# Failed logins are counted per email address + IP address: at PATHWAYS_LOGIN_FAILURE_LIMIT that pair is refused
# for PATHWAYS_LOGIN_COOLOFF_MINUTES, with the same kind page (status 429) whether or not the account exists.
# An IP address with PATHWAYS_LOGIN_IP_FAILURE_LIMIT failures across any addresses (credential stuffing) is
# paused the same way. X-Forwarded-For is believed only when PATHWAYS_PROXY_COUNT says how many proxies are in
# front. See pathways/people/lockout.py and docs/security.md, "Login protection".
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as axes asks
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = "pathways.people.lockout.PathwaysAxesHandler"
AXES_FAILURE_LIMIT = env_int("PATHWAYS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PATHWAYS_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
PATHWAYS_LOGIN_IP_FAILURE_LIMIT = env_int("PATHWAYS_LOGIN_IP_FAILURE_LIMIT", 30)
PATHWAYS_PROXY_COUNT = env_int("PATHWAYS_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "pathways.people.lockout.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "pathways.people.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "pathways.people.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True  # a successful login clears that address's earlier typos from that IP
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the pause ends on time, whatever is tried during it
AXES_DISABLE_ACCESS_LOG = True  # keep no record of successful logins; failures past the cool-off go at the next login
AXES_VERBOSE = False  # no "AXES: BEGIN" banner in every management command's output

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("PATHWAYS_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("PATHWAYS_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PATHWAYS_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("PATHWAYS_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("PATHWAYS_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("PATHWAYS_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("PATHWAYS_FROM_EMAIL", "Pathways <pathways@localhost>")
# A slow mail server must not hold the notification worker forever; it retries later instead.
EMAIL_TIMEOUT = env_int("PATHWAYS_EMAIL_TIMEOUT", 20)
# Where links in emails point: the address people open Pathways at, without a trailing slash.
PATHWAYS_SITE_URL = env_str("PATHWAYS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where "Leave this page quickly" goes: an everyday page that says nothing about recovery (docs/operating.md).
PATHWAYS_QUICK_EXIT_URL = env_str("PATHWAYS_QUICK_EXIT_URL").strip() or "https://www.bbc.com/weather"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
# Extra word lists for the respectful-language check (pathways.conversations.language), read after ours:
# comma-separated paths of TOML files written like conversations/respectful_language.toml.
PATHWAYS_LANGUAGE_FILES = env_list("PATHWAYS_LANGUAGE_FILES")
TIME_ZONE = env_str("PATHWAYS_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
# Filled by `collectstatic` in production, where the proxy serves it straight from disk (deploy/site.caddy).
STATIC_ROOT = Path(env_str("PATHWAYS_STATIC_ROOT") or DATA_DIR / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve straight from the apps' static folders too, so a fresh checkout needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
if PRODUCTION:  # names with a content hash, which browsers may keep for a year: see pathways/config/static_files.py
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "pathways.config.static_files.HashedStaticFiles"},
    }

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: htmx takes the token from the page (base.html)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("PATHWAYS_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Programme outcomes (pathways/reports/outcomes.py) ------------------------------------------
# A count smaller than this is never published in an organisation's outcomes report; production refuses
# anything below 11, a common floor for de-identified health statistics. Tests may set it lower.
OUTCOMES_MIN_COUNT_IN_PRODUCTION = 11
PATHWAYS_OUTCOMES_MIN_COUNT = env_int("PATHWAYS_OUTCOMES_MIN_COUNT", OUTCOMES_MIN_COUNT_IN_PRODUCTION)

# --- Production (PATHWAYS_ENV=production) ---------------------------------------------------
# Refuses to start on a missing or weak setting, with one message naming every problem, rather than
# running half-protected. `manage.py check --deploy --fail-level WARNING` passes with these settings.
if PATHWAYS_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"PATHWAYS_ENV is {PATHWAYS_ENV!r}; it must be 'production' or 'development'.")
if PRODUCTION:
    _problems = []
    if PATHWAYS_OUTCOMES_MIN_COUNT < OUTCOMES_MIN_COUNT_IN_PRODUCTION:
        _problems.append(f"PATHWAYS_OUTCOMES_MIN_COUNT is {PATHWAYS_OUTCOMES_MIN_COUNT}; outcomes reports must "
                         f"withhold every count below at least {OUTCOMES_MIN_COUNT_IN_PRODUCTION}, so set it to "
                         f"{OUTCOMES_MIN_COUNT_IN_PRODUCTION} or more, or unset it")
    if env_str("PATHWAYS_DEBUG"):
        _problems.append("PATHWAYS_DEBUG is set; debug mode shows data in error pages, so unset it")
    if not SECRET_KEY:
        _problems.append("PATHWAYS_SECRET_KEY (or PATHWAYS_SECRET_KEY_FILE) is not set; give it a long random "
                         "value, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(50))'`")
    elif len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        _problems.append("PATHWAYS_SECRET_KEY is too weak; use at least 50 random characters")
    if not PATHWAYS_FIELD_KEYS:
        _problems.append("PATHWAYS_FIELD_KEYS (or PATHWAYS_FIELD_KEYS_FILE) is not set; the free-text fields are "
                         "encrypted with it, so keep it apart from the database and its backups; make one with "
                         "`manage.py rotate_field_keys --generate`")
    if not PATHWAYS_ACCESS_LOG_KEYS:
        _problems.append("PATHWAYS_ACCESS_LOG_KEYS (or PATHWAYS_ACCESS_LOG_KEYS_FILE) is not set; the access log is "
                         "signed with it, so keep it apart from the database, e.g. from `python -c 'import secrets; "
                         "print(secrets.token_urlsafe(50))'`")
    if not PATHWAYS_ACCESS_LOG_CHECKPOINT:
        _problems.append("PATHWAYS_ACCESS_LOG_CHECKPOINT is not set; choose where the access log's checkpoints go, "
                         "outside the database (file:/path, syslog, syslog:host, email:address), or say off")
    if not ALLOWED_HOSTS:
        _problems.append("PATHWAYS_ALLOWED_HOSTS is not set; list the host names Pathways is served at, "
                         "comma-separated, e.g. pathways.example.org")
    if not env_bool("PATHWAYS_SECURE_COOKIES", True):
        _problems.append("PATHWAYS_SECURE_COOKIES is off; cookies must travel over HTTPS only in production")
    if _problems:
        raise ImproperlyConfigured("Pathways cannot start with PATHWAYS_ENV=production: "
                                   + "; ".join(_problems) + ".")
    DEBUG = False
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    # Plain-HTTP requests are redirected to HTTPS. Behind a proxy that ends TLS, name the header it sets
    # (PATHWAYS_PROXY_SSL_HEADER=X-Forwarded-Proto; the proxy must overwrite it on every request), and turn
    # the redirect off (PATHWAYS_SSL_REDIRECT=0) only when the proxy itself redirects.
    SECURE_SSL_REDIRECT = env_bool("PATHWAYS_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP; it shows nothing personal
    _proxy_header = env_str("PATHWAYS_PROXY_SSL_HEADER").strip()
    if _proxy_header:
        SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
    # Browsers remember for a year to use HTTPS only, on subdomains too. Preloading into browsers is a
    # commitment for the whole domain that is hard to undo, so the deploying organisation opts in.
    SECURE_HSTS_SECONDS = env_int("PATHWAYS_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("PATHWAYS_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]  # "preload not set": a deliberate opt-in, see above
# --- End of production block ------------------------------------------------------------------

# Request size. A transcript may be up to 2 MB (pathways.mi.transcript.MAX_BYTES); the form fields around
# it get room for far more, with its line breaks sent as CRLF, so an oversized paste reaches the analyzer's
# form and gets a message saying what to do, not a bare 400. Uploaded files over 2.5 MB wait in a temporary file,
# not memory, and the analyzer checks a file's size before reading it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 24 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# No inline script or style anywhere: every script and stylesheet is a file we serve.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PATHWAYS_LOG_LEVEL", "INFO")},
    # django-axes logs every login at INFO; its lockouts, the part an operator acts on, come at WARNING.
    # WeasyPrint announces each step of drawing a PDF at INFO; its warnings (bad CSS, missing fonts) still show.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}
