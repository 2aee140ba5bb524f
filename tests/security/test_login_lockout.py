"""Failed logins are counted and a login is locked after ten (django-axes), through the real
admin login form: a clear page says why and how it lifts; an administrator lifts it in axes'
admin; it also lifts by itself after ``LOGIN_LOCKOUT_MINUTES``. Behind a proxy the address
counted is the one the proxy saw (``FORWARDED_PROXY_COUNT``)."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from config.accounts.models import LoginEvent, LoginEventKind
from tests import factories
from tests.security.logins import log_in

pytestmark = pytest.mark.django_db

LIMIT = 10


def test_the_limit_is_ten_wrong_passwords() -> None:
    assert settings.AXES_FAILURE_LIMIT == LIMIT


def wrong_passwords(client, username: str, count: int, **request) -> list:
    return [log_in(client, username, "not-the-password", **request) for _ in range(count)]


def test_ten_wrong_passwords_lock_a_staff_login(client, editor) -> None:
    answers = wrong_passwords(client, "editor", LIMIT)

    assert [a.status_code for a in answers[:-1]] == [200] * (LIMIT - 1)
    assert "Please enter the correct username and password" in answers[0].text
    locked = answers[-1]
    assert locked.status_code == 429
    assert "Login locked: 10 wrong passwords" in locked.text
    assert "Try again in 60 minutes, or ask an administrator to unlock it now." in locked.text

    # The right password does not get in while the lock holds.
    answer = log_in(client, "editor")
    assert answer.status_code == 429
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_nine_wrong_passwords_do_not_lock_and_a_login_clears_them(client, editor) -> None:
    wrong_passwords(client, "editor", LIMIT - 1)
    assert log_in(client, "editor").status_code == 302  # in
    client.logout()
    # The nine are forgotten: nine more still do not lock.
    assert [a.status_code for a in wrong_passwords(client, "editor", LIMIT - 1)] == [200] * 9
    assert log_in(client, "editor").status_code == 302


def test_the_lock_is_on_the_username_whatever_address_tries(client, editor) -> None:
    for n in range(LIMIT):
        log_in(client, "editor", "guess", REMOTE_ADDR=f"198.51.100.{n + 1}")
    assert log_in(client, "editor", REMOTE_ADDR="192.0.2.77").status_code == 429


def test_an_address_that_tries_many_usernames_is_locked(client, editor, reviewer) -> None:
    for n in range(LIMIT):
        log_in(client, f"nobody{n}", "guess", REMOTE_ADDR="203.0.113.9")
    assert log_in(client, "reviewer", REMOTE_ADDR="203.0.113.9").status_code == 429
    # Another address is not: the reviewer gets in from there.
    assert log_in(client, "reviewer", REMOTE_ADDR="192.0.2.10").status_code == 302


def test_an_administrator_unlocks_a_login_in_axes_admin(client, editor) -> None:
    wrong_passwords(client, "editor", LIMIT)
    admin_client = client.__class__()
    admin_client.force_login(
        factories.UserFactory(username="admin", is_staff=True, is_superuser=True)
    )
    listing = admin_client.get("/admin/axes/accessattempt/?locked_out=yes")
    assert listing.status_code == 200 and "editor" in listing.text
    attempts = list(AccessAttempt.objects.filter(username="editor").values_list("pk", flat=True))

    answer = admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )

    assert answer.status_code == 302
    assert not AccessAttempt.objects.filter(username="editor").exists()
    assert log_in(client, "editor").status_code == 302


def test_the_lock_lifts_by_itself_after_the_lockout_time(client, editor) -> None:
    wrong_passwords(client, "editor", LIMIT)
    assert log_in(client, "editor").status_code == 429
    an_hour_ago = timezone.now() - dt.timedelta(minutes=61)
    AccessAttempt.objects.update(attempt_time=an_hour_ago)
    assert log_in(client, "editor").status_code == 302


def test_the_api_sign_in_page_is_locked_too(client, editor) -> None:
    wrong_passwords(client, "editor", LIMIT)
    answer = client.post("/api/auth/login/", {"username": "editor", "password": "pass"})
    assert answer.status_code == 429
    assert "Login locked" in answer.text


def test_behind_a_proxy_the_address_it_saw_is_locked_not_the_proxys(
    client, editor, reviewer, settings
) -> None:
    settings.FORWARDED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(LIMIT):
        # What the client wrote itself (the left entry) is not believed.
        log_in(
            client, f"nobody{n}", "guess", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9", **proxy
        )
    locked = log_in(client, "reviewer", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert locked.status_code == 429
    elsewhere = log_in(client, "reviewer", HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy)
    assert elsewhere.status_code == 302


def test_a_forwarded_address_that_is_no_address_counts_as_none(client, editor, settings) -> None:
    settings.FORWARDED_PROXY_COUNT = 1
    answer = log_in(client, "editor", HTTP_X_FORWARDED_FOR="not-an-address")
    assert answer.status_code == 302
    assert LoginEvent.objects.get(kind=LoginEventKind.LOGIN).ip is None
