"""Logging in as a person does, through the admin's login form, and the codes an authenticator
app would show."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

LOGIN_URL = "/admin/login/?next=/admin/"
PASSWORD = "pass"  # the factories' users' password
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def log_in(client: Client, username: str, password: str = PASSWORD, **request: Any) -> Any:
    """POST the admin's login form; ``request`` sets e.g. ``REMOTE_ADDR`` or the User-Agent."""
    request.setdefault("HTTP_USER_AGENT", BROWSER)
    return client.post(
        LOGIN_URL, {"username": username, "password": password, "next": "/admin/"}, **request
    )


def authenticator(user: Any, name: str = "Phone") -> TOTPDevice:
    """A confirmed TOTP device for ``user``, as the set-up page leaves one."""
    return TOTPDevice.objects.create(user=user, name=name, confirmed=True)


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the app shows now, or ``steps_ahead`` time steps (30 s each) from now: a code
    is taken once, so a second login in the same half minute needs the next one."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = code_for(device)
    return "000000" if right != "000000" else "111111"
