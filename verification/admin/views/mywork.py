"""The reviewer's "My work": their open assignments by due date, each with the claim, its
quotes in their context, the sources, and buttons to accept, decline or review.

Accept and decline are POST forms that call ``assignment_accept`` / ``assignment_decline``;
what the service refuses ("Cannot accept assignment #4: it is declined…") comes back as an
admin message in its own words, and the page is shown again (post, redirect, get).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from claims.admin.base import SERVICE_ERRORS, error_text
from claims.models import Appearance
from verification import services
from verification.admin.views.common import in_context, render_page, with_context_window
from verification.models import OPEN_ASSIGNMENT_STATES, Assignment, AssignmentState

ACCEPT, DECLINE = "accept", "decline"


def open_assignments_of(user: Any) -> QuerySet[Assignment]:
    """``user``'s offered and accepted assignments, soonest due first, with their claims and
    the claims' appearances (sources, speakers, a window of text around each quote): three
    queries whatever the number of assignments."""
    appearances = with_context_window(
        Appearance.objects.select_related("source", "speaker").order_by("source_id", "start")
    )
    return (
        Assignment.objects.filter(reviewer_id=user.pk, state__in=OPEN_ASSIGNMENT_STATES)
        .select_related("claim")
        .prefetch_related(Prefetch("claim__appearances", queryset=appearances))
        .order_by("due_at", "id")
    )


class RespondForm(forms.Form):
    """One button press on the page: accept or decline one of the person's own offers."""

    assignment = forms.ModelChoiceField(queryset=Assignment.objects.none())
    action = forms.ChoiceField(choices=[(ACCEPT, "Accept"), (DECLINE, "Decline")])
    reason = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = Assignment.objects.filter(reviewer_id=user.pk)
        self.fields["assignment"].error_messages["invalid_choice"] = (
            "That assignment is not one of yours."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == DECLINE and not data.get("reason", "").strip():
            # The editor reassigning the claim needs to know why (away, conflict of interest…).
            self.add_error("reason", "Say why you decline, so that the desk can reassign it.")
        return data


def my_work_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    """GET lists the person's open assignments; POST accepts or declines one of them."""
    here = reverse("admin:verification_assignment_mine")
    if request.method == "POST":
        _respond(model_admin, request, RespondForm(request.POST, user=request.user))
        return HttpResponseRedirect(here)
    now = timezone.now()
    assignments = list(open_assignments_of(request.user))
    for assignment in assignments:
        assignment.overdue = assignment.due_at < now
        assignment.can_respond = assignment.state == AssignmentState.OFFERED
        assignment.review_url = reverse(
            "admin:verification_assignment_review", args=[assignment.pk]
        )
        assignment.appearances = in_context(assignment.claim.appearances.all())
    return render_page(
        model_admin,
        request,
        template="admin/verification/assignment/my_work.html",
        title="My work",
        assignments=assignments,
        overdue_count=sum(1 for a in assignments if a.overdue),
        now=now,
    )


def _respond(model_admin: admin.ModelAdmin, request: HttpRequest, form: RespondForm) -> None:
    if not form.is_valid():
        problems = " ".join(" ".join(errors) for errors in form.errors.values())
        model_admin.message_user(request, f"Nothing was changed: {problems}", messages.ERROR)
        return
    assignment = form.cleaned_data["assignment"]
    try:
        if form.cleaned_data["action"] == ACCEPT:
            services.assignment_accept(actor=request.user, assignment=assignment)
            done = f"You accepted claim #{assignment.claim_id}; it is due {_due(assignment)}."
        else:
            services.assignment_decline(
                actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
            )
            done = f"You declined claim #{assignment.claim_id}; it goes back to the desk."
    except SERVICE_ERRORS as error:
        model_admin.message_user(
            request, f"Nothing was changed: {error_text(error)}", messages.ERROR
        )
    else:
        model_admin.message_user(request, done, messages.SUCCESS)


def _due(assignment: Assignment) -> str:
    return f"{timezone.localtime(assignment.due_at):%Y-%m-%d %H:%M}"
