"""The shared cache: with REDIS_URL, Django's own Redis cache, which every web process shares,
so the API's throttles (``tests/api/test_throttling.py``) give a caller one allowance, not one
per process; without it, a per-process cache (``make run``'s single process).

Settings are read once per process, so each case reads them in a fresh ``python``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import SimpleRateThrottle

from tests.api.conftest import client_for

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")

READ_CACHES = """
import json, django
django.setup()
from django.conf import settings
from django.core.cache import caches
print(json.dumps({"CACHES": settings.CACHES, "backend": type(caches["default"]).__module__}))
"""


def read_caches(tmp_path: Path, **variables: str) -> dict:
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "VAR_DIR": str(tmp_path / "var"),
        **variables,
    }
    done = subprocess.run(
        [sys.executable, "-c", READ_CACHES],
        cwd=Path(settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def test_with_redis_url_the_cache_is_djangos_redis_cache_there(tmp_path):
    url = "redis://cache.example.org:6379/2"
    read = read_caches(tmp_path, REDIS_URL=url)
    assert read["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
    }
    assert read["backend"] == "django.core.cache.backends.redis"


def test_without_redis_url_each_process_has_its_own_cache(tmp_path):
    assert read_caches(tmp_path)["backend"] == "django.core.cache.backends.locmem"


@pytest.mark.django_db
def test_a_callers_allowance_is_one_for_every_web_process(editor, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "2/minute")
    prefix = f"test-processes-{uuid.uuid4().hex}"
    # Each process has its own client of the same Redis (a missing server fails the test).
    first, second = (RedisCache(REDIS_URL, {"KEY_PREFIX": prefix}) for _ in range(2))
    client = client_for(editor)
    codes = []
    try:
        for cache in (first, second, first):
            monkeypatch.setattr(SimpleRateThrottle, "cache", cache)
            codes.append(client.get("/api/v1/topics/").status_code)
    finally:
        first.delete(f"throttle_user_{editor.pk}")
    assert codes == [200, 200, 429]
