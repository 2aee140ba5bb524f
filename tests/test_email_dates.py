"""``minute_date`` (the emails' due dates) writes exactly what Django's ``date`` filter writes,
whatever the minute, second, time zone, daylight saving or language."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone, translation

FORMATS = ["l j F Y, H:i T", "D j M, H:i", "j M H:i", "r", "H:i:s", "c"]
ZONES = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata"]
LANGUAGES = ["en", "fr", "de"]
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MOMENTS = [
    dt.datetime(2026, 11, 24, 19, 28, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 24, 19, 28, 59, 999_999, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 24, 19, 29, 1, tzinfo=dt.UTC),
    # Either side of the end of summer time in Paris (03:00 → 02:00 on 25 October 2026).
    dt.datetime(2026, 10, 25, 0, 59, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 25, 1, 0, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 25, 2, 30, tzinfo=PARIS),
    dt.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS),
]


def render(source: str, value: dt.datetime) -> str:
    return Template("{% load desk_dates %}" + source).render(Context({"value": value}))


@pytest.mark.parametrize("zone", ZONES)
def test_minute_date_writes_what_the_date_filter_writes(zone):
    with override_settings(TIME_ZONE=zone), timezone.override(zone):
        for fmt, language, moment in itertools.product(FORMATS, LANGUAGES, MOMENTS):
            with translation.override(language):
                expected = render(f'{{{{ value|date:"{fmt}" }}}}', moment)
                # Twice: the second answer comes from what the first remembered.
                for _ in range(2):
                    assert render(f'{{{{ value|minute_date:"{fmt}" }}}}', moment) == expected, (
                        fmt,
                        language,
                        moment,
                    )


def test_a_date_without_a_time_and_nothing_at_all_are_written_as_the_date_filter_does():
    day = dt.date(2026, 11, 24)

    assert render('{{ value|minute_date:"D j M" }}', day) == render('{{ value|date:"D j M" }}', day)
    assert render('{{ value|minute_date:"D j M" }}', None) == ""
