"""Throttling: anonymous callers by address, signed-in callers by account, at the rates in
settings; the refusal is a 429 in the one error shape with Retry-After."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import override_settings

pytestmark = pytest.mark.django_db
JSON = "application/vnd.oai.openapi+json"


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


def test_the_default_rates_let_ordinary_use_through(api, editor):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"] == "600/minute"
    assert all(api(editor).get("/api/v1/topics/").status_code == 200 for _ in range(20))
