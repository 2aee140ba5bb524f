"""The editor's sign-off screen for one claim.

What the editor weighs, on one page: the current round's reviews side by side with the ratings
that differ from the consensus marked, the evidence grouped by origin (reprints of one story
count once), the consensus and the claim's agreement figure, and a preview of the ClaimReview
that publishing would put out, built by the same code as the published one. Then two forms:
publish (final rating, the consensus preselected; a summary for readers; a note) and send back
(a note saying what is missing), each calling its workflow service, whose refusals are shown on
the form in its own words with nothing saved.

Only editors reach the page: a reviewer never sees it, so blind review holds whatever the
claim's state. An editor who reviewed the claim sees why they cannot publish it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Prefetch, Q
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from claims.admin.base import SERVICE_ERRORS, add_service_error
from claims.claimreview import claim_review_jsonld, claim_review_preview
from claims.models import Appearance, Claim, ClaimState, Rating
from verification import services
from verification.admin.views.common import (
    editor_page_claim,
    in_context,
    render_page,
    with_context_window,
)
from verification.models import Evidence, Review, Stance

PREVIEW, PUBLISH, SEND_BACK = "preview", "publish", "send_back"


class PublishForm(forms.Form):
    required_css_class = "required"

    rating = forms.ChoiceField(
        label="Final rating",
        choices=Rating.choices,
        help_text="The reviewers' consensus is chosen; another rating needs a sign-off note "
        "saying why.",
    )
    summary = forms.CharField(
        label="Summary for readers",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="The verdict explained in a few sentences; published as the ClaimReview's "
        "reviewBody.",
    )
    note = forms.CharField(
        label="Sign-off note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="For the record. Required when the final rating is not the consensus.",
    )
    correction_note = forms.CharField(
        label="Public correction note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="This claim's earlier verdict is public: readers see this note beside the "
        "change, with the earlier verdict. Required.",
    )

    def __init__(self, *args: Any, consensus: str, public: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not public:
            # A first publication corrects nothing.
            del self.fields["correction_note"]
        self.fields["rating"].choices = [
            (value, f"{label} (the reviewers' consensus)" if value == consensus else label)
            for value, label in Rating.choices
        ]
        self.fields["rating"].initial = consensus or None


class SendBackForm(forms.Form):
    required_css_class = "required"

    note = forms.CharField(
        label="What is missing",
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="The reviewers of this round get the claim back with this note.",
    )


@dataclass
class OriginGroup:
    """Evidence items that share an origin: one independent source, however often reprinted."""

    key: str
    items: list[Evidence] = field(default_factory=list)


def evidence_by_origin(items: list[Evidence]) -> list[OriginGroup]:
    """Group evidence by ``origin_key``, in the order the origins were first added. An item
    without a key is an origin of its own."""
    groups: dict[str, OriginGroup] = {}
    for item in items:
        key = item.origin_key or f"evidence #{item.pk}"
        groups.setdefault(key, OriginGroup(key)).items.append(item)
    return list(groups.values())


def count_phrase(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def stance_origins(groups: list[OriginGroup]) -> list[str]:
    """How many independent origins take each stance ("Supports: 2 origins")."""
    counts: Counter[str] = Counter()
    for group in groups:
        for stance in {item.stance for item in group.items}:
            counts[stance] += 1
    return [
        f"{Stance(stance).label}: {count_phrase(counts[stance], 'origin', 'origins')}"
        for stance in Stance.values
        if counts[stance]
    ]


def signoff_claim(pk: int) -> Claim:
    """The claim with its appearances (sources, speakers, the text around each quote), as both
    the page's summary and the ClaimReview need them."""
    appearances = with_context_window(
        Appearance.objects.select_related("source", "speaker").order_by("pk")
    )
    return (
        Claim.objects.select_related("published_by")
        .prefetch_related(Prefetch("appearances", queryset=appearances))
        .get(pk=pk)
    )


