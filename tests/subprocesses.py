"""Running Python in a process of its own, at the project's root: what a test must see without
the test process's imports (a scorer that loads no numpy) or what a script writes."""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings

DJANGO_SETUP = (
    "import os, sys, django\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.test')\n"
    "django.setup()\n"
)


def run_python(*args: str, timeout: int = 120) -> None:
    """``python *args`` at the project's root; the test fails with its output unless it ends
    with 0."""
    done = subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def assert_loads_none_of(modules: tuple[str, ...], program: str) -> None:
    """``program``, run after ``django.setup()`` in a fresh interpreter, succeeds, and none of
    ``modules`` is imported by the end of it."""
    run_python(
        "-c",
        DJANGO_SETUP
        + program
        + f"loaded = [m for m in {modules!r} if m in sys.modules]\n"
        + "assert not loaded, loaded\n",
    )
