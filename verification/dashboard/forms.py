"""The overview's filter form: a range of days, a topic and a language, from the query string.

A GET form, so a filtered overview is a link that can be shared. Bad input (a date that is not
one, a range that ends before it starts, an unknown topic or language) is a form error shown
above the figures, never a server error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from claims.models import Topic
from verification.calibration import CalibrationPeriod
from verification.dashboard.filters import claim_languages
from verification.dashboard.scope import EARLIEST_DAY, LATEST_DAY, DeskScope, check_day


class DayInput(forms.DateInput):
    """The browser's date picker; the value is sent as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DayField(forms.DateField):
    """An optional day from the date picker, one of the days the desk's figures cover."""

    widget = DayInput
    input_formats = ["%Y-%m-%d"]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def validate(self, value: dt.date | None) -> None:
        super().validate(value)
        if value is not None:
            try:
                check_day(value)
            except ValueError as error:
                raise ValidationError(str(error)) from None


def _in_order(data: dict[str, Any], first: str, last: str, message: str) -> dict[str, Any]:
    """``data``, unless its day ``last`` comes before its day ``first``."""
    start, end = data.get(first), data.get(last)
    if start is not None and end is not None and start > end:
        raise ValidationError(message)
    return data


class OverviewFilterForm(forms.Form):
    start = DayField(label="From", help_text="First day included (YYYY-MM-DD).")
    end = DayField(label="To", help_text="Last day included (YYYY-MM-DD).")
    topic = forms.ModelChoiceField(
        label="Topic",
        queryset=Topic.objects.order_by("name"),
        required=False,
        empty_label="All topics",
    )
    language = forms.ChoiceField(
        label="Language", required=False, help_text="The claims' language (ISO 639-1)."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read once (one query), not at validation and again at rendering.
        self.fields["language"].choices = [
            ("", "All languages"),
            *((code, code) for code in claim_languages()),
        ]

    def clean(self) -> dict[str, Any]:
        return _in_order(
            super().clean(),
            "start",
            "end",
            "The range ends before it starts: “To” must not be before “From”.",
        )

    def scope(self, *, now: dt.datetime) -> DeskScope:
        """The filters as a :class:`DeskScope`; the whole desk when the form is not valid."""
        if not self.is_valid():
            return DeskScope(now=now)
        data = self.cleaned_data
        return DeskScope(
            now=now,
            start=data["start"],
            end=data["end"],
            topic=data["topic"],
            language=data["language"],
        )


class CalibrationPeriodForm(forms.Form):
    """The calibration pages' period (claims published from … to …), read from the query
    string by the dashboard and the API alike. Left blank: the last 365 days."""

    since = DayField(
        label="Published from",
        help_text="First day included (YYYY-MM-DD).",
        error_messages={"invalid": "Give a day as YYYY-MM-DD."},
    )
    until = DayField(
        label="to",
        help_text="Last day included (YYYY-MM-DD).",
        error_messages={"invalid": "Give a day as YYYY-MM-DD."},
    )

    def clean(self) -> dict[str, Any]:
        return _in_order(
            super().clean(),
            "since",
            "until",
            "The period ends before it starts: “until” is before “since”.",
        )

    def period(self) -> CalibrationPeriod:
        """The period asked for; the default one when the form is blank or not valid."""
        default = CalibrationPeriod.default()
        if not self.is_valid():
            return default
        since, until = self.cleaned_data["since"], self.cleaned_data["until"]
        length = default.until - default.since
        if since is None and until is None:
            return default
        # One end given: the default length from (or to) it, kept inside the supported days.
        if since is None:
            since = max(until - length, EARLIEST_DAY)
        if until is None:
            until = min(since + length, LATEST_DAY)
        return CalibrationPeriod(since=since, until=until)
