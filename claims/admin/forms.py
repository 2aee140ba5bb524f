"""The claims admin's forms, and how a new quantity or appearance is stored.

The forms check the services' rules first (a text stored once, a span that reproduces its
quote, a published claim read-only), so that a refusal is a form error, not a failed save; new
rows go through ``quantity_add`` and ``appearance_add``, on their own pages and in inlines.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model

from claims import services as claim_services
from claims.models import Appearance, Attribution, Claim, Quantity, Source, content_hash_of

Data = TypeVar("Data")


class SourceForm(forms.ModelForm):
    # Django 6 assumes https for a URL typed without a scheme; say so now.
    url = forms.URLField(required=False, max_length=2000, assume_scheme="https")

    class Meta:
        model = Source
        fields = [
            "kind",
            "title",
            "url",
            "publisher",
            "author",
            "published_on",
            "language",
            "text",
        ]

    def clean_url(self) -> str | None:
        # No URL is NULL (the column is unique among the sources that have one), never "".
        return self.cleaned_data["url"] or None

    def clean_text(self) -> str:
        # Browsers send textarea line breaks as CRLF; spans count the stored characters.
        return self.cleaned_data["text"].replace("\r\n", "\n")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text = data.get("text", "")
        if "text" in self.changed_data and text.strip():
            same = Source.objects.filter(content_hash=content_hash_of(text))
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            existing = same.first()
            if existing is not None:
                self.add_error(
                    "text", f"This text is already stored as source #{existing.pk}: {existing}."
                )
        return data


def _refuse_if_locked(form: forms.ModelForm, claim: Claim | None) -> None:
    if claim is not None and claim.is_locked:
        form.add_error(None, f"Claim #{claim.pk} is published and read-only; reopen it first.")


class QuantityForm(forms.ModelForm):
    class Meta:
        model = Quantity
        fields = ["claim", "kind", "value", "unit", "period", "approximate", "text"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _refuse_if_locked(self, data.get("claim"))
        return data


def _given(row: Model, data_class: type[Data]) -> Data:
    """What the form's unsaved ``row`` gives the service: each of ``data_class``'s fields read
    off the row's attribute of that name."""
    return data_class(**{f.name: getattr(row, f.name) for f in dataclasses.fields(data_class)})


def quantity_save_new(*, actor: Any, claim: Claim, row: Quantity) -> Quantity:
    data = _given(row, claim_services.QuantityData)
    return claim_services.quantity_add(actor=actor, claim=claim, data=data)


class AppearanceForm(forms.ModelForm):
    """An appearance whose span must reproduce its quote (``claims.services.validate_span``)."""

    end = forms.IntegerField(
        min_value=1, required=False, help_text="Leave empty for start + the quote's length."
    )

    class Meta:
        model = Appearance
        fields = ["claim", "source", "speaker", "attribution", "quote", "start", "end", "note"]

    def clean_quote(self) -> str:
        # Browsers send textarea line breaks as CRLF; the source's text has plain LF.
        return self.cleaned_data["quote"].replace("\r\n", "\n")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _refuse_if_locked(self, data.get("claim"))
        source, quote, start = data.get("source"), data.get("quote"), data.get("start")
        if source is None or not quote or start is None:
            return data  # the missing field already carries its error
        if data.get("end") is None:
            data["end"] = start + len(quote)
        try:
            claim_services.validate_span(source=source, quote=quote, start=start, end=data["end"])
        except ValidationError as error:
            self.add_error(None, error)
        if data.get("attribution") == Attribution.SAID and data.get("speaker") is None:
            self.add_error("speaker", "A claim the speaker said needs its speaker.")
        return data


def appearance_save_new(*, actor: Any, claim: Claim, row: Appearance) -> Appearance:
    data = _given(row, claim_services.AppearanceData)
    return claim_services.appearance_add(actor=actor, claim=claim, data=data)


class ClaimForm(forms.ModelForm):
    class Meta:
        model = Claim
        fields = ["statement", "priority", "topics"]

    def clean_statement(self) -> str:
        statement = self.cleaned_data["statement"].strip()
        if not statement:
            raise ValidationError("The statement is empty.")
        return statement
