"""``manage.py api_token_create USERNAME --name NAME [--days N]``: an administrator's token."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from config.accounts.tokens import api_token_create


class Command(BaseCommand):
    help = "Make an API token for USERNAME and print its key (shown only this once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="Made with manage.py", help="What will use it.")
        parser.add_argument("--days", type=int, default=None, help="Days until it expires.")

    def handle(self, *args: Any, username: str, name: str, days: int | None, **options: Any):
        User = get_user_model()
        try:
            owner = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No account is called {username!r}.") from None
        try:  # actor None: the server's own authority, an administrator's
            token, key = api_token_create(actor=None, owner=owner, name=name, days=days)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(key)
        self.stderr.write(f"Token “{token.name}” for {username}, expires {token.expiry:%Y-%m-%d}.")
