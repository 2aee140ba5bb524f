"""Scripts authenticate with a token (from the admin or ``manage.py drf_create_token``);
people use the browsable API with their session, which then needs its CSRF token to write."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

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
