"""Who a management command acts as: ``--user USERNAME``, else the first superuser.

The services need an actor (imports record who submitted each claim); a command run from a
shell has no request, so it names one, or falls back to the first superuser and refuses to
run when there is none.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.management.base import CommandError, CommandParser


def add_user_argument(parser: CommandParser, doing: str) -> None:
    parser.add_argument(
        "--user",
        default=None,
        help=f"Username of the editor {doing} (default: the first superuser).",
    )


def command_actor(username: str | None) -> AbstractBaseUser:
    """The active user named, or the first active superuser; ``CommandError`` if none."""
    users = get_user_model().objects.filter(is_active=True)
    if username:
        found = users.filter(username=username).first()
        if found is None:
            raise CommandError(f"No active user {username!r}.")
        return found
    found = users.filter(is_superuser=True).order_by("pk").first()
    if found is None:
        raise CommandError("There is no superuser to act as; pass --user USERNAME.")
    return found
