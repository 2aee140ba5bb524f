"""``minute_date``: Django's ``date`` filter, remembered for each minute.

The assignment emails show each due date three times, and a batch of them has the same due
date to the minute; formatting one (day and month names looked up in the active language)
costs more than the rest of the email's template. The answer depends only on the minute, the
time zone, the format and the language, so it is kept for each of those.
"""

from __future__ import annotations

import datetime as dt
import functools

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import translation

register = template.Library()

# Format characters that show something finer than the minute (or the whole instant).
_FINER_THAN_MINUTES = frozenset("sucrUv")


@functools.lru_cache(maxsize=256)
def _formatted(
    minute: dt.datetime, zone: tuple[str | None, dt.timedelta | None], fmt: str, language: str
) -> str:
    return date_filter(minute, fmt)


@register.filter(expects_localtime=True, is_safe=False)
def minute_date(value: object, arg: str) -> str:
    """``value|date:arg`` for a format that shows nothing finer than minutes."""
    if not isinstance(value, dt.datetime) or _FINER_THAN_MINUTES & set(arg):
        return date_filter(value, arg)
    minute = value.replace(second=0, microsecond=0)
    zone = (value.tzname(), value.utcoffset())
    return _formatted(minute, zone, arg, translation.get_language() or "")
