"""API tokens (config.accounts.tokens, django-rest-knox): kept only as a digest, each named and
expiring, listed and revoked by its owner and by an administrator, through the API, the admin
and ``manage.py api_token_create``, with each making and revoking in the login record."""

from __future__ import annotations

import datetime
import hashlib
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from config.accounts.models import ApiToken, LoginEvent, LoginEventKind
from tests import factories
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/tokens/"


def keyed(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def admin(db):
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


def test_a_token_made_in_the_api_is_shown_once_and_stored_only_as_a_digest(reviewer):
    made = client_for(reviewer).post(TOKENS, {"name": "Browser extension"}, format="json")

    assert made.status_code == 201, made.content
    key = made.json()["key"]
    assert len(key) == 64
    stored = ApiToken.objects.get(token_key=made.json()["id"])
    assert stored.name == "Browser extension"
    assert stored.digest == hashlib.sha512(key.encode()).hexdigest()
    # Nowhere in the table is the key itself.
    row = ApiToken.objects.filter(pk=stored.pk).values().get()
    assert key not in repr(row)
    # Listing never shows a key again.
    listed = keyed(key).get(TOKENS).json()["results"]
    assert {"Browser extension", "Test script"} == {t["name"] for t in listed}
    assert all("key" not in t for t in listed)
    assert keyed(key).get("/api/v1/claims/").status_code == 200


def test_every_token_expires_and_an_expired_one_is_refused(reviewer, settings):
    made = (
        client_for(reviewer)
        .post(TOKENS, {"name": "Nightly", "expires_in_days": 7}, format="json")
        .json()
    )
    expiry = datetime.datetime.fromisoformat(made["expiry"])
    assert abs(expiry - (timezone.now() + datetime.timedelta(days=7))) < datetime.timedelta(
        minutes=1
    )
    default = ApiToken.objects.get(name="Test script")  # the one client_for made
    assert (
        default.expiry.date()
        == (timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS)).date()
    )

    ApiToken.objects.filter(token_key=made["id"]).update(expiry=timezone.now())
    refused = keyed(made["key"]).get("/api/v1/claims/")
    assert refused.status_code == 401
    assert not ApiToken.objects.filter(token_key=made["id"]).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "Long", "expires_in_days": 0}, "expires_in_days"),
        ({"name": "Long", "expires_in_days": 91}, "expires_in_days"),  # past API_TOKEN_DAYS
        ({"name": "Long", "expires_in_days": "soon"}, "expires_in_days"),
    ],
)
def test_a_token_asked_for_badly_is_a_400_naming_the_field(reviewer, body, field):
    answer = client_for(reviewer).post(TOKENS, body, format="json")

    assert answer.status_code == 400, answer.content
    assert field in answer.json()["error"]["fields"]
    assert ApiToken.objects.filter(user=reviewer).count() == 1  # client_for's own


def test_an_administrator_may_give_a_longer_life_and_make_tokens_for_others(admin, reviewer):
    answer = client_for(admin).post(
        TOKENS,
        {"name": "Archive sync", "user": reviewer.username, "expires_in_days": 300},
        format="json",
    )

    assert answer.status_code == 201, answer.content
    assert answer.json()["user"] == reviewer.username
    assert keyed(answer.json()["key"]).get("/api/v1/topics/").status_code == 200


def test_nobody_else_makes_sees_or_revokes_someones_token(reviewer, editor):
    theirs = factories.api_key(reviewer, name="Reviewer's script")
    token = ApiToken.objects.get(name="Reviewer's script")
    other = client_for(editor)  # an editor is no administrator

    made = other.post(TOKENS, {"name": "x", "user": reviewer.username}, format="json")
    assert made.status_code == 403
    assert {t["user"] for t in other.get(TOKENS).json()["results"]} == {editor.username}
    assert other.get(f"{TOKENS}{token.token_key}/").status_code == 404
    assert other.delete(f"{TOKENS}{token.token_key}/").status_code == 404
    assert keyed(theirs).get("/api/v1/topics/").status_code == 200


