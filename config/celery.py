"""The Celery app, configured from Django settings (the ``CELERY_`` namespace).

Workers: ``celery -A config worker -l info``; beat: ``celery -A config beat -l info`` (the
schedule lives in the database, editable in the admin under "Periodic tasks").
"""

import os
from typing import Any

from celery import Celery, Task
from celery.signals import task_postrun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("claimdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_postrun.connect
def _close_broken_connections(sender: Task | None = None, **kwargs: Any) -> None:
    """After each task, close database connections that broke or outlived CONN_MAX_AGE, as
    Django does after each request (CELERY_DB_REUSE_MAX keeps the healthy ones open). Not for
    eager tasks, which run inside the caller's transaction."""
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
