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
    """The address a request came from (django-axes' ``AXES_CLIENT_IP_CALLABLE``, so lock-outs
    and the login record agree): ``REMOTE_ADDR``; behind ``FORWARDED_PROXY_COUNT`` proxies, the
    address the outermost of them saw, which is that many entries from the right of
    ``X-Forwarded-For`` (entries further left are the client's to write, and are not believed).
    Anything that is no address counts as none, rather than failing the login."""
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
    """Where a request came from: :func:`client_ip` and the browser's User-Agent, cut to what
    the record keeps."""
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
) -> LoginEvent:
    """One event of ``kind`` for ``user`` (or for the ``username`` typed) from ``request``."""
    return LoginEvent.objects.create(
        kind=kind,
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        **client_of(request),
    )


def login_record(*, request: HttpRequest | None, user: AbstractBaseUser) -> LoginEvent:
    """A login, recorded; when it comes from an address and browser this user has not logged
    in from before (and they have logged in before: a first login has nothing to differ
    from), an email tells them when, from where and with what.

    1. Look up earlier logins of the user, and one from the same (address, User-Agent) pair.
    2. Record the login, marked ``new_device`` when there were earlier ones but none from here.
    3. For a new device, store the email in the outbox in the same transaction; it is sent by
       the desk's delivery task after commit, like every other email.
    """
    client = client_of(request)
    with transaction.atomic():
        earlier = LoginEvent.objects.filter(user=user, kind=LoginEventKind.LOGIN)
        new_device = earlier.exists() and not earlier.filter(**client).exists()
        event = LoginEvent.objects.create(
            kind=LoginEventKind.LOGIN,
            user=user,
            username=user.get_username(),
            new_device=new_device,
            **client,
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
    """A failed login for ``username``: a wrong password, or one refused because django-axes
    has locked the account (``request.axes_locked_out``, set by axes' receiver, which runs
    first: axes is listed before this app)."""
    user = (
        get_user_model()
        ._default_manager.filter(**{get_user_model().USERNAME_FIELD: username})
        .first()
    )
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
    """The one rule for second factors:

    - anyone with a confirmed authenticator (TOTP device) gives a code once per session;
    - with ``REQUIRE_2FA_FOR_EDITORS`` on, an editor (administrators included) without one
      must add one before anything else;
    - everyone else logs in with the password alone.

    ``user`` comes through django-otp's ``OTPMiddleware`` (``is_verified``).
    """
    if not user.is_authenticated or user.is_verified():
        return SecondFactor.NOTHING
    if user_has_device(user):
        return SecondFactor.CODE
    if settings.REQUIRE_2FA_FOR_EDITORS and has_role(user, Role.EDITOR):
        return SecondFactor.SETUP
    return SecondFactor.NOTHING
