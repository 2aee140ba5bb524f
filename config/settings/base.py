"""Settings for every environment, read from the environment.

The defaults run on a laptop with nothing installed: a SQLite file under ``var/`` and a local
Maildir mailbox under ``var/mail/``. Production overrides live in ``production.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_choice,
    env_database,
    env_float,
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
    "config.admin.DeskAdminConfig",  # django.contrib.admin with the desk overview (config/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "knox",  # API tokens, stored hashed (the model is config.accounts.ApiToken)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_celery_beat",
    "axes",  # before config.accounts: its login-failure receiver runs first
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "claims",
    "verification",
    "config.archive",  # cited pages archived, hashed and watched (above both apps)
    "config.webhooks",  # signed events to the newsroom's systems (above both apps)
    "config.accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "config.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into its page
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
            # {% load untrusted %}: the http_url filter (only http(s) addresses become links).
            "libraries": {"untrusted": "config.untrusted"},
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

# Uploaded files (import jobs' files): web and worker processes must share this directory.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Email: SMTP when EMAIL_HOST is set, else a Maildir under var/mail (`mutt -f var/mail`);
# EMAIL_BACKEND names any other Django backend.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "config.mail.MaildirBackend",
)
if EMAIL_HOST:
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
MAILDIR_PATH = Path(env_str("MAILDIR_PATH", str(VAR_DIR / "mail")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Claims desk <desk@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# A revert in the admin would change rows behind the workflow services.
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes logs every login at INFO (config.accounts records them); failures are WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- REST API (/api/v1/) ----------------------------------------------------------------

# The largest request body read into memory (bytes); the API answers 413 past it.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=1024)


def _throttle_rate(name: str, default: str) -> str:
    """A DRF rate such as "60/minute", checked here so a typo stops the start, not a request."""
    value = env_str(name, default)
    if not re.fullmatch(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise ImproperlyConfigured(f"{name}={value!r} is not a rate like 60/minute.")
    return value


REST_FRAMEWORK = {
    # Token first: no credentials is a 401 with "WWW-Authenticate: Token" (not a 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Reviewers and editors only; views name their editors-only actions in editor_actions.
    "DEFAULT_PERMISSION_CLASSES": [
        "claims.api.permissions.IsDeskMember",
        "claims.api.permissions.EditorActions",
    ],
    # JSON only (else 415), size- and depth-limited: config.api.parsers.
    "DEFAULT_PARSER_CLASSES": ["config.api.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.DeskPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "config.api.filters.DeskFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    # Counted in the default cache (Redis when REDIS_URL is set: shared by every process).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": _throttle_rate("API_THROTTLE_ANON", "60/minute"),
        "user": _throttle_rate("API_THROTTLE_USER", "600/minute"),
        # Views that set throttle_scope = "import" (bulk and ClaimReview imports).
        "import": _throttle_rate("API_THROTTLE_IMPORT", "30/hour"),
    },
    "EXCEPTION_HANDLER": "config.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "config.api.schema.DeskAutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Claims desk API",
    "DESCRIPTION": (
        "Claims, their sources and speakers, evidence, assignments, reviews and the review "
        "workflow of a fact-checking desk. Authenticate with `Authorization: Token <key>` "
        "(tokens from `POST /api/v1/tokens/`, the admin or `manage.py api_token_create USER`). "
        "Every error has "
        'the body `{"error": {"code", "message", "fields"}}`. Editable resources carry an '
        "ETag; PUT and PATCH need it back in If-Match."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # From drf-spectacular-sidecar, so /api/docs/ works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ClaimStateEnum": "claims.models.ClaimState",
        "RatingEnum": "claims.models.Rating",
        "ConfidenceEnum": "claims.models.Confidence",
        "PriorityEnum": "claims.models.Priority",
        "AssignmentStateEnum": "verification.models.AssignmentState",
        "WorkflowActionEnum": "verification.models.WorkflowAction",
        "SourceKindEnum": "claims.models.SourceKind",
        "SpeakerKindEnum": "claims.models.SpeakerKind",
        "QuantityKindEnum": "claims.models.QuantityKind",
        "ClaimMoveEnum": "verification.api.moves.ClaimMove",
        "AssignmentMoveEnum": "verification.api.moves.AssignmentMove",
        "ImportStatusEnum": "claims.models.ImportStatus",
        "IngestStatusEnum": "claims.models.IngestStatus",
        "IngestKindEnum": "claims.models.IngestKind",
        "MatchOutcomeEnum": "claims.models.MatchOutcome",
        "CandidateOutcomeEnum": "claims.selectors.CandidateOutcome",
        "IngestReadAsEnum": "claims.api.ingest_serializers.READ_AS",
        "WebhookEventEnum": "config.webhooks.models.WebhookEvent",
        "DeliveryStateEnum": "config.webhooks.models.DeliveryState",
    },
}

# --- The desk's own settings -------------------------------------------------------------

# By priority (low, normal, high, urgent): independent reviews a claim needs before sign-off,
# and the turnaround, in hours from assignment to due date.
_PRIORITIES = ("low", "normal", "high", "urgent")
REVIEWS_REQUIRED_BY_PRIORITY = {
    p: env_int(f"REVIEWS_REQUIRED_{p.upper()}", n, minimum=1)
    for p, n in zip(_PRIORITIES, (1, 1, 2, 2), strict=True)
}
TURNAROUND_HOURS_BY_PRIORITY = {
    p: env_int(f"TURNAROUND_HOURS_{p.upper()}", n, minimum=1)
    for p, n in zip(_PRIORITIES, (120, 72, 24, 6), strict=True)
}
# Ingestion (claims.extraction): which sentences become candidates, and matching thresholds.
EXTRACTION_MIN_SCORE = env_float("EXTRACTION_MIN_SCORE", 0.5, minimum=0.0, maximum=1.0)
# "context-embedding" (the context model over the sentence-embedding scorer: torch), "embedding"
# (that scorer alone), "context" (over the n-gram model, pure Python) or "linear" (n-grams alone).
CHECKWORTHINESS_SCORER = env_choice(
    "CHECKWORTHINESS_SCORER",
    "context-embedding",
    {"context-embedding", "context", "linear", "embedding"},
)
# Who said it (claims/extraction/attribution): "rules" (pure Python) or "spacy" (adds spaCy's
# entities and parse when requirements-spacy.txt is installed; else the rules run alone).
ATTRIBUTION_ENGINE = env_choice("ATTRIBUTION_ENGINE", "rules", {"rules", "spacy"})
MATCH_SUGGEST_THRESHOLD = env_float("MATCH_SUGGEST_THRESHOLD", 0.6, minimum=0.0, maximum=1.0)
MATCH_ATTACH_THRESHOLD = env_float("MATCH_ATTACH_THRESHOLD", 0.85, minimum=0.0, maximum=1.0)
MATCH_SCAN_LIMIT = env_int("MATCH_SCAN_LIMIT", 2000, minimum=1)
# The largest article (pasted, uploaded or fetched), in bytes.
INGEST_MAX_BYTES = env_int("INGEST_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
# Largest bulk import file (CSV / JSON Lines) an import job takes; past it, 413.
BULK_IMPORT_MAX_BYTES = env_int("BULK_IMPORT_MAX_BYTES", 52_428_800, minimum=1024)
# Rows an import job commits at a time (claims/bulk/jobs.py): the most a killed worker loses.
BULK_IMPORT_CHUNK_ROWS = env_int("BULK_IMPORT_CHUNK_ROWS", 1000, minimum=1)
# config.fetch, the one way out: one deadline (s) per fetch, the largest body, a proxy (never
# the environment's); private addresses only with FETCH_ALLOW_PRIVATE_HOSTS (tests, never prod).
FETCH_TIMEOUT = env_int("FETCH_TIMEOUT", 10, minimum=1)
FETCH_MAX_BYTES = env_int("FETCH_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
FETCH_PROXY = env_str("FETCH_PROXY", "")
FETCH_ALLOW_PRIVATE_HOSTS = env_bool("FETCH_ALLOW_PRIVATE_HOSTS", False)
# socket.getaddrinfo; tests put their own in, to stay off DNS.
FETCH_RESOLVER = env_str("FETCH_RESOLVER", "config.fetch.system_resolver")
# Calibration (verification/calibration.py): a figure over fewer claims than this is withheld.
CALIBRATION_MIN_CLAIMS = env_int("CALIBRATION_MIN_CLAIMS", 5, minimum=1)
DESK_NAME = env_str("DESK_NAME", "Claims Desk")
DESK_URL = env_str("DESK_URL", "http://127.0.0.1:8000")

# --- Celery ------------------------------------------------------------------------------
# With REDIS_URL the broker is Redis; without, kombu's filesystem transport under var/celery
# (`make run` starts a real worker with no server installed).
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    # Shared by every web process: API throttle counts must not be per process.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # An unacknowledged task (its worker died) is queued again after this long: more than
        # the longest task plus the longest retry countdown, or a slow task would run twice.
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900, minimum=60),
    }
else:
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        # At the default one second the demo's tasks take most of a minute.
        "polling_interval": 0.1,
    }
# Outcomes are written to the rows the tasks work on, not kept as Celery results.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "claimdesk")
# Acknowledged after it ran, re-queued if its worker dies: a crash loses no work (every task is
# idempotent).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One at a time: a prefetched task waits behind a slow one, and is late if the worker dies.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90, minimum=2)
# Published after commit in a request: do not hang it on a dead broker (the sweep catches up).
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 4, minimum=1)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Keep a worker's database connections between tasks (else Celery closes them around every
# task, and opening one costs more than most tasks); broken ones are closed (config.celery).
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000, minimum=1)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# Email delivery (verification.delivery): attempts, backoff, and the sweep of what was left.
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 6, minimum=1)
EMAIL_RETRY_BACKOFF_SECONDS = env_int("EMAIL_RETRY_BACKOFF_SECONDS", 30, minimum=1)
EMAIL_RETRY_BACKOFF_MAX_SECONDS = env_int("EMAIL_RETRY_BACKOFF_MAX_SECONDS", 600, minimum=1)
EMAIL_SWEEP_GRACE_SECONDS = env_int("EMAIL_SWEEP_GRACE_SECONDS", 60, minimum=0)
EMAIL_SWEEP_BATCH = env_int("EMAIL_SWEEP_BATCH", 500, minimum=1)
# Reminders and escalation (verification.services.reminders).
REMINDER_BEFORE_HOURS = env_int("REMINDER_BEFORE_HOURS", 12, minimum=0)
REMINDER_INTERVAL_HOURS = env_int("REMINDER_INTERVAL_HOURS", 24, minimum=1)
ESCALATE_AFTER_REMINDERS = env_int("ESCALATE_AFTER_REMINDERS", 3, minimum=0)
DIGEST_HOUR = env_int("DIGEST_HOUR", 7, minimum=0)

# The archive of cited pages (archive/): its settings, and its storage under VAR_DIR/archive.
from config.settings.archive import *  # noqa: E402, F403

STORAGES["archive"] = archive_storage_setting(VAR_DIR)  # noqa: F405

# Staff logins, the second factor and the Content-Security-Policy; the outbound webhooks
# (config/webhooks/).
from config.settings.security import *  # noqa: E402, F403
from config.settings.webhooks import *  # noqa: E402, F403
