"""The reviewer's review page: rating, confidence, rationale, the evidence picker, and new
evidence added on the same page.

One HTML form holds both parts, with two buttons: "Add evidence" stores the new item through
``evidence_add`` and comes back to the page (a redirect, so a reload adds nothing twice) with
what the reviewer had typed kept and the new item ticked; "Submit review" calls
``review_submit``. Whatever a service refuses ("A rating of 'True' must cite at least one piece
of evidence") is shown on the form in its own words, and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from claims.admin.base import SERVICE_ERRORS, add_service_error
from claims.models import Confidence, Rating
from verification import services
from verification.admin.evidence import EvidenceForm
from verification.admin.views.common import appearances_of, posted, render_page
from verification.models import Assignment, Evidence

ADD_EVIDENCE = "add_evidence"


def evidence_label(item: Evidence) -> str:
    """One line a reviewer can choose from: grade, stance, title, where from, and origin."""
    where = item.publisher or item.url or item.document_ref
    origin = f" · origin {item.origin_key}" if item.origin_key else ""
    return f"{item.grade} · {item.get_stance_display().lower()} · {item.title} ({where}){origin}"


class EvidenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Evidence) -> str:
        return evidence_label(obj)


class ReviewSubmitForm(forms.Form):
    required_css_class = "required"

    rating = forms.ChoiceField(choices=[("", "---------"), *Rating.choices])
    confidence = forms.ChoiceField(
        choices=[("", "---------"), *Confidence.choices],
        help_text="How likely you think your rating is right.",
    )
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 6, "cols": 80}))
    evidence = EvidenceChoiceField(
        label="Evidence cited",
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The evidence your rating rests on. A firm rating must cite at least one.",
    )

    def __init__(self, *args: Any, evidence: QuerySet[Evidence], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = evidence


class NewEvidenceForm(EvidenceForm):
    """The evidence form of the evidence admin, for the claim under review (no claim field)."""

    required_css_class = "required"

    url = forms.URLField(
        label="URL",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="A URL or a document reference is needed.",
    )

    class Meta(EvidenceForm.Meta):
        # The admin's evidence form without the claim: the review page's claim is given.
        fields = [name for name in EvidenceForm.Meta.fields if name != "claim"]
        labels = {
            "document_ref": "Document reference",
            "source_reliability": "Source reliability (A–F)",
            "credibility": "Information credibility (1–6)",
            "origin_key": "Origin key",
        }
        help_texts = {
            "origin_key": "Reprints of one wire story share a key and count as one origin; "
            "left empty, the URL (or publisher and document) is the key.",
        }
        widgets = {"excerpt": forms.Textarea(attrs={"rows": 3, "cols": 80})}


def review_submit_view(
    model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    """The assigned reviewer's verdict form for one assignment (GET shows it, POST submits or
    adds evidence).

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
    here = reverse("admin:verification_assignment_review", args=[assignment.pk])
    new_evidence = NewEvidenceForm(prefix="new")
    if request.method == "POST" and request.POST.get("action") == ADD_EVIDENCE:
        form = ReviewSubmitForm(initial=_draft(request.POST), evidence=evidence)
        new_evidence = NewEvidenceForm(request.POST, prefix="new")
        item = _add_evidence(request, assignment, new_evidence)
        if item is not None:
            draft = _draft(request.POST)
            draft["evidence"].append(item.pk)
            request.session[_draft_key(assignment)] = draft
            model_admin.message_user(
                request,
                f"Evidence “{item.title}” ({item.grade}) was added to claim #{claim.pk} and is "
                "ticked below.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(here + "#evidence-cited")
    elif request.method == "POST":
        form = ReviewSubmitForm(posted(request), evidence=evidence)
        if form.is_valid():
            review = _submit(request, assignment, form)
            if review is not None:
                model_admin.log_addition(request, review, [{"added": {}}])
                model_admin.message_user(
                    request,
                    f"Your review of claim #{claim.pk} is in: {review.get_rating_display()}.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))
    else:
        form = ReviewSubmitForm(
            initial=request.session.pop(_draft_key(assignment), None), evidence=evidence
        )
    closed = f"This assignment is {assignment.get_state_display().lower()}; nothing to submit."
    return render_page(
        model_admin,
        request,
        template="admin/verification/assignment/review_form.html",
        original=assignment,
        form=form,
        new_evidence=new_evidence,
        title=f"Review claim #{claim.pk}",
        claim=claim,
        appearances=appearances_of(claim),
        closed_reason="" if assignment.is_open else closed,
        my_work_url=reverse("admin:verification_assignment_mine"),
    )


def _submit(request: HttpRequest, assignment: Assignment, form: ReviewSubmitForm) -> Any:
    try:
        return services.review_submit(
            actor=request.user,
            assignment=assignment,
            rating=form.cleaned_data["rating"],
            confidence=form.cleaned_data["confidence"],
            rationale=form.cleaned_data["rationale"],
            evidence=list(form.cleaned_data["evidence"]),
        )
    except SERVICE_ERRORS as error:
        add_service_error(form, error)
        return None


def _add_evidence(
    request: HttpRequest, assignment: Assignment, form: NewEvidenceForm
) -> Evidence | None:
    if not assignment.is_open:
        form.add_error(
            None,
            f"This assignment is {assignment.get_state_display().lower()}; add evidence from "
            "the claim page instead.",
        )
        return None
    if not form.is_valid():
        return None
    try:
        return services.evidence_add(
            actor=request.user, claim=assignment.claim, **form.cleaned_data
        )
    except SERVICE_ERRORS as error:
        add_service_error(form, error)
        return None


def _draft_key(assignment: Assignment) -> str:
    return f"review-draft:{assignment.pk}"


def _draft(data: Any) -> dict[str, Any]:
    """What the reviewer had typed into the review part, to keep across "Add evidence"."""
    return {
        "rating": data.get("rating", ""),
        "confidence": data.get("confidence", ""),
        "rationale": data.get("rationale", ""),
        "evidence": [int(pk) for pk in data.getlist("evidence") if pk.isdigit()],
    }
