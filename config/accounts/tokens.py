"""API tokens made, listed and revoked by every door (API, admin, ``manage.py
api_token_create``); django-rest-knox stores and checks them. A person manages their own, an
administrator anyone's; every token expires (``API_TOKEN_DAYS``, ``API_TOKEN_MAX_DAYS``)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from config.accounts.models import ApiToken, LoginEventKind
from config.accounts.services import login_event_record

NAME_CHARS = ApiToken._meta.get_field("name").max_length


def may_manage_tokens_of(actor: AbstractBaseUser | AnonymousUser, owner: AbstractBaseUser) -> bool:
    """The one rule: a person manages their own tokens, an administrator everyone's."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    return actor.is_superuser or actor.pk == owner.pk


def api_tokens_visible(actor: AbstractBaseUser | AnonymousUser) -> QuerySet[ApiToken]:
    """The tokens ``actor`` may see: their own; every token for an administrator."""
    tokens = ApiToken.objects.select_related("user").order_by("-created")
    if not actor.is_authenticated:
        return tokens.none()
    return tokens if actor.is_superuser else tokens.filter(user=actor)


def api_token_lifetime(actor: AbstractBaseUser | None, days: int | None) -> timedelta:
    """How long a token ``actor`` makes for ``days`` lives; a ValidationError past the limit
    (``actor`` None: the server itself, with an administrator's say)."""
    if days is None:
        return timedelta(days=settings.API_TOKEN_DAYS)
    admin = actor is None or actor.is_superuser
    limit = settings.API_TOKEN_MAX_DAYS if admin else settings.API_TOKEN_DAYS
    if not 1 <= days <= limit:
        raise ValidationError(
            {"expires_in_days": f"A token lives between 1 and {limit} days; {days} is outside."}
        )
    return timedelta(days=days)


def api_token_create(
    *,
    actor: AbstractBaseUser | None,
    owner: AbstractBaseUser | None = None,
    name: str,
    days: int | None = None,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``owner`` (``actor`` by default) and its key, to show once and keep
    nowhere. ``actor`` None is the server itself (``manage.py``), and then ``owner`` is needed."""
    owner = owner or actor
    if owner is None:
        raise ValidationError({"user": "Say whose token it is."})
    if actor is not None and not may_manage_tokens_of(actor, owner):
        raise PermissionDenied("Only the owner of an account or an administrator makes its tokens.")
    if not owner.is_active:
        raise ValidationError({"user": f"{owner.get_username()} is not an active account."})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the token after what will use it, e.g. 'CMS sync'."})
    if len(name) > NAME_CHARS:
        raise ValidationError({"name": f"A token's name is at most {NAME_CHARS} characters."})
    lifetime = api_token_lifetime(actor, days)
    with transaction.atomic():
        token, key = ApiToken.objects.create(user=owner, expiry=lifetime, name=name)
        login_event_record(kind=LoginEventKind.TOKEN_CREATED, request=request, user=owner)
    return token, key


def api_token_revoke(
    *, actor: AbstractBaseUser, token: ApiToken, request: HttpRequest | None = None
) -> None:
    """Revoke ``token`` (it stops working at once), on the login record."""
    if not may_manage_tokens_of(actor, token.user):
        raise PermissionDenied("Only the token's owner or an administrator revokes it.")
    with transaction.atomic():
        login_event_record(kind=LoginEventKind.TOKEN_REVOKED, request=request, user=token.user)
        token.delete()
