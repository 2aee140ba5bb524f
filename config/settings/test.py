"""Tests: same as base, but a fast password hasher and Django's in-memory outbox."""

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "archive": STORAGES["archive"],  # noqa: F405  (each test gets its own folder: tests/conftest)
}
# An existing (empty) static root keeps whitenoise from warning in every test.
STATIC_ROOT = VAR_DIR / "static-test"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Tasks run in the test process when a transaction's on-commit hooks run; the Celery
# integration tests start a real worker on Redis instead.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
# No test looks a name up: fetching resolves names only where a test installs its own resolver.
FETCH_RESOLVER = "tests.security.network.no_lookups"
