"""A stand-in for ``smtplib.SMTP`` that answers with the faults a mail server gives, and the
``stub_smtp`` fixture that puts it behind Django's real SMTP backend (``tests/conftest.py`` makes
the fixture available to every test module)."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest
from django.conf import settings
from django.test import override_settings

SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "mail.desk.test",
    "EMAIL_PORT": 2525,
}


class StubSMTP:
    """Stands in for ``smtplib.SMTP``: answers each ``sendmail`` with the next queued fault, or
    accepts the message when none is left. ``refuse`` makes the connection itself fail."""

    faults: list[BaseException] = []
    refuse: BaseException | None = None
    accepted: list[bytes] = []
    connections = 0

    def __init__(self, host: str, port: int, **kwargs: object) -> None:
        if StubSMTP.refuse is not None:
            raise StubSMTP.refuse
        StubSMTP.connections += 1
        assert (host, port) == ("mail.desk.test", 2525)
        assert kwargs.get("timeout") == settings.EMAIL_TIMEOUT

    def sendmail(self, from_addr: str, to_addrs: list[str], msg: bytes) -> dict:
        if StubSMTP.faults:
            raise StubSMTP.faults.pop(0)
        StubSMTP.accepted.append(msg)
        return {}

    def quit(self) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.fixture
def stub_smtp() -> Iterator[type[StubSMTP]]:
    StubSMTP.faults, StubSMTP.refuse, StubSMTP.accepted = [], None, []
    StubSMTP.connections = 0
    with override_settings(**SMTP), mock.patch("smtplib.SMTP", StubSMTP):
        yield StubSMTP
