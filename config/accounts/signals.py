"""Django's login signals, recorded (``config.accounts.services``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from config.accounts.models import LoginEventKind
from config.accounts.services import login_event_record, login_failure_record, login_record


@receiver(user_logged_in, dispatch_uid="accounts.login")
def _logged_in(sender: Any, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> None:
    login_record(request=request, user=user)


@receiver(user_logged_out, dispatch_uid="accounts.logout")
def _logged_out(
    sender: Any, request: HttpRequest, user: AbstractBaseUser | None, **kwargs: Any
) -> None:
    if user is not None:  # a logout without a login records nothing
        login_event_record(kind=LoginEventKind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="accounts.login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get(get_user_model().USERNAME_FIELD, ""))
    login_failure_record(request=request, username=username)
