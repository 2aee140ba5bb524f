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


class OverviewFilterForm(forms.Form):
    start = forms.DateField(
        label="From",
        required=False,
        widget=DayInput(),
        input_formats=["%Y-%m-%d"],
        help_text="First day included (YYYY-MM-DD).",
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=DayInput(),
        input_formats=["%Y-%m-%d"],
        help_text="Last day included (YYYY-MM-DD).",
    )
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

    def clean_start(self) -> dt.date | None:
        return _checked_day(self, "start")

    def clean_end(self) -> dt.date | None:
        return _checked_day(self, "end")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and start > end:
            raise ValidationError(
                "The range ends before it starts: “To” must not be before “From”."
            )
        return data

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

    since = forms.DateField(
        label="Published from",
        required=False,
        widget=DayInput(),
        input_formats=["%Y-%m-%d"],
        help_text="First day included (YYYY-MM-DD).",
        error_messages={"invalid": "Give a day as YYYY-MM-DD."},
    )
    until = forms.DateField(
        label="to",
        required=False,
        widget=DayInput(),
        input_formats=["%Y-%m-%d"],
        help_text="Last day included (YYYY-MM-DD).",
        error_messages={"invalid": "Give a day as YYYY-MM-DD."},
    )

    def clean_since(self) -> dt.date | None:
        return _checked_day(self, "since")

    def clean_until(self) -> dt.date | None:
        return _checked_day(self, "until")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since is not None and until is not None and since > until:
            raise ValidationError("The period ends before it starts: “until” is before “since”.")
        return data

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


def _checked_day(form: forms.Form, name: str) -> dt.date | None:
    day = form.cleaned_data.get(name)
    if day is not None:
        try:
            check_day(day)
        except ValueError as error:
            raise ValidationError(str(error)) from None
    return day
