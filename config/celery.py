"""The Celery app, configured from Django settings (the ``CELERY_`` namespace).

Workers: ``celery -A config worker -l info``; beat: ``celery -A config beat -l info`` (the
schedule lives in the database, editable in the admin under "Periodic tasks").
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("claimdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
