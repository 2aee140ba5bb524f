"""The Celery app, configured from Django settings (the ``CELERY_`` namespace).

Workers: ``celery -A config worker -l info``; beat: ``celery -A config beat -l info`` (the
schedule lives in the database, editable in the admin under "Periodic tasks").
"""

import os
from typing import Any

from celery import Celery, Task
from celery.signals import task_postrun, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("claimdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_postrun.connect
def _close_broken_connections(sender: Task | None = None, **kwargs: Any) -> None:
    """After each task, close database connections that broke or outlived CONN_MAX_AGE, as
    Django does after each request; not for eager tasks (inside the caller's transaction)."""
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


@worker_init.connect
def _load_before_forking(**kwargs: Any) -> None:
    """Compile the email templates and build the URL resolver's reverse index before the pool
    forks, so the pool processes share them instead of each building them."""
    from django.apps import apps

    if not apps.ready:
        return
    from django.template.loader import get_template
    from django.urls import get_resolver

    from verification.models import EmailKind

    get_resolver().reverse_dict  # noqa: B018  (built on first access)
    for kind in EmailKind:
        for name in ("subject.txt", "body.txt", "body.html"):
            get_template(f"emails/{kind}/{name}")
