"""API test helpers: a client per role, authenticated by token as scripts are.

The roles of the permission matrix are anonymous, outsider (signed in, on no desk), reviewer,
editor and admin (a superuser). The throttles count in the cache, which outlives a test: it is
cleared before each one so that no test is throttled for its neighbours' requests.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
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
        client.credentials(HTTP_AUTHORIZATION=f"Token {factories.api_key(user)}")
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
