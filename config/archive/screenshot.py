"""A PNG of an archived page by headless Chromium (``ARCHIVE_SCREENSHOTS``), from the stored body,
JavaScript off and every host mapped to nowhere: ``config.fetch`` stays the one way out."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

from config.fetch import Fetched

WIDTH, HEIGHT = 1280, 4000  # a tall window: Chromium's command line shoots the window only


class ScreenshotError(Exception):
    """The page could not be rendered; the message says why."""


def screenshot_of(page: Fetched) -> bytes:
    chromium = Path(settings.ARCHIVE_CHROMIUM)
    if not chromium.exists():
        raise ScreenshotError(f"Chromium is not installed at {chromium} (ARCHIVE_CHROMIUM).")
    with tempfile.TemporaryDirectory(prefix="archive-shot-") as folder:
        html, png = Path(folder) / "page.html", Path(folder) / "page.png"
        html.write_bytes(page.body)
        command = [
            str(chromium),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--disable-javascript",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={folder}/profile",
            f"--window-size={WIDTH},{HEIGHT}",
            f"--screenshot={png}",
            html.as_uri(),
        ]
        try:
            subprocess.run(
                command, capture_output=True, timeout=settings.ARCHIVE_TIMEOUT, check=True
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise ScreenshotError(f"Chromium failed: {error}") from error
        if not png.exists() or png.stat().st_size == 0:
            raise ScreenshotError("Chromium wrote no image.")
        return png.read_bytes()
