"""The audit record of staff logins."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from knox.models import AbstractAuthToken


class LoginEventKind(models.TextChoices):
    LOGIN = "login", "Logged in"
    LOGOUT = "logout", "Logged out"
    FAILED = "failed", "Wrong username or password"
    LOCKED_OUT = "locked_out", "Locked out"
    CODE_ACCEPTED = "code_accepted", "Second factor accepted"
    CODE_REFUSED = "code_refused", "Second factor refused"
    DEVICE_ADDED = "device_added", "Authenticator added"
    TOKEN_CREATED = "token_created", "API token made"
    TOKEN_REVOKED = "token_revoked", "API token revoked"


class LoginEvent(models.Model):
    """One login, logout, failed attempt, second-factor or token step, with where it came from,
    never edited. ``username`` is what was typed; ``user`` is set when it names an account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="login_events",
    )
    username = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=20, choices=LoginEventKind.choices)
    ip = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    new_device = models.BooleanField(
        default=False, help_text="The first login of this user from this address and browser."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # "Has this user logged in from this address and browser before?" at every login.
            models.Index(
                fields=["user", "kind", "ip", "user_agent"], name="login_event_device_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.username or self.user_id} from {self.ip}"


class ApiToken(AbstractAuthToken):
    """An API key of one person (django-rest-knox's ``KNOX_TOKEN_MODEL``): stored as a SHA-512
    digest with its first characters (``token_key``), named by its owner, expiring; revoking
    deletes it (the login record keeps that it was made and revoked)."""

    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'CMS sync'.")

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…) of {self.user}"
