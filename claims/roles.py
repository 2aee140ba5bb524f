"""Roles are Django groups: ``reviewer`` and ``editor``. Superusers are the administrators.

``is_staff`` only lets a person into the admin site; what they may do there comes from their
group's model permissions (set up by :func:`ensure_roles`) and from the services' role checks.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import models

User = AbstractBaseUser | AnonymousUser


class Role(models.TextChoices):
    REVIEWER = "reviewer", "Reviewer"
    EDITOR = "editor", "Editor"


# app_label.model → the permissions each role holds on it.
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.EDITOR: {
        "claims.topic": ("view", "add", "change"),
        "claims.source": ("view", "add", "change"),
        "claims.speaker": ("view", "add", "change"),
        "claims.speakeralias": ("view",),
        "claims.attributedstatement": ("view",),
        "claims.claim": ("view", "add", "change"),
        "claims.quantity": ("view", "add", "change", "delete"),
        "claims.appearance": ("view", "add", "change"),
        "verification.reviewerprofile": ("view", "add", "change"),
        "verification.assignment": ("view", "add", "change"),
        "verification.evidence": ("view", "add", "change"),
        "verification.review": ("view",),
        "verification.workflowevent": ("view",),
        "verification.emaillog": ("view",),
        "claims.externalreview": ("view",),
        "claims.correction": ("view",),
    },
    Role.REVIEWER: {
        "claims.topic": ("view",),
        "claims.source": ("view", "add"),
        "claims.speaker": ("view", "add"),
        "claims.speakeralias": ("view",),
        "claims.attributedstatement": ("view",),
        "claims.claim": ("view", "add"),
        "claims.quantity": ("view",),
        "claims.appearance": ("view",),
        "verification.reviewerprofile": ("view",),
        "verification.assignment": ("view",),
        "verification.evidence": ("view", "add"),
        "verification.review": ("view", "add"),
        "verification.workflowevent": ("view",),
        "claims.externalreview": ("view",),
        "claims.correction": ("view",),
    },
}


def ensure_roles(**kwargs: Any) -> None:
    """Create the role groups and give them exactly their permissions (idempotent)."""
    for role, models_perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for label, actions in models_perms.items():
            app_label, model = label.split(".")
            codenames = [f"{action}_{model}" for action in actions]
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )
        group.permissions.set(wanted)


def has_role(user: User | None, role: Role) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Cache the names on the user object: a changelist asks once per row.
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names
    return role in names


def is_editor(user: User | None) -> bool:
    return has_role(user, Role.EDITOR)


def is_reviewer(user: User | None) -> bool:
    return has_role(user, Role.REVIEWER)


def is_desk_member(user: User | None) -> bool:
    return is_editor(user) or is_reviewer(user)


def require_editor(user: User | None, doing: str) -> None:
    if not is_editor(user):
        raise PermissionDenied(f"Only an editor may {doing}.")


def require_desk_member(user: User | None, doing: str) -> None:
    if not is_desk_member(user):
        raise PermissionDenied(f"Only a reviewer or an editor may {doing}.")
