"""Recording logins, telling a person about a login from somewhere new, and what a session
still owes before it counts as logged in."""

from __future__ import annotations

import enum
import ipaddress
from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django_otp import user_has_device

from claims.roles import Role, has_role
from config.accounts.models import LoginEvent, LoginEventKind
from verification.emails import email_new_login

USER_AGENT_CHARS = LoginEvent._meta.get_field("user_agent").max_length


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from (also ``AXES_CLIENT_IP_CALLABLE``): ``REMOTE_ADDR``, or
    behind ``FORWARDED_PROXY_COUNT`` proxies that many entries from the right of
    ``X-Forwarded-For`` (further left is the client's to write). No address: None."""
    address = request.META.get("REMOTE_ADDR")
    proxies = settings.FORWARDED_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        hops = [hop.strip() for hop in forwarded if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def client_of(request: HttpRequest | None) -> dict[str, Any]:
    """Where a request came from: :func:`client_ip` and the User-Agent, cut to what is kept."""
    if request is None:
        return {"ip": None, "user_agent": ""}
    return {
        "ip": get_client_ip_address(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_CHARS],
    }


def login_event_record(
    *,
    kind: str,
    request: HttpRequest | None,
    user: AbstractBaseUser | None = None,
    username: str = "",
    new_device: bool = False,
) -> LoginEvent:
    """One event of ``kind`` for ``user`` (or for the ``username`` typed) from ``request``."""
    return LoginEvent.objects.create(
        kind=kind,
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        new_device=new_device,
        **client_of(request),
    )


def login_record(*, request: HttpRequest | None, user: AbstractBaseUser) -> LoginEvent:
    """A login, recorded, marked ``new_device`` when the user logged in before but never from
    this address and browser; then an email (in the outbox, in the same transaction) tells
    them when, from where and with what."""
    with transaction.atomic():
        earlier = LoginEvent.objects.filter(user=user, kind=LoginEventKind.LOGIN)
        new_device = earlier.exists() and not earlier.filter(**client_of(request)).exists()
        event = login_event_record(
            kind=LoginEventKind.LOGIN, request=request, user=user, new_device=new_device
        )
        if new_device:
            email_new_login(
                user=user,
                login_id=event.pk,
                at=event.created_at,
                ip=event.ip,
                user_agent=event.user_agent,
            )
    return event


def login_failure_record(*, request: HttpRequest | None, username: str) -> LoginEvent:
    """A failed login for ``username``: a wrong password, or refused by django-axes' lock
    (``request.axes_locked_out``, set by axes' receiver, which runs first)."""
    model = get_user_model()
    user = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
    locked = getattr(request, "axes_locked_out", False)
    return login_event_record(
        kind=LoginEventKind.LOCKED_OUT if locked else LoginEventKind.FAILED,
        request=request,
        user=user,
        username=username,
    )


class SecondFactor(enum.Enum):
    """What a logged-in session still owes before it counts (see :func:`second_factor_step`)."""

    NOTHING = "nothing"
    CODE = "code"  # the user has an authenticator; this session has not given its code
    SETUP = "setup"  # the user must have one (an editor, REQUIRE_2FA_FOR_EDITORS) and has none


def second_factor_step(user: AbstractBaseUser | AnonymousUser) -> SecondFactor:
    """The one rule for second factors: anyone with a confirmed authenticator gives a code once
    per session; with ``REQUIRE_2FA_FOR_EDITORS`` an editor without one must add one first;
    everyone else logs in with the password alone (``user`` through django-otp's middleware)."""
    if not user.is_authenticated or user.is_verified():
        return SecondFactor.NOTHING
    if user_has_device(user):
        return SecondFactor.CODE
    if settings.REQUIRE_2FA_FOR_EDITORS and has_role(user, Role.EDITOR):
        return SecondFactor.SETUP
    return SecondFactor.NOTHING
