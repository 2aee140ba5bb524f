"""Settings of the archive of cited pages (``config/archive/``); ``base.py`` imports this."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_float, env_int, env_str


def archive_storage_setting(var_dir: Path) -> dict[str, Any]:
    """A FileSystemStorage under ``ARCHIVE_ROOT`` (``VAR_DIR/archive``) unless
    ``ARCHIVE_STORAGE_BACKEND`` names another (configured by its own settings)."""
    backend = env_str("ARCHIVE_STORAGE_BACKEND")
    if backend:
        return {"BACKEND": backend}
    location = env_str("ARCHIVE_ROOT", str(var_dir / "archive"))
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": location},
    }


ARCHIVE_MAX_BYTES = env_int("ARCHIVE_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
ARCHIVE_TIMEOUT = env_float("ARCHIVE_TIMEOUT", 20.0, minimum=1.0)
# A page claimed longer ago than ARCHIVE_TIMEOUT plus this margin was left by a dead worker.
ARCHIVE_STALE_MARGIN_SECONDS = env_int("ARCHIVE_STALE_MARGIN_SECONDS", 60, minimum=0)
ARCHIVE_MAX_ATTEMPTS = env_int("ARCHIVE_MAX_ATTEMPTS", 6, minimum=1)
ARCHIVE_RETRY_BACKOFF_SECONDS = env_int("ARCHIVE_RETRY_BACKOFF_SECONDS", 60, minimum=1)
ARCHIVE_RETRY_BACKOFF_MAX_SECONDS = env_int(
    "ARCHIVE_RETRY_BACKOFF_MAX_SECONDS", 6 * 3600, minimum=1
)
# Headless Chromium renders the archived body (never the live page) to a PNG when on.
ARCHIVE_SCREENSHOTS = env_bool("ARCHIVE_SCREENSHOTS", False)
ARCHIVE_CHROMIUM = env_str("ARCHIVE_CHROMIUM", "/usr/bin/chromium")
# The watch: first re-check after ARCHIVE_WATCH_MIN_SECONDS, doubling for a page that stays as
# it was up to ARCHIVE_WATCH_MAX_SECONDS; gone after ARCHIVE_GONE_AFTER failed checks in a row;
# changed when more than ARCHIVE_CHANGE_THRESHOLD of its sentences were removed or added.
ARCHIVE_WATCH_MIN_SECONDS = env_int("ARCHIVE_WATCH_MIN_SECONDS", 6 * 3600, minimum=1)
ARCHIVE_WATCH_MAX_SECONDS = env_int("ARCHIVE_WATCH_MAX_SECONDS", 7 * 86400, minimum=1)
ARCHIVE_GONE_AFTER = env_int("ARCHIVE_GONE_AFTER", 3, minimum=1)
ARCHIVE_CHANGE_THRESHOLD = env_float("ARCHIVE_CHANGE_THRESHOLD", 0.1, minimum=0.0)
ARCHIVE_WATCH_BATCH = env_int("ARCHIVE_WATCH_BATCH", 200, minimum=1)
# Optional proof from outside, off by default (either tells a service which pages the desk
# cites): an RFC 3161 time-stamp from ARCHIVE_TSA_URL (e.g. https://freetsa.org/tsr), and a
# public web archive's copy (ARCHIVE_PUBLIC_COPY_URL followed by the page's URL).
ARCHIVE_TSA_URL = env_str("ARCHIVE_TSA_URL")
ARCHIVE_PUBLIC_COPY = env_bool("ARCHIVE_PUBLIC_COPY", False)
ARCHIVE_PUBLIC_COPY_URL = env_str("ARCHIVE_PUBLIC_COPY_URL", "https://web.archive.org/save/")
ARCHIVE_ATTEST_TIMEOUT = env_float("ARCHIVE_ATTEST_TIMEOUT", 120.0, minimum=1.0)
for _name in ("ARCHIVE_TSA_URL", "ARCHIVE_PUBLIC_COPY_URL"):
    if globals()[_name] and not globals()[_name].startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"{_name}={globals()[_name]!r} is not an http(s) URL.")
