"""Scripts authenticate with a token (from the admin or ``manage.py drf_create_token``);
people use the browsable API with their session, which then needs its CSRF token to write."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def test_drf_create_token_makes_a_token_that_authenticates(editor):
    out = StringIO()
    call_command("drf_create_token", editor.username, stdout=out)
    key = Token.objects.get(user=editor).key
    assert key in out.getvalue()
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


@pytest.mark.postgres
def test_a_token_request_reads_the_token_user_and_roles_in_one_query(reviewer):
    client = client_for(reviewer)
    client.get("/api/v1/topics/")  # the token exists before counting

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/topics/")

    assert response.status_code == 200
    auth = [q["sql"] for q in queries if "authtoken_token" in q["sql"]]
    groups = [q["sql"] for q in queries if "auth_group" in q["sql"]]
    assert len(auth) == 1
    assert groups == auth  # the roles come with the token, not in a query of their own


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
