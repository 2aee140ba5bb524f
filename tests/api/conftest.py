"""API test helpers: a client per role, authenticated by token as scripts are.

The roles of the permission matrix are anonymous, outsider (signed in, on no desk), reviewer,
editor and admin (a superuser). The throttles count in the cache, which outlives a test: it is
cleared before each one so that no test is throttled for its neighbours' requests.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories

ROLES = ("anonymous", "outsider", "reviewer", "editor", "admin")


@pytest.fixture(autouse=True)
def _fresh_throttles() -> None:
    cache.clear()


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


def client_for(user: object | None) -> APIClient:
    """A client sending ``Authorization: Token …`` for ``user``; anonymous for None."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api() -> Callable[[object | None], APIClient]:
    return client_for


@pytest.fixture
def role_user(request: pytest.FixtureRequest) -> Callable[[str], object | None]:
    """``role_user("editor")`` → that role's user (None for anonymous)."""

    def get(role: str) -> object | None:
        if role == "anonymous":
            return None
        fixture = {"admin": "admin_user"}.get(role, role)
        return request.getfixturevalue(fixture)

    return get


def spy_on_bulk_path(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Have the importer's bulk path record, for each row offered to it, whether it took the
    row (True) or left it to the row-by-row path (False); returns that record."""
    from claims.bulk import fast
    from claims.bulk import importer as bulk_importer

    taken: list[bool] = []

    def records_create(*, actor: object, records: list, drafts: list, behind: object) -> list:
        outcomes = fast.records_create(actor=actor, records=records, drafts=drafts, behind=behind)
        taken.extend(outcome is not None for outcome in outcomes)
        return outcomes

    monkeypatch.setattr(bulk_importer, "records_create", records_create)
    return taken
