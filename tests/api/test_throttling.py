"""Throttling: anonymous callers by address, signed-in callers by account, imports by their own
scope, at the rates in settings; the refusal is a 429 in the one error shape with Retry-After.
Each test runs with the per-process cache (DRF's own counting) and with the Redis cache
(``config.cache.RedisCache``: counted in windows, one round trip; TEST_REDIS_URL)."""

from __future__ import annotations

import json
import os
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

pytestmark = pytest.mark.django_db
JSON = "application/vnd.oai.openapi+json"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


@pytest.fixture(autouse=True, params=["locmem", "redis"])
def cache_backend(request):
    """The test once with each cache the service may run with."""
    if request.param == "locmem":
        yield request.param
        return
    redis_cache = {
        "BACKEND": "config.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"test-throttle-{uuid.uuid4().hex}",
    }
    with override_settings(CACHES={"default": redis_cache}):
        assert hasattr(caches["default"], "window_count")  # the one-round-trip counting
        yield request.param
        caches["default"].clear()


def rates(**changed: str) -> dict:
    config = dict(settings.REST_FRAMEWORK)
    config["DEFAULT_THROTTLE_RATES"] = {**config["DEFAULT_THROTTLE_RATES"], **changed}
    return config


def test_anonymous_callers_are_throttled_at_the_anonymous_rate(api):
    # On the endpoints anonymous callers may use (the schema here; the public ClaimReview
    # output); elsewhere they are refused with 401 before any throttle counts.
    with override_settings(REST_FRAMEWORK=rates(anon="2/minute")):
        schema = [api(None).get("/api/schema/", HTTP_ACCEPT=JSON) for _ in range(3)]
    assert [response.status_code for response in schema] == [200, 200, 429]
    response = schema[-1]
    assert json.loads(response.content)["error"]["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


def test_signed_in_callers_are_throttled_per_account(api, editor, reviewer):
    with override_settings(REST_FRAMEWORK=rates(user="2/minute")):
        assert [api(editor).get("/api/v1/topics/").status_code for _ in range(3)] == [
            200,
            200,
            429,
        ]
        # Another account has its own allowance.
        assert api(reviewer).get("/api/v1/topics/").status_code == 200


def test_imports_are_throttled_in_their_own_scope(api, editor, cache_backend):
    csv = b"statement,priority\nThe fleet has 40 ships.,normal\n"
    with override_settings(REST_FRAMEWORK=rates(**{"import": "1/minute", "user": "100/minute"})):
        imports = [
            api(editor).post(
                "/api/v1/claims/import?format=csv", csv, content_type="text/csv"
            )
            for _ in range(2)
        ]
        topics = api(editor).get("/api/v1/topics/")
    assert imports[0].status_code == 202, imports[0].content
    assert imports[1].status_code == 429
    assert 0 < int(imports[1]["Retry-After"]) <= 60
    assert topics.status_code == 200  # other endpoints count in the user's scope only


def test_the_default_rates_let_ordinary_use_through(api, editor):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"] == "600/minute"
    assert all(api(editor).get("/api/v1/topics/").status_code == 200 for _ in range(20))
