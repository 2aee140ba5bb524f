"""Throttling: anonymous callers by address, signed-in callers by account, imports by their own
scope, at the rates in settings; the refusal is a 429 in the one error shape with Retry-After.
DRF's own throttles count in the default cache: each test runs with the per-process cache and
with Django's Redis cache (TEST_REDIS_URL), which every web process shares."""

from __future__ import annotations

import json
import os
import uuid

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db
JSON = "application/vnd.oai.openapi+json"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
TOPICS = "/api/v1/topics/"


@pytest.fixture(autouse=True, params=["locmem", "redis"])
def cache_backend(request):
    """The test once with each cache the service may run with."""
    if request.param == "locmem":
        yield request.param
        return
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"test-throttle-{uuid.uuid4().hex}",
    }
    with override_settings(CACHES={"default": redis_cache}):
        assert isinstance(caches["default"], RedisCache)
        yield request.param
        caches["default"].clear()


@pytest.fixture
def rates(monkeypatch):
    """Set throttle rates for one test. DRF's throttles read the rates once, when imported,
    from the settings (``API_THROTTLE_*``)."""

    def set_rates(**changed: str) -> None:
        for scope, rate in changed.items():
            monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, rate)

    return set_rates


def assert_throttled(response) -> None:
    assert response.status_code == 429
    assert json.loads(response.content)["error"]["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


def test_anonymous_callers_are_throttled_at_the_anonymous_rate(api, rates):
    # On the endpoints anonymous callers may use (the schema here; the public ClaimReview
    # output); elsewhere they are refused with 401 before any throttle counts.
    rates(anon="2/minute")
    schema = [api(None).get("/api/schema/", HTTP_ACCEPT=JSON) for _ in range(3)]
    assert [response.status_code for response in schema] == [200, 200, 429]
    assert_throttled(schema[-1])


def test_signed_in_callers_are_throttled_per_account(api, editor, reviewer, rates):
    rates(user="2/minute")
    assert [api(editor).get(TOPICS).status_code for _ in range(3)] == [200, 200, 429]
    assert_throttled(api(editor).get(TOPICS))
    # Another account has its own allowance.
    assert api(reviewer).get(TOPICS).status_code == 200


def test_imports_are_throttled_in_their_own_scope(api, editor, rates):
    csv = b"statement,priority\nThe fleet has 40 ships.,normal\n"
    rates(**{"import": "1/minute", "user": "100/minute"})
    imports = [
        api(editor).post("/api/v1/claims/import?format=csv", csv, content_type="text/csv")
        for _ in range(2)
    ]
    topics = api(editor).get(TOPICS)
    assert imports[0].status_code == 202, imports[0].content
    assert_throttled(imports[1])
    assert topics.status_code == 200  # other endpoints count in the user's scope only


def test_polling_an_ingest_job_is_not_counted_as_an_import(api, editor, rates):
    rates(**{"import": "1/minute"})
    assert all(api(editor).get("/api/v1/ingest/").status_code == 200 for _ in range(3))


def test_the_default_rates_let_ordinary_use_through(api, editor, settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"] == "600/minute"
    assert SimpleRateThrottle.THROTTLE_RATES["user"] == "600/minute"
    assert all(api(editor).get(TOPICS).status_code == 200 for _ in range(20))
