"""The editor's screen for changing a published verdict: correct, update or withdraw.

The page shows the verdict as the public reads it, every earlier change, and one form: what
kind of change (a correction of the rating or summary, a minor update of the summary's wording,
or withdrawing the fact check), the new rating and summary, and the public note. Each kind calls
its service in ``verification.services.corrections``; a refusal is shown in the service's words
with nothing saved.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from claims.admin.base import SERVICE_ERRORS, add_service_error
from claims.models import Claim, CorrectionKind, Rating
from verification import services
from verification.admin.views.common import (
    appearances_of,
    editor_page_claim,
    posted,
    render_page,
)


class CorrectionForm(forms.Form):
    required_css_class = "required"

    kind = forms.ChoiceField(
        label="Change",
        choices=[
            (CorrectionKind.CORRECTION, "Correction: the rating, the summary or both change"),
            (
                CorrectionKind.UPDATE,
                "Update: a minor fix of the summary (typo, link); the rating stays",
            ),
            (CorrectionKind.WITHDRAWAL, "Withdrawal: take the fact check down"),
        ],
        widget=forms.RadioSelect,
        initial=CorrectionKind.CORRECTION,
    )
    rating = forms.ChoiceField(
        label="Rating",
        choices=Rating.choices,
        help_text="For a correction: the rating as it should now read.",
    )
    summary = forms.CharField(
        label="Summary for readers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="As it should now read (a correction or an update).",
    )
    note = forms.CharField(
        label="Public note",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Shown to readers beside the change, with its date: what changed and why.",
    )


def claim_correct_view(
    model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    """GET shows the screen; POST makes the chosen change."""
    found = editor_page_claim(model_admin, request, object_id, to="change a published verdict")
    claim = Claim.objects.select_related("published_by").get(pk=found.pk)
    form = CorrectionForm(
        posted(request),
        initial={
            "rating": claim.published_rating or claim.consensus_rating,
            "summary": claim.published_summary,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            correction = _make(request, claim, form.cleaned_data)
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            model_admin.message_user(
                request,
                format_html(
                    '{} of claim #{} recorded. <a href="{}">Read the public fact check</a>.',
                    correction.get_kind_display(),
                    claim.pk,
                    reverse("factcheck-detail", args=[claim.pk]),
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))
    return render_page(
        model_admin,
        request,
        template="admin/claims/claim/correct.html",
        original=claim,
        title=f"Correct the published verdict of claim #{claim.pk}",
        claim=claim,
        appearances=appearances_of(claim),
        corrections=list(claim.corrections.select_related("made_by").order_by("made_at", "pk")),
        form=form,
        factcheck_url=reverse("factcheck-detail", args=[claim.pk]),
    )


def _make(request: HttpRequest, claim: Claim, data: dict[str, Any]) -> Any:
    if data["kind"] == CorrectionKind.WITHDRAWAL:
        return services.claim_retract(actor=request.user, claim=claim, note=data["note"])
    if data["kind"] == CorrectionKind.UPDATE:
        return services.claim_update(
            actor=request.user, claim=claim, summary=data["summary"], note=data["note"]
        )
    return services.claim_correct(
        actor=request.user,
        claim=claim,
        note=data["note"],
        rating=data["rating"],
        summary=data["summary"],
    )
