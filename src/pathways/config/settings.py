"""Settings for every environment, read from environment variables with safe production defaults."""
from pathlib import Path

import dj_database_url

from .env import env_bool, env_int, env_list, env_str, persistent_secret

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SRC_DIR.parent.parent
DATA_DIR = Path(env_str("PATHWAYS_DATA_DIR", str(BASE_DIR / "var")))

# Off unless the development command (`make run`) turns it on.
DEBUG = env_bool("PATHWAYS_DEBUG", False)
SECRET_KEY = env_str("PATHWAYS_SECRET_KEY") or persistent_secret(DATA_DIR / "secret_key")
ALLOWED_HOSTS = env_list("PATHWAYS_ALLOWED_HOSTS", "127.0.0.1,localhost")
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
    "pathways.notifications",
    "pathways.safety",
    "pathways.mi.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pathways.web.middleware.NoStoreForSignedInMiddleware",
    "pathways.circle.middleware.AccessContextMiddleware",
]

ROOT_URLCONF = "pathways.config.urls"
WSGI_APPLICATION = "pathways.config.wsgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default (zero set-up); PostgreSQL when DATABASE_URL says so.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'pathways.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("PATHWAYS_DB_CONN_MAX_AGE", 0))}
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

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = env_str("PATHWAYS_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"  # filled by `collectstatic` in production
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve straight from the apps' static folders too, so a fresh checkout needs no collectstatic step.
WHITENOISE_USE_FINDERS = True

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("PATHWAYS_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Request size. A transcript may be up to 10 MB (pathways.mi.transcript.MAX_BYTES); the form fields around
# it get room for that with its line breaks sent as CRLF, so an oversized paste reaches the analyzer's form
# and gets a message saying what to do, not a bare 400. Uploaded files over 2.5 MB wait in a temporary file,
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
}
