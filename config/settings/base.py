"""Settings for every environment, read from the environment.

The defaults run on a laptop with nothing installed: a SQLite file under ``var/`` and a local
Maildir mailbox under ``var/mail/``. Production overrides live in ``production.py``.
"""

from __future__ import annotations

from pathlib import Path

from config.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_str,
    env_timezone,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# A fixed development key: production.py refuses to start without a real one.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "simple_history",
    "claims",
    "verification",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_timezone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Email: SMTP when EMAIL_HOST is set, otherwise a Maildir under var/mail that any mail
# reader (mutt -f var/mail) or `python manage.py mailbox` can open.
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "config.mail.MaildirBackend"
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
MAILDIR_PATH = Path(env_str("MAILDIR_PATH", str(VAR_DIR / "mail")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Claims desk <desk@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- The desk's own settings -------------------------------------------------------------

# How many independent reviews a claim needs before it can go to sign-off, by priority.
REVIEWS_REQUIRED_BY_PRIORITY = {
    "low": env_int("REVIEWS_REQUIRED_LOW", 1, minimum=1),
    "normal": env_int("REVIEWS_REQUIRED_NORMAL", 1, minimum=1),
    "high": env_int("REVIEWS_REQUIRED_HIGH", 2, minimum=1),
    "urgent": env_int("REVIEWS_REQUIRED_URGENT", 2, minimum=1),
}
# Turnaround (hours from assignment to due date), by priority.
TURNAROUND_HOURS_BY_PRIORITY = {
    "low": env_int("TURNAROUND_HOURS_LOW", 120, minimum=1),
    "normal": env_int("TURNAROUND_HOURS_NORMAL", 72, minimum=1),
    "high": env_int("TURNAROUND_HOURS_HIGH", 24, minimum=1),
    "urgent": env_int("TURNAROUND_HOURS_URGENT", 6, minimum=1),
}
DESK_NAME = env_str("DESK_NAME", "Claims Desk")
DESK_URL = env_str("DESK_URL", "http://127.0.0.1:8000")
