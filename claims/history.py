"""Who a history row names when a service writes outside a request.

django-simple-history takes the user from the request (``HistoryRequestMiddleware``); a Celery
task, a management command or a shell has none, so the services hand over their actor.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models


def history_as(instance: models.Model, actor: AbstractBaseUser | None) -> None:
    """Name ``actor`` on the history rows the next saves of ``instance`` write.

    With no actor (the system acted) the request's user, if any, is left to stand: the person
    whose request set the system move off.
    """
    if actor is not None and actor.is_authenticated:
        instance._history_user = actor
