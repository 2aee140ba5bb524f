"""Tests: same as base, but a fast password hasher and Django's in-memory outbox."""

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# An existing (empty) static root keeps whitenoise from warning in every test.
STATIC_ROOT = VAR_DIR / "static-test"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