def test_the_owner_revokes_a_token_and_it_stops_at_the_next_request(reviewer):
    key = factories.api_key(reviewer, name="Old laptop")
    token_id = ApiToken.objects.get(name="Old laptop").token_key
    owner = client_for(reviewer)

    assert owner.delete(f"{TOKENS}{token_id}/").status_code == 204

    assert keyed(key).get("/api/v1/topics/").status_code == 401
    assert owner.get("/api/v1/topics/").status_code == 200  # their other token still works
    kinds = list(LoginEvent.objects.filter(user=reviewer).values_list("kind", flat=True))
    assert kinds.count(LoginEventKind.TOKEN_CREATED) == 2
    assert kinds.count(LoginEventKind.TOKEN_REVOKED) == 1


def test_an_administrator_lists_everyones_tokens_and_revokes_any(admin, reviewer, editor):
    key = factories.api_key(reviewer, name="Leaked")
    factories.api_key(editor, name="Editor's")
    client = client_for(admin)

    listed = client.get(TOKENS, {"user__username": reviewer.username}).json()["results"]
    assert [t["name"] for t in listed] == ["Leaked"]
    assert client.delete(f"{TOKENS}{listed[0]['id']}/").status_code == 204
    assert keyed(key).get("/api/v1/topics/").status_code == 401


def test_the_tokens_api_asks_for_credentials():
    assert APIClient().get(TOKENS).status_code == 401
    assert APIClient().post(TOKENS, {"name": "x"}, format="json").status_code == 401


def test_in_the_admin_a_token_is_made_with_its_key_shown_once_and_revoked(client, reviewer):
    client.force_login(reviewer)

    page = client.post(
        "/admin/accounts/apitoken/add/",
        {"user": reviewer.pk, "name": "Spreadsheet", "expires_in_days": "30"},
        follow=True,
    )

    assert page.status_code == 200
    shown = re.search(r"is ([0-9a-f]{64}) — copy it now", page.content.decode())
    assert shown, page.content.decode()[:2000]
    token = ApiToken.objects.get(name="Spreadsheet")
    assert token.digest == hashlib.sha512(shown.group(1).encode()).hexdigest()
    assert keyed(shown.group(1)).get("/api/v1/topics/").status_code == 200
    change = client.get(f"/admin/accounts/apitoken/{token.pk}/change/")
    assert shown.group(1) not in change.content.decode()

    gone = client.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert gone.status_code == 302
    assert keyed(shown.group(1)).get("/api/v1/topics/").status_code == 401


def test_the_admin_refuses_a_life_past_the_limit_on_the_field(client, reviewer):
    client.force_login(reviewer)

    page = client.post(
        "/admin/accounts/apitoken/add/",
        {"user": reviewer.pk, "name": "Forever", "expires_in_days": "5000"},
    )

    assert page.status_code == 200  # the form again, with the error
    assert "between 1 and 90 days" in page.content.decode()
    assert not ApiToken.objects.filter(name="Forever").exists()


def test_the_command_refuses_an_unknown_account():
    with pytest.raises(CommandError, match="No account is called 'nobody'"):
        call_command("api_token_create", "nobody", stdout=StringIO())


def test_keys_made_before_hashing_keep_working_and_lose_their_plain_copy(reviewer):
    """The migration that brought hashed tokens, run on a database that still has DRF's table."""
    migration = __import__(
        "config.accounts.migrations.0002_api_token", fromlist=["hash_old_tokens"]
    )
    old_key = "a" * 40
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "user_id integer NOT NULL, created timestamp with time zone NOT NULL)"
        )
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, now())", [old_key, reviewer.pk])

    with connection.schema_editor() as editor:
        migration.hash_old_tokens(apps, editor)

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone() == (0,)
    assert ApiToken.objects.get(user=reviewer).expiry > timezone.now()
    assert keyed(old_key).get("/api/v1/topics/").status_code == 200
