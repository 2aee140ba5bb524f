"""The periodic jobs, stored with django-celery-beat so editors can change them in the admin.

:func:`ensure_periodic_tasks` runs after every migration and only creates what is missing: a
schedule edited in the admin is left as it is.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

PERIODIC_TASKS = [
    # (name, task, kind, schedule)
    ("Sweep pending work", "verification.tasks.sweep_pending_work", "interval", 60),
    ("Reminders and escalation", "verification.tasks.send_reminders", "interval", 15 * 60),
    ("Daily digest to editors", "verification.tasks.send_daily_digest", "crontab", None),
    ("Resume import jobs", "claims.tasks.sweep_import_jobs", "interval", 60),
    ("Archive and watch cited pages", "config.archive.tasks.archive_sweep", "interval", 5 * 60),
    ("Send webhooks that are due", "config.webhooks.tasks.webhook_sweep", "interval", 60),
]


def ensure_periodic_tasks(**kwargs: Any) -> None:
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    for name, task, kind, every in PERIODIC_TASKS:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        if kind == "interval":
            interval, _ = IntervalSchedule.objects.get_or_create(
                every=every, period=IntervalSchedule.SECONDS
            )
            when = {"interval": interval}
        else:
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute="0",
                hour=str(settings.DIGEST_HOUR),
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone=settings.TIME_ZONE,
            )
            when = {"crontab": crontab}
        PeriodicTask.objects.create(name=name, task=task, kwargs="{}", **when)
