"""An editor offers a claim to a reviewer of their choice, from the claim page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from claims.admin.base import SERVICE_ERRORS, add_service_error
from claims.models import Claim
from claims.roles import is_editor
from verification import services
from verification.admin.views.common import appearances_of, posted, render_page
from verification.eligibility import Choice, reviewers_eligible
from verification.services.assignments import ASSIGNABLE_CLAIM_STATES


class EligibleSelect(forms.Select):
    """The reviewers' list: a person who may not take the claim now is shown, greyed out, with
    the reason (``verification.eligibility``)."""

    refused: dict[str, str]

    def create_option(self, name: str, value: Any, label: Any, *args: Any, **kwargs: Any) -> dict:
        option = super().create_option(name, value, label, *args, **kwargs)
        if str(value) in self.refused:
            option["attrs"]["disabled"] = True
        return option


class AssignReviewerForm(forms.Form):
    reviewer = forms.TypedChoiceField(coerce=int, widget=EligibleSelect)
    due_at = forms.DateTimeField(
        required=False,
        label="Due",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Leave empty for the priority's usual turnaround.",
    )
    note = forms.CharField(required=False, widget=forms.TextInput(attrs={"size": 60}))

    def __init__(self, *args: Any, claim: Claim, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {}
        choices: list[tuple[Any, str]] = [("", "---------")]
        refused = {}
        for verdict in reviewers_eligible(claim, choice=Choice.EDITOR):
            person, profile = verdict.candidate.user, verdict.candidate.profile
            self.people[person.pk] = person
            load = f"{verdict.candidate.open_count}/{profile.capacity} open"
            if verdict.eligible:
                choices.append((person.pk, f"{person.get_username()} ({load})"))
            else:
                choices.append((person.pk, f"{person.get_username()} ({load}): {verdict.message}"))
                refused[str(person.pk)] = verdict.message
        field = self.fields["reviewer"]
        field.choices = choices
        field.widget.refused = refused

    def clean_reviewer(self) -> AbstractBaseUser:
        # Whoever it is, the service decides, and its refusal is shown on the form.
        return self.people[self.cleaned_data["reviewer"]]


def assign_reviewer_view(
    model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    """An editor offers a claim to a reviewer of their choice (``assignment_create``).

    The choices are everyone with a reviewer profile, those who may not take the claim now
    greyed out with the reason; whatever the service refuses (the same rule) is shown on the
    form, with nothing saved.
    """
    claim = model_admin.get_object(request, unquote(object_id))
    if claim is None:
        raise Http404("No such claim.")
    if not is_editor(request.user):
        raise PermissionDenied("Only an editor may assign a claim.")
    form = AssignReviewerForm(posted(request), claim=claim)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_create(
                actor=request.user,
                claim=claim,
                reviewer=form.cleaned_data["reviewer"],
                due_at=form.cleaned_data["due_at"],
                note=form.cleaned_data["note"],
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            model_admin.log_addition(request, assignment, [{"added": {}}])
            model_admin.message_user(
                request,
                f"Claim #{claim.pk} offered to {assignment.reviewer.get_username()}, "
                f"due {assignment.due_at:%Y-%m-%d %H:%M}.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))
    closed = (
        f"Claim #{claim.pk} is {claim.get_state_display().lower()}; only triaged claims and "
        "claims in research take reviewers."
    )
    return render_page(
        model_admin,
        request,
        template="admin/claims/claim/assign_form.html",
        original=claim,
        form=form,
        title=f"Assign claim #{claim.pk} to a reviewer",
        submit_label="Assign",
        claim=claim,
        appearances=appearances_of(claim),
        closed_reason="" if claim.state in ASSIGNABLE_CLAIM_STATES else closed,
    )
