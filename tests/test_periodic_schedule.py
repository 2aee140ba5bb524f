"""The periodic jobs live in django-celery-beat's tables: created once after migrate, then the
editors' to change in the admin. Running the setup again never undoes their changes.
"""

from __future__ import annotations

import pytest
from django.test import override_settings
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from verification.schedule import ensure_periodic_tasks

pytestmark = pytest.mark.django_db

EXPECTED = {
    "Sweep pending work": "verification.tasks.sweep_pending_work",
    "Reminders and escalation": "verification.tasks.send_reminders",
    "Daily digest to editors": "verification.tasks.send_daily_digest",
    "Resume import jobs": "claims.tasks.sweep_import_jobs",
}


def _rows() -> dict[str, PeriodicTask]:
    return {t.name: t for t in PeriodicTask.objects.select_related("interval", "crontab")}


def _desk_rows() -> dict[str, PeriodicTask]:
    # django-celery-beat may add its own housekeeping task; only the desk's matter here.
    return {name: task for name, task in _rows().items() if name in EXPECTED}


def test_migrate_has_created_the_desks_jobs():
    rows = _desk_rows()

    assert {name: task.task for name, task in rows.items()} == EXPECTED
    assert all(task.enabled for task in rows.values())


def test_the_jobs_are_created_once_with_their_schedules():
    PeriodicTask.objects.filter(name__in=EXPECTED).delete()

    ensure_periodic_tasks()
    ensure_periodic_tasks()

    rows = _desk_rows()
    assert {name: task.task for name, task in rows.items()} == EXPECTED
    assert PeriodicTask.objects.filter(name__in=EXPECTED).count() == len(EXPECTED)
    sweep, reminders = rows["Sweep pending work"], rows["Reminders and escalation"]
    assert (sweep.interval.every, sweep.interval.period) == (60, IntervalSchedule.SECONDS)
    assert (reminders.interval.every, reminders.interval.period) == (900, IntervalSchedule.SECONDS)
    digest = rows["Daily digest to editors"].crontab
    assert (digest.minute, digest.hour, digest.day_of_week) == ("0", "7", "*")
    assert all(task.kwargs == "{}" for task in rows.values())


@override_settings(DIGEST_HOUR=5, TIME_ZONE="Europe/Paris")
def test_the_digest_runs_at_the_configured_hour_in_the_desks_time_zone():
    PeriodicTask.objects.filter(name="Daily digest to editors").delete()

    ensure_periodic_tasks()

    crontab = PeriodicTask.objects.get(name="Daily digest to editors").crontab
    assert (crontab.hour, crontab.minute) == ("5", "0")
    assert str(crontab.timezone) == "Europe/Paris"


def test_schedules_changed_in_the_admin_are_left_alone():
    rows = _desk_rows()
    slower, _ = IntervalSchedule.objects.get_or_create(every=5, period=IntervalSchedule.MINUTES)
    sweep = rows["Sweep pending work"]
    sweep.interval = slower
    sweep.save()
    PeriodicTask.objects.filter(pk=rows["Reminders and escalation"].pk).update(enabled=False)
    evening, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="18", day_of_week="1-5", day_of_month="*", month_of_year="*"
    )
    PeriodicTask.objects.filter(pk=rows["Daily digest to editors"].pk).update(crontab=evening)
    count = PeriodicTask.objects.count()

    ensure_periodic_tasks()

    after = _desk_rows()
    assert PeriodicTask.objects.count() == count
    assert after["Sweep pending work"].interval == slower
    assert after["Reminders and escalation"].enabled is False
    assert after["Daily digest to editors"].crontab == evening


def test_a_deleted_job_comes_back_and_the_others_are_untouched():
    rows = _desk_rows()
    PeriodicTask.objects.filter(pk=rows["Reminders and escalation"].pk).delete()
    PeriodicTask.objects.filter(pk=rows["Sweep pending work"].pk).update(enabled=False)

    ensure_periodic_tasks()

    after = _desk_rows()
    assert set(after) == set(EXPECTED)
    assert after["Reminders and escalation"].pk != rows["Reminders and escalation"].pk
    assert after["Sweep pending work"].pk == rows["Sweep pending work"].pk
    assert after["Sweep pending work"].enabled is False
    assert after["Daily digest to editors"].pk == rows["Daily digest to editors"].pk


def test_every_scheduled_task_is_a_registered_celery_task():
    from config.celery import app

    app.loader.import_default_modules()

    assert set(EXPECTED.values()) <= set(app.tasks)