def claim_signoff_view(
    model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str
) -> HttpResponse:
    """GET shows the screen; POST previews, publishes or sends back (``action``)."""
    found = editor_page_claim(model_admin, request, object_id, to="sign off a claim")
    claim = signoff_claim(found.pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action not in ("", PREVIEW, PUBLISH, SEND_BACK):
        return HttpResponseBadRequest("Unknown action: use preview, publish or send_back.")
    publish = PublishForm(
        request.POST if action == PUBLISH else None,
        initial=_previewed(request.POST) if action == PREVIEW else None,
        consensus=claim.consensus_rating,
        public=claim.has_public_verdict,
        prefix="publish",
    )
    send_back = SendBackForm(request.POST if action == SEND_BACK else None, prefix="send_back")
    if action == PUBLISH and publish.is_valid():
        try:
            services.claim_publish(
                actor=request.user,
                claim=claim,
                rating=publish.cleaned_data["rating"],
                summary=publish.cleaned_data["summary"],
                note=publish.cleaned_data["note"],
                correction_note=publish.cleaned_data.get("correction_note", ""),
            )
        except SERVICE_ERRORS as error:
            add_service_error(publish, error)
        else:
            published = Claim.objects.get(pk=claim.pk)
            model_admin.message_user(
                request,
                format_html(
                    'Claim #{} is published as {}. <a href="{}">Read the public fact check</a>.',
                    claim.pk,
                    published.get_published_rating_display(),
                    reverse("factcheck-detail", args=[claim.pk]),
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
    if action == SEND_BACK and send_back.is_valid():
        try:
            services.claim_send_back(
                actor=request.user, claim=claim, note=send_back.cleaned_data["note"]
            )
        except SERVICE_ERRORS as error:
            add_service_error(send_back, error)
        else:
            model_admin.message_user(
                request,
                f"Claim #{claim.pk} was sent back to research; round {claim.review_round + 1} "
                "starts with your note.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))
    return render_page(
        model_admin,
        request,
        template="admin/claims/claim/signoff.html",
        original=claim,
        title=f"Sign off claim #{claim.pk}",
        publish_form=publish,
        send_back_form=send_back,
        **_screen(request, claim, publish),
    )


def _screen(request: HttpRequest, claim: Claim, publish: PublishForm) -> dict[str, Any]:
    """Everything the page shows besides the forms."""
    reviews = list(
        Review.objects.filter(claim=claim, review_round=claim.review_round)
        .select_related("reviewer")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )
    ratings = {review.rating for review in reviews}
    for review in reviews:
        review.differs = bool(claim.consensus_rating) and review.rating != claim.consensus_rating
    evidence = list(
        Evidence.objects.filter(claim=claim)
        .annotate(cited=Count("cited_by", filter=Q(cited_by__review_round=claim.review_round)))
        .order_by("pk")
    )
    groups = evidence_by_origin(evidence)
    reviewed_it = Review.objects.filter(claim=claim, reviewer_id=request.user.pk).exists()
    in_review = claim.state == ClaimState.IN_REVIEW
    context: dict[str, Any] = {
        "claim": claim,
        "appearances": in_context(claim.appearances.all()),
        "reviews": reviews,
        "ratings_differ": len(ratings) > 1,
        "rating_spread": ", ".join(Rating(r).label for r in Rating.values if r in ratings),
        "origin_groups": groups,
        "evidence_count": count_phrase(len(evidence), "item", "items"),
        "origin_count": count_phrase(len(groups), "independent origin", "independent origins"),
        "stance_origins": stance_origins(groups),
        "reviewed_it": reviewed_it,
        "can_publish": in_review and bool(claim.consensus_rating) and not reviewed_it,
        "can_send_back": in_review,
        "closed_reason": "" if in_review else _closed_reason(claim),
    }
    if claim.state == ClaimState.PUBLISHED:
        context["claim_review"] = _pretty(claim_review_jsonld(claim))
        context["claim_review_heading"] = "Published ClaimReview"
        context["factcheck_url"] = reverse("factcheck-detail", args=[claim.pk])
        context["claimreview_api_url"] = reverse("claimreview-detail", args=[claim.pk])
    elif in_review and claim.consensus_rating:
        chosen = _chosen(publish, claim)
        context["claim_review"] = _pretty(
            claim_review_preview(claim, rating=chosen, summary=_value(publish, "summary"))
        )
        context["claim_review_heading"] = "Preview of the ClaimReview"
    return context


def _closed_reason(claim: Claim) -> str:
    if claim.state == ClaimState.PUBLISHED:
        by = claim.published_by.get_username() if claim.published_by else "an editor"
        when = timezone.localtime(claim.published_at)
        return (
            f"Claim #{claim.pk} was published by {by} on {when:%Y-%m-%d %H:%M} as "
            f"{claim.get_published_rating_display() or claim.get_consensus_rating_display()}; "
            "correct it (Correct the verdict, on the claim's page) or reopen it for another "
            "review round."
        )
    return (
        f"Claim #{claim.pk} is {claim.get_state_display().lower()}; only a claim in review "
        "(all its reviews in) can be signed off."
    )


def _previewed(data: Any) -> dict[str, str]:
    """The publish form's values as the editor typed them, to show again under the preview
    (unbound: a preview is not a submission, so an empty summary is no error yet)."""
    return {name: data.get(f"publish-{name}", "") for name in PublishForm.base_fields}


def _value(form: forms.Form, name: str) -> str:
    """What the editor typed (submitted or previewed), else the field's starting value."""
    if form.is_bound:
        value = form.data.get(form.add_prefix(name))
    else:
        value = form.initial.get(name) or form.fields[name].initial
    return str(value or "")


def _chosen(form: PublishForm, claim: Claim) -> str:
    chosen = _value(form, "rating")
    return chosen if chosen in Rating.values else claim.consensus_rating


def _pretty(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)
