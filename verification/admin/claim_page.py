"""The claim page's own sections, below its form: the timeline of everything that happened,
the assignments with the emails each one sent, ingestion's likely duplicates with the
editor's confirm / reject buttons, and the pages the claim cites (each with the archive's line,
drawn by its template tag).

The sections read through selectors (``verification.timeline``, ``claims.selectors`` and the
two below), which apply the desk's visibility rules (blind review, a reviewer's own
assignments); the buttons post to :func:`match_decide_view`, which calls
``verification.services.match_decisions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse

from claims.admin.base import SERVICE_ERRORS, error_text
from claims.models import Appearance, Claim, ClaimMatch, ClaimState, MatchOutcome, Source
from claims.roles import is_editor
from claims.selectors import claim_matches, concerning_claim
from verification.models import EmailLog, Evidence
from verification.selectors import assignments_visible_to
from verification.services.match_decisions import claim_match_confirm, claim_match_reject
from verification.timeline import claim_timeline

DECISIONS = {"confirm": claim_match_confirm, "reject": claim_match_reject}


@dataclass(frozen=True)
class MatchRow:
    """One likely duplicate as the claim page shows it, from this claim's side."""

    match: ClaimMatch
    mine: bool  # this claim's appearance, matched to another claim
    other_id: int  # the claim on the other side
    other_statement: str
    decide_urls: dict[str, str]  # decision → URL; empty when the person may not decide


def claim_assignments_with_emails(claim: Claim, user: AbstractBaseUser | AnonymousUser) -> QuerySet:
    """The claim's assignments the person may see (``assignments_visible_to``), each with the
    emails the desk wrote for it, oldest first (without their bodies)."""
    emails = EmailLog.objects.defer("body_text", "body_html").order_by("created_at", "id")
    return (
        assignments_visible_to(user)
        .filter(claim=claim)
        .select_related("reviewer", "assigned_by")
        .prefetch_related(Prefetch("emails", queryset=emails))
        .order_by("review_round", "created_at", "id")
    )


def claim_emails_without_assignment(claim: Claim) -> QuerySet:
    """The claim's other emails (ready for sign-off, published): to editors, about the claim."""
    return (
        EmailLog.objects.filter(claim=claim, assignment__isnull=True)
        .defer("body_text", "body_html")
        .order_by("created_at", "id")
    )


def claim_cited_pages(claim: Claim) -> tuple[list[Evidence], list[Source]]:
    """The claim's evidence items with a URL, and the sources with a URL it appeared in, each
    once: the rows of the cited pages section."""
    evidence = Evidence.objects.filter(claim=claim, url__gt="").order_by("created_at", "pk")
    sources = (
        Source.objects.filter(appearances__claim=claim)
        .filter(url__gt="")
        .defer("text")
        .distinct()
        .order_by("pk")
    )
    return list(evidence.only("pk", "claim_id", "title", "url")), list(sources)


def claim_page_context(request: HttpRequest, claim: Claim) -> dict[str, Any]:
    """What the page's own sections show, as ``request.user`` may see it."""
    user = request.user
    show_emails = user.has_perm("verification.view_emaillog")
    cited_evidence, cited_sources = claim_cited_pages(claim)
    return {
        "cited_evidence": cited_evidence,
        "cited_sources": cited_sources,
        "timeline": claim_timeline(claim, user),
        "assignment_rows": list(claim_assignments_with_emails(claim, user)),
        "show_emails": show_emails,
        "claim_emails": list(claim_emails_without_assignment(claim)) if show_emails else [],
        "match_rows": [
            _match_row(claim, match, editor=is_editor(user)) for match in claim_matches(claim)
        ],
    }


def _match_row(claim: Claim, match: ClaimMatch, *, editor: bool) -> MatchRow:
    appearance = match.appearance
    mine = match.existing_id != claim.pk
    other = match.existing if mine else appearance.claim
    urls = {}
    if editor and match.outcome == MatchOutcome.SUGGESTED:
        urls = {
            decision: reverse(
                "admin:claims_claim_match_decide", args=[claim.pk, match.pk, decision]
            )
            for decision in DECISIONS
        }
    return MatchRow(match, mine, other.pk, other.statement, urls)


def match_decide_view(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    object_id: str,
    match_id: int,
    decision: str,
) -> HttpResponse:
    """Confirm or reject one of the claim's likely duplicates, then back to the claim page
    with the service's answer (or its refusal) as a message."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    decide = DECISIONS.get(decision)
    if decide is None:
        raise Http404(f"No decision {decision!r}: confirm or reject.")
    claim = model_admin.get_object(request, object_id)
    if claim is None:
        raise Http404("No such claim.")
    if not is_editor(request.user):
        raise PermissionDenied("Only an editor may decide a likely duplicate.")
    match = get_object_or_404(ClaimMatch.objects.filter(concerning_claim(claim.pk)), pk=match_id)
    candidate_id = match.appearance.claim_id
    try:
        decided = decide(actor=request.user, match=match)
    except SERVICE_ERRORS as error:
        model_admin.message_user(request, error_text(error), messages.ERROR)
    else:
        model_admin.message_user(request, _done(decided, candidate_id), messages.SUCCESS)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    return HttpResponseRedirect(f"{url}#likely-duplicates")


def _done(match: ClaimMatch, candidate_id: int) -> str:
    existing = f"claim #{match.existing_id}"
    if match.outcome == MatchOutcome.REJECTED:
        return f"Noted: claim #{candidate_id} is not a duplicate of {existing}; both stay."
    moved = Appearance.objects.filter(pk=match.appearance_id, claim_id=match.existing_id).exists()
    dismissed = Claim.objects.filter(pk=candidate_id, state=ClaimState.DISMISSED).exists()
    text = f"Confirmed: claim #{candidate_id} is a duplicate of {existing}."
    if moved:
        text += f" Its appearance is now one of {existing}'s."
    else:
        text += f" {existing.capitalize()} is published, so it takes no new appearance."
    if dismissed:
        text += f" Claim #{candidate_id} is dismissed, with a reason naming {existing}."
    return text
