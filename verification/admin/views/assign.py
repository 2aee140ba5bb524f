"""An editor offers a claim to a reviewer of their choice, from the claim page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from claims.admin.base import SERVICE_ERRORS, add_service_error
from verification import services
from verification.admin.views.common import appearances_of, posted, render_page
from verification.roles import Role, is_editor
from verification.selectors import reviewer_load
from verification.services.assignments import ASSIGNABLE_CLAIM_STATES


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        profile = obj.reviewer_profile
        away = "" if profile.availability == "available" else ", away"
        return f"{obj.get_username()} ({obj.open_assignments}/{profile.capacity} open{away})"


class AssignReviewerForm(forms.Form):
    reviewer = ReviewerChoiceField(queryset=reviewer_load().none())
    due_at = forms.DateTimeField(
        required=False,
        label="Due",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Leave empty for the priority's usual turnaround.",
    )
    note = forms.CharField(required=False, widget=forms.TextInput(attrs={"size": 60}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewer_load().filter(groups__name=Role.REVIEWER)


def assign_reviewer_view(
    model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    """An editor offers a claim to a reviewer of their choice (``assignment_create``).

    The form only collects input; whatever the service refuses is shown on the form, with
    nothing saved.
    """
    claim = model_admin.get_object(request, unquote(object_id))
    if claim is None:
        raise Http404("No such claim.")
    if not is_editor(request.user):
        raise PermissionDenied("Only an editor may assign a claim.")
    form = AssignReviewerForm(posted(request))
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
