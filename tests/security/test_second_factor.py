"""The second factor: anyone who added an authenticator gives its code at each login; with
``REQUIRE_2FA_FOR_EDITORS`` on, an editor without one is sent to add one and an editor with one
cannot reach the dashboard without a code. A password alone never adds an authenticator."""

from __future__ import annotations

import base64

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.accounts.models import LoginEvent, LoginEventKind
from tests import factories
from tests.security.logins import authenticator, code_for, log_in, wrong_code

pytestmark = pytest.mark.django_db

VERIFY = "/account/verify/"
SETUP = "/account/two-factor/"


@pytest.fixture
def required(settings) -> None:
    settings.REQUIRE_2FA_FOR_EDITORS = True


def test_the_setting_is_off_by_default_so_the_demo_logins_work(client, editor) -> None:
    assert log_in(client, "editor").url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_an_editor_without_an_authenticator_is_sent_to_add_one(client, editor, required) -> None:
    log_in(client, "editor")
    answer = client.get("/admin/")
    assert (answer.status_code, answer.url) == (302, f"{SETUP}?next=/admin/")
    for page in ("/admin/claims/claim/", "/admin/verification/assignment/"):
        assert client.get(page).url.startswith(SETUP)
    # The API does not take the half-logged-in session either.
    assert client.get("/api/v1/claims/").status_code in (401, 403)


def test_administrators_count_as_editors(client, required) -> None:
    factories.UserFactory(username="admin", is_staff=True, is_superuser=True)
    log_in(client, "admin")
    assert client.get("/admin/").url.startswith(SETUP)


def test_a_reviewer_needs_no_authenticator_even_when_editors_do(client, reviewer, required):
    log_in(client, "reviewer")
    assert client.get("/admin/").status_code == 200


def test_adding_an_authenticator_shows_its_secret_and_takes_its_first_code(
    client, editor, required
) -> None:
    log_in(client, "editor")
    page = client.get(f"{SETUP}?next=/admin/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page.text
    assert f"otpauth://totp/Claims%20Desk%3Aeditor?secret={secret}" in page.text
    assert "issuer=Claims%20Desk" in page.text
    assert client.get(SETUP).context["secret"] == page.context["secret"]  # the same, reloaded

    refused = client.post(SETUP, {"name": "Work phone", "code": wrong_code(device), "next": "/"})
    assert refused.status_code == 200 and "That code is not right" in refused.text
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # a wrong code makes the next one wait a second

    added = client.post(SETUP, {"name": "Work phone", "code": code_for(device), "next": "/admin/"})

    assert (added.status_code, added.url) == (302, "/admin/")
    device.refresh_from_db()
    assert (device.confirmed, device.name) == (True, "Work phone")
    assert client.get("/admin/").status_code == 200  # this session gave the code
    assert LoginEvent.objects.filter(kind=LoginEventKind.DEVICE_ADDED, user=editor).exists()


def test_an_editor_with_an_authenticator_cannot_reach_the_dashboard_without_a_code(
    client, editor, required
) -> None:
    device = authenticator(editor)
    log_in(client, "editor")
    answer = client.get("/admin/")
    assert (answer.status_code, answer.url) == (302, f"{VERIFY}?next=/admin/")
    assert client.get("/admin/claims/claim/").url.startswith(VERIFY)
    assert client.get(SETUP).url.startswith(VERIFY)  # no second device on a password alone
    assert client.get("/api/v1/claims/").status_code in (401, 403)

    page = client.get(f"{VERIFY}?next=/admin/")
    assert page.status_code == 200 and "Enter the code your authenticator app shows" in page.text
    refused = client.post(
        VERIFY, {"otp_device": device.persistent_id, "otp_token": wrong_code(device)}
    )
    assert refused.status_code == 200 and "That code is not right" in refused.text
    assert client.get("/admin/").url.startswith(VERIFY)
    device.throttle_reset()

    session_before = client.session.session_key
    accepted = client.post(
        VERIFY,
        {"otp_device": device.persistent_id, "otp_token": code_for(device), "next": "/admin/"},
    )

    assert (accepted.status_code, accepted.url) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200
    assert client.session.session_key != session_before  # a new session for the full login
    assert [e.kind for e in LoginEvent.objects.filter(user=editor).order_by("pk")] == [
        LoginEventKind.LOGIN,
        LoginEventKind.CODE_REFUSED,
        LoginEventKind.CODE_ACCEPTED,
    ]


def test_an_authenticator_once_added_is_asked_for_whatever_the_setting(client, reviewer):
    device = authenticator(reviewer)
    log_in(client, "reviewer")
    assert client.get("/admin/").url.startswith(VERIFY)
    client.post(VERIFY, {"otp_device": device.persistent_id, "otp_token": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_a_code_is_taken_once(client, editor) -> None:
    device = authenticator(editor)
    code = code_for(device)
    log_in(client, "editor")
    client.post(VERIFY, {"otp_device": device.persistent_id, "otp_token": code})
    client.logout()
    log_in(client, "editor")
    again = client.post(VERIFY, {"otp_device": device.persistent_id, "otp_token": code})
    assert again.status_code == 200 and client.get("/admin/").url.startswith(VERIFY)


def test_wrong_codes_make_the_next_try_wait(client, editor) -> None:
    device = authenticator(editor)
    log_in(client, "editor")
    for _ in range(3):
        client.post(VERIFY, {"otp_device": device.persistent_id, "otp_token": "000000"})
    right = client.post(VERIFY, {"otp_device": device.persistent_id, "otp_token": code_for(device)})
    assert "Verification temporarily disabled because of" in right.text
    assert client.get("/admin/").url.startswith(VERIFY)


def test_someone_elses_device_does_not_verify(client, editor, other_editor) -> None:
    authenticator(editor)
    theirs = authenticator(other_editor)
    log_in(client, "editor")
    client.post(VERIFY, {"otp_device": theirs.persistent_id, "otp_token": code_for(theirs)})
    assert client.get("/admin/").url.startswith(VERIFY)


def test_the_code_page_sends_nowhere_off_the_site(client, editor) -> None:
    device = authenticator(editor)
    log_in(client, "editor")
    answer = client.post(
        VERIFY,
        {
            "otp_device": device.persistent_id,
            "otp_token": code_for(device),
            "next": "https://evil.example/",
        },
    )
    assert answer.url == "/admin/"


def test_logging_out_stays_open_while_a_code_is_owed(client, editor) -> None:
    authenticator(editor)
    log_in(client, "editor")
    assert client.post("/admin/logout/").status_code == 200
    assert client.get(VERIFY).status_code == 302  # logged out: to the login page
