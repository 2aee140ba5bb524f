"""Who a row names when a service writes outside a request.

django-simple-history takes the user from the request (``HistoryRequestMiddleware``); a Celery
task, a management command or a shell has none, so the services hand over their actor.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models


def signed_in(actor: AbstractBaseUser | None) -> AbstractBaseUser | None:
    """``actor`` if it is a signed-in user, else ``None`` (the system acted)."""
    return actor if actor is not None and actor.is_authenticated else None


def history_as(instance: models.Model, actor: AbstractBaseUser | None) -> None:
    """Name ``actor`` on the history rows the next saves of ``instance`` write. With no actor,
    the request's user, if any, stands: the person whose request set the system move off."""
    if signed_in(actor) is not None:
        instance._history_user = actor
