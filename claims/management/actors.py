"""Who a management command acts as: ``--user USERNAME``, else the first superuser (the
services need an actor; a shell has no request)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError


def add_user_argument(parser: CommandParser, doing: str) -> None:
    parser.add_argument(
        "--user",
        default=None,
        help=f"Username of the editor {doing} (default: the first superuser).",
    )


def command_actor(username: str | None) -> AbstractBaseUser:
    """The active user named, or the first active superuser; ``CommandError`` if none, or if
    the database was never migrated (often the first command run on a fresh checkout)."""
    users = get_user_model().objects.filter(is_active=True)
    try:
        if username:
            found = users.filter(username=username).first()
            if found is None:
                raise CommandError(f"No active user {username!r}.")
            return found
        found = users.filter(is_superuser=True).order_by("pk").first()
    except DatabaseError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "no tables"
        raise CommandError(
            f"The database is not ready ({first_line}); run `python manage.py migrate` first, "
            "or `make run`, which also loads the demo desk."
        ) from error
    if found is None:
        raise CommandError(
            "There is no superuser to act as; pass --user USERNAME, create one with "
            "`python manage.py createsuperuser`, or load the demo desk with "
            "`python manage.py demo_data` (its administrator is `admin`)."
        )
    return found
