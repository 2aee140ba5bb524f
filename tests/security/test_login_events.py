"""Logins, logouts and failed logins are on record (``LoginEvent``, read-only in the admin), and
a login from an address and browser the account has not used before emails its owner through
the desk's outbox: to Django's locmem backend, and over SMTP to a real server (aiosmtpd)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings

from config.accounts.models import LoginEvent, LoginEventKind
from tests import factories
from tests.security.logins import BROWSER, log_in
from verification.models import EmailKind, EmailLog, EmailStatus

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (Linux; Android 15) Chrome/141.0 Mobile"


def kinds() -> list[str]:
    return list(LoginEvent.objects.order_by("pk").values_list("kind", flat=True))


def test_a_login_and_a_logout_are_recorded_with_address_and_browser(client, editor) -> None:
    log_in(client, "editor", REMOTE_ADDR="198.51.100.4")
    client.post("/admin/logout/", REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT=BROWSER)

    login, logout = LoginEvent.objects.order_by("pk")
    assert (login.kind, login.user, login.username) == (LoginEventKind.LOGIN, editor, "editor")
    assert (login.ip, login.user_agent) == ("198.51.100.4", BROWSER)
    assert (logout.kind, logout.user, logout.ip) == (LoginEventKind.LOGOUT, editor, "198.51.100.4")


def test_a_wrong_password_is_recorded_against_the_account(client, editor) -> None:
    log_in(client, "editor", "wrong")
    [event] = LoginEvent.objects.all()
    assert (event.kind, event.user, event.username) == (LoginEventKind.FAILED, editor, "editor")
    assert event.ip == "127.0.0.1"


def test_a_failure_for_a_name_that_is_no_account_keeps_the_name(client) -> None:
    log_in(client, "root", "toor")
    [event] = LoginEvent.objects.all()
    assert (event.kind, event.user, event.username) == (LoginEventKind.FAILED, None, "root")


def test_the_attempt_that_locks_a_login_and_those_after_are_recorded_as_locked_out(
    client, editor
) -> None:
    for _ in range(10):
        log_in(client, "editor", "wrong")
    log_in(client, "editor")
    assert kinds() == [LoginEventKind.FAILED] * 9 + [LoginEventKind.LOCKED_OUT] * 2


def test_a_user_agent_longer_than_the_record_is_cut(client, editor) -> None:
    log_in(client, "editor", HTTP_USER_AGENT="x" * 1000)
    assert len(LoginEvent.objects.get().user_agent) == 300


def new_login_emails() -> list[EmailLog]:
    return list(EmailLog.objects.filter(kind=EmailKind.NEW_LOGIN).order_by("pk"))


def test_a_login_from_a_new_address_or_browser_emails_the_user(
    client, editor, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        log_in(client, "editor", REMOTE_ADDR="198.51.100.4")  # the first login: nothing to compare
        client.logout()
        log_in(client, "editor", REMOTE_ADDR="198.51.100.4")  # the same place again
        client.logout()
    assert new_login_emails() == [] and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        log_in(client, "editor", REMOTE_ADDR="203.0.113.50")  # a new address
        client.logout()
        log_in(client, "editor", REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT=PHONE)  # a new browser

    first, second = new_login_emails()
    assert first.recipient == "editor@desk.example" and first.user == editor
    assert first.status == second.status == EmailStatus.SENT
    assert [m.to for m in mail.outbox] == [["editor@desk.example"]] * 2
    message = mail.outbox[0]
    assert message.subject == "[Claims Desk] New login to your account editor"
    assert "Address: 203.0.113.50" in message.body and f"Browser: {BROWSER}" in message.body
    assert "/admin/password_change/" in message.body
    assert f"Browser: {PHONE}" in mail.outbox[1].body
    news = LoginEvent.objects.filter(kind=LoginEventKind.LOGIN, new_device=True)
    assert [e.ip for e in news.order_by("pk")] == ["203.0.113.50", "198.51.100.4"]


def test_the_new_login_email_reaches_a_real_smtp_server(
    client,
    editor,
    smtp,
    django_capture_on_commit_callbacks,
) -> None:
    log_in(client, "editor", REMOTE_ADDR="198.51.100.4")
    client.logout()
    with (
        override_settings(**smtp.backend_settings()),
        django_capture_on_commit_callbacks(execute=True),
    ):
        log_in(client, "editor", REMOTE_ADDR="203.0.113.50")

    [received] = smtp.accepted
    assert received.envelope_to == ("editor@desk.example",)
    assert received.message["Subject"] == "[Claims Desk] New login to your account editor"
    text = received.message.get_body(("plain",)).get_content()
    assert "Address: 203.0.113.50" in text
    html = received.message.get_body(("html",)).get_content()
    assert "<td>203.0.113.50</td>" in html
    assert EmailLog.objects.get(kind=EmailKind.NEW_LOGIN).status == EmailStatus.SENT


@pytest.fixture
def admin_client_(client):
    client.force_login(factories.UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def test_administrators_read_the_login_record_and_nobody_edits_it(admin_client_, editor) -> None:
    event = LoginEvent.objects.create(kind=LoginEventKind.FAILED, username="editor", user=editor)
    listing = admin_client_.get("/admin/accounts/loginevent/")
    assert listing.status_code == 200 and "Wrong username or password" in listing.text
    page = admin_client_.get(f"/admin/accounts/loginevent/{event.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.text
    assert admin_client_.post(f"/admin/accounts/loginevent/{event.pk}/change/").status_code == 403
    assert admin_client_.get("/admin/accounts/loginevent/add/").status_code == 403
    assert admin_client_.get(f"/admin/accounts/loginevent/{event.pk}/delete/").status_code == 403


def test_editors_do_not_see_the_login_record(client, editor) -> None:
    client.force_login(editor)
    assert client.get("/admin/accounts/loginevent/").status_code == 403
