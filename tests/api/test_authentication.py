"""Scripts authenticate with a token (from /api/v1/tokens/, the admin or
``manage.py api_token_create``);
people use the browsable API with their session, which then needs its CSRF token to write."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from config.accounts.models import ApiToken
from tests import factories
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def test_api_token_create_prints_a_key_that_authenticates(editor):
    out = StringIO()
    call_command(
        "api_token_create", editor.username, "--name", "CMS", stdout=out, stderr=StringIO()
    )
    key = out.getvalue().strip()
    assert ApiToken.objects.get(user=editor).name == "CMS"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/claims/").status_code == 200


def test_a_signed_in_person_browses_the_api_as_html(client, editor):
    client.force_login(editor)
    response = client.get("/api/v1/claims/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_a_session_write_needs_the_csrf_token(editor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post("/api/v1/topics/", {"name": "Aid"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]


def test_the_sign_in_page_of_the_browsable_api_is_served(client):
    assert client.get("/api/auth/login/").status_code == 200


def test_a_revoked_token_is_refused_at_the_next_request(reviewer):
    client = client_for(reviewer)
    assert client.get("/api/v1/topics/").status_code == 200

    ApiToken.objects.filter(user=reviewer).delete()

    refused = client.get("/api/v1/topics/")
    assert refused.status_code == 401
    assert refused.json()["error"]["message"] == "Invalid token."
    assert refused["WWW-Authenticate"] == "Token"


def test_a_new_token_works_and_the_one_it_replaced_does_not(reviewer):
    old = client_for(reviewer)
    ApiToken.objects.filter(user=reviewer).delete()
    new = APIClient()
    new.credentials(HTTP_AUTHORIZATION=f"Token {factories.api_key(reviewer)}")

    assert new.get("/api/v1/topics/").status_code == 200
    assert old.get("/api/v1/topics/").status_code == 401


@pytest.mark.parametrize("header", ["Token", "Token two words", "Bearer abc", "token-alone"])
def test_a_malformed_or_foreign_authorization_is_refused(header):
    response = APIClient().get("/api/v1/topics/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_a_request_without_credentials_is_asked_for_a_token():
    response = APIClient().get("/api/v1/claims/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_role_taken_away_counts_at_the_next_request(reviewer):
    client = client_for(reviewer)
    assert client.get("/api/v1/topics/").status_code == 200

    reviewer.groups.clear()

    assert client.get("/api/v1/topics/").status_code == 403


def test_an_unknown_token_and_an_inactive_user_are_refused_in_drfs_words(reviewer):
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    client = client_for(reviewer)
    reviewer.is_active = False
    reviewer.save(update_fields=["is_active"])

    unknown, inactive = stranger.get("/api/v1/topics/"), client.get("/api/v1/topics/")

    assert unknown.status_code == inactive.status_code == 401
    assert unknown.json()["error"]["message"] == "Invalid token."
    assert inactive.json()["error"]["message"] == "User inactive or deleted."
