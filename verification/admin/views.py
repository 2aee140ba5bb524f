"""The admin's own pages beyond editing rows.

- :func:`review_submit_view`: a reviewer gives their verdict on an assignment of theirs.
- :func:`assign_reviewer_view`: an editor offers a claim to a reviewer.

Both only collect input; the rules are the services' (``review_submit``, ``assignment_create``),
and whatever a service refuses is shown on the form, with nothing saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from claims.models import Appearance, Claim, Confidence, Rating
from verification import services
from verification.admin.base import SERVICE_ERRORS, add_service_error
from verification.models import Evidence
from verification.roles import Role, is_editor
from verification.selectors import reviewer_load
from verification.services.assignments import ASSIGNABLE_CLAIM_STATES

# --- Submit a review ---------------------------------------------------------------------


class EvidenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Evidence) -> str:
        where = obj.publisher or obj.url or obj.document_ref
        return f"{obj.grade} · {obj.get_stance_display().lower()} · {obj.title} ({where})"


class ReviewSubmitForm(forms.Form):
    rating = forms.ChoiceField(choices=Rating.choices)
    confidence = forms.ChoiceField(
        choices=Confidence.choices, help_text="How likely you think your rating is right."
    )
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))
    evidence = EvidenceChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The evidence your rating rests on. A firm rating must cite at least one.",
    )

    def __init__(self, *args: Any, evidence: QuerySet[Evidence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = evidence


def review_submit_view(
    model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    """The assigned reviewer's verdict form for one assignment (GET shows it, POST submits).

    The assignment is looked up through the admin's queryset, which a reviewer sees only
    their own rows of, so someone else's assignment is a 404; an editor, who sees every
    assignment, is refused with 403 because only the assignee may review.
    """
    assignment = model_admin.get_object(request, unquote(object_id))
    if assignment is None:
        raise Http404("No such assignment.")
    if assignment.reviewer_id != request.user.pk:
        raise PermissionDenied("Only the assigned reviewer may review this claim.")
    claim = assignment.claim
    evidence = Evidence.objects.filter(claim_id=claim.pk).order_by("id")
    form = ReviewSubmitForm(_posted(request), evidence=evidence)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_submit(
                actor=request.user,
                assignment=assignment,
                rating=form.cleaned_data["rating"],
                confidence=form.cleaned_data["confidence"],
                rationale=form.cleaned_data["rationale"],
                evidence=list(form.cleaned_data["evidence"]),
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            model_admin.log_addition(request, review, [{"added": {}}])
            model_admin.message_user(
                request,
                f"Your review of claim #{claim.pk} is in: {review.get_rating_display()}.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))
    add_evidence_url = reverse("admin:verification_evidence_add") + f"?claim={claim.pk}"
    closed = f"This assignment is {assignment.get_state_display().lower()}; nothing to submit."
    return _render_form(
        model_admin,
        request,
        template="admin/verification/assignment/review_form.html",
        original=assignment,
        form=form,
        title=f"Review claim #{claim.pk}",
        submit_label="Submit review",
        claim=claim,
        appearances=_appearances_of(claim),
        closed_reason="" if assignment.is_open else closed,
        add_evidence_url=add_evidence_url,
    )


# --- Assign a reviewer -------------------------------------------------------------------


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
    """An editor offers a claim to a reviewer of their choice (``assignment_create``)."""
    claim = model_admin.get_object(request, unquote(object_id))
    if claim is None:
        raise Http404("No such claim.")
    if not is_editor(request.user):
        raise PermissionDenied("Only an editor may assign a claim.")
    form = AssignReviewerForm(_posted(request))
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
    return _render_form(
        model_admin,
        request,
        template="admin/claims/claim/assign_form.html",
        original=claim,
        form=form,
        title=f"Assign claim #{claim.pk} to a reviewer",
        submit_label="Assign",
        claim=claim,
        appearances=_appearances_of(claim),
        closed_reason="" if claim.state in ASSIGNABLE_CLAIM_STATES else closed,
    )


# --- Shared page plumbing ----------------------------------------------------------------


def _posted(request: HttpRequest) -> Any:
    # An empty POST must still bind the form, so that its required fields report errors.
    return request.POST if request.method == "POST" else None


def _appearances_of(claim: Claim) -> Iterable[Appearance]:
    return claim.appearances.select_related("source", "speaker").defer("source__text")


def _render_form(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    template: str,
    original: Model,
    form: forms.Form,
    title: str,
    **extra: Any,
) -> TemplateResponse:
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "app_label": opts.app_label,
        "original": original,
        "title": title,
        "form": form,
        "media": model_admin.media + form.media,
        **extra,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, template, context)
