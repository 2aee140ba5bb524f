"""The editor's sign-off screen: the round's reviews side by side with the disagreement
marked, the evidence by origin (reprints counted once), the consensus and agreement, a preview
of the ClaimReview, and Publish / Send back calling the workflow services. Only editors reach
it; an editor who reviewed the claim is told why they cannot publish it."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, ClaimState, Priority, Rating
from tests import factories
from tests.conftest import submit_review
from tests.test_admin_actions import CLAIMS, run_action
from verification import services
from verification.models import Assignment, Review, WorkflowAction

pytestmark = pytest.mark.django_db

TEXT = (
    "The war has taken a heavy toll. The Gaza health ministry says about 10,000 Palestinian "
    "civilians have been killed, a figure impossible to confirm. Officials dispute it."
)
QUOTE = "about 10,000 Palestinian civilians have been killed"


def signoff_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_signoff", args=[claim.pk])


@pytest.fixture
def disputed(editor, reviewer, second_reviewer) -> Claim:
    """A high-priority claim in review: one reviewer rates it true, the other false; three
    evidence items, two of them reprints of one wire story."""
    claim = factories.ClaimFactory(
        statement="About 10,000 Palestinian civilians have been killed.", priority=Priority.HIGH
    )
    source = factories.SourceFactory(text=TEXT, title="The toll", publisher="The Paper")
    factories.appearance_quoting(claim, source, QUOTE)
    services.claim_triage(actor=editor, claim=claim)
    first = services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)
    second = services.assignment_create(actor=editor, claim=claim, reviewer=second_reviewer)

    def add(title: str, url: str, stance: str, origin: str = "") -> object:
        return services.evidence_add(
            actor=reviewer,
            claim=claim,
            title=title,
            url=url,
            publisher="Wire",
            stance=stance,
            source_reliability="B",
            credibility=2,
            origin_key=origin,
        )

    wire = add("Ministry toll, outlet one", "https://one.example/toll", "supports", "ap:toll")
    reprint = add("Ministry toll, outlet two", "https://two.example/toll", "supports", "ap:toll")
    census = add("UN casualty count", "https://un.example/count", "refutes")
    submit_review(
        reviewer,
        first,
        "true",
        "moderate",
        "The ministry's count is reported widely.",
        [wire, reprint],
    )
    submit_review(second_reviewer, second, "false", "low", "The UN count is lower.", [census])
    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.state, claim.consensus_rating) == (ClaimState.IN_REVIEW, Rating.MIXED)
    return claim


def page_of(client, claim: Claim, data: dict | None = None) -> str:
    response = client.post(signoff_url(claim), data) if data else client.get(signoff_url(claim))
    assert response.status_code == 200
    return response.content.decode()


def jsonld_in(page: str) -> dict:
    found = re.search(r'<pre class="desk-jsonld"[^>]*>(.*?)</pre>', page, re.S)
    assert found, "no ClaimReview on the page"
    return json.loads(html.unescape(found.group(1)))


# --- What the editor sees -----------------------------------------------------------------


def test_the_reviews_are_side_by_side_with_the_disagreement_marked(client, other_editor, disputed):
    client.force_login(other_editor)
    page = page_of(client, disputed)

    assert page.count('class="desk-card differs"') == 2
    assert page.count("Differs from the consensus</span>") == 2
    assert "Review by reviewer</h3>" in page and "Review by reviewer2</h3>" in page
    assert "<strong>The reviewers disagree</strong>: they rated it True, False." in page
    assert "The ministry&#x27;s count is reported widely." in page
    assert "B2 · refutes · UN casualty count" in page
    assert "Consensus: <strong>Mixed</strong>, low (55–70%) confidence." in page
    assert f"α = {disputed.agreement:.2f}" in page


def test_a_review_that_agrees_with_the_consensus_is_not_marked(
    client, other_editor, claim_in_review
):
    client.force_login(other_editor)
    page = page_of(client, claim_in_review)

    assert 'class="desk-card"' in page and "desk-card differs" not in page
    assert "The reviewers disagree" not in page
    assert "not computed: fewer than two firm ratings" in page


def test_reprints_of_one_story_count_as_one_origin(client, other_editor, disputed):
    client.force_login(other_editor)
    page = page_of(client, disputed)

    assert "Evidence: 3 items, 2 independent origins</h2>" in page
    assert "ap:toll (2 items, counted once)" in page
    assert "reprint of the same origin" in page
    assert "By independent origin: Supports: 1 origin; Refutes: 1 origin." in page


def test_the_quote_is_shown_in_its_context(client, other_editor, disputed):
    client.force_login(other_editor)
    page = page_of(client, disputed)

    assert f"The Gaza health ministry says <mark>{QUOTE}</mark>, a figure impossible" in page


def test_the_forms_are_labelled_and_the_consensus_is_preselected(client, other_editor, disputed):
    client.force_login(other_editor)
    page = page_of(client, disputed)

    assert '<label for="id_publish-rating" class="required">Final rating:</label>' in page
    assert '<label for="id_publish-summary" class="required">Summary for readers:</label>' in page
    assert '<label for="id_publish-note">Sign-off note:</label>' in page
    assert '<label for="id_send_back-note" class="required">What is missing:</label>' in page
    assert '<option value="mixed" selected>Mixed (the reviewers&#x27; consensus)</option>' in page
    for button in ("Preview", "Publish", "Send back"):
        assert f">{button}</button>" in page


def test_the_preview_is_the_claimreview_of_the_consensus(client, other_editor, disputed):
    client.force_login(other_editor)
    review = jsonld_in(page_of(client, disputed))

    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == disputed.statement
    assert review["reviewRating"]["alternateName"] == "Mixed"
    assert "reviewBody" not in review
    assert review["itemReviewed"]["appearance"][0]["headline"] == "The toll"


def test_preview_shows_the_chosen_rating_and_summary_and_publishes_nothing(
    client, other_editor, disputed
):
    client.force_login(other_editor)
    page = page_of(
        client,
        disputed,
        {
            "action": "preview",
            "publish-rating": "mostly_false",
            "publish-summary": "The ministry's figure cannot be confirmed.",
            "publish-note": "",
        },
    )

    review = jsonld_in(page)
    assert review["reviewRating"]["alternateName"] == "Mostly false"
    assert review["reviewBody"] == "The ministry's figure cannot be confirmed."
    # What was typed stays in the form, with no errors (nothing was submitted).
    assert '<option value="mostly_false" selected>' in page
    assert "The ministry&#x27;s figure cannot be confirmed.</textarea>" in page
    assert "Nothing was published" not in page
    assert Claim.objects.get(pk=disputed.pk).state == ClaimState.IN_REVIEW


# --- Publish ------------------------------------------------------------------------------


def test_publish_with_the_consensus_and_a_summary(client, other_editor, disputed):
    client.force_login(other_editor)
    response = client.post(
        signoff_url(disputed),
        {
            "action": "publish",
            "publish-rating": "mixed",
            "publish-summary": "The toll is the ministry's; the UN's count is lower.",
            "publish-note": "",
        },
        follow=True,
    )

    assert response.redirect_chain == [(signoff_url(disputed), 302)]
    claim = Claim.objects.get(pk=disputed.pk)
    assert (claim.state, claim.published_by, claim.published_rating) == (
        ClaimState.PUBLISHED,
        other_editor,
        Rating.MIXED,
    )
    assert claim.published_summary == "The toll is the ministry's; the UN's count is lower."
    page = response.content.decode()
    assert f"Claim #{claim.pk} is published as Mixed." in page
    assert reverse("factcheck-detail", args=[claim.pk]) in page
    assert "Published ClaimReview</h2>" in page
    assert jsonld_in(page)["reviewBody"] == claim.published_summary
    assert ">Publish</button>" not in page and ">Send back</button>" not in page


def test_publish_without_a_summary_is_refused_on_the_form(client, other_editor, disputed):
    client.force_login(other_editor)
    response = client.post(
        signoff_url(disputed),
        {"action": "publish", "publish-rating": "mixed", "publish-summary": " "},
    )

    assert response.status_code == 200
    assert response.context["publish_form"].errors["summary"] == ["This field is required."]
    assert "Nothing was published." in response.content.decode()
    assert Claim.objects.get(pk=disputed.pk).state == ClaimState.IN_REVIEW


def test_overruling_the_consensus_needs_a_note_on_the_form(client, other_editor, disputed):
    client.force_login(other_editor)
    data = {"action": "publish", "publish-rating": "false", "publish-summary": "Not so."}
    response = client.post(signoff_url(disputed), data)

    assert response.status_code == 200
    assert response.context["publish_form"].errors["note"] == [
        "You chose 'False', not the reviewers' consensus 'Mixed'; say why in the note."
    ]
    assert Claim.objects.get(pk=disputed.pk).state == ClaimState.IN_REVIEW

    data["publish-note"] = "The UN count is the better source."
    client.post(signoff_url(disputed), data)

    claim = Claim.objects.get(pk=disputed.pk)
    assert (claim.state, claim.published_rating) == (ClaimState.PUBLISHED, Rating.FALSE)
    assert "overruling the consensus Mixed" in claim.events.get(action=WorkflowAction.PUBLISH).note


def test_an_editor_who_reviewed_the_claim_is_told_why_they_cannot_publish(
    client, triaged_claim, editor_who_reviewed
):
    both = editor_who_reviewed
    client.force_login(both)

    page = page_of(client, triaged_claim)
    assert "You reviewed this claim, so you cannot sign it off" in page
    assert ">Publish</button>" not in page
    assert ">Send back</button>" in page

    data = {"action": "publish", "publish-rating": "true", "publish-summary": "True."}
    page = page_of(client, triaged_claim, data)
    assert "another editor must sign it off" in page
    assert Claim.objects.get(pk=triaged_claim.pk).state == ClaimState.IN_REVIEW


def test_a_claim_published_meanwhile_is_refused_in_plain_words(
    client, editor, other_editor, claim_in_review
):
    client.force_login(other_editor)
    page_of(client, claim_in_review)
    services.claim_publish(actor=editor, claim=claim_in_review, summary="First.")

    data = {"action": "publish", "publish-rating": "true", "publish-summary": "Second."}
    page = page_of(client, claim_in_review, data)

    assert "Nothing was published." in page
    assert f"Cannot publish claim #{claim_in_review.pk}: it is published" in page
    assert Claim.objects.get(pk=claim_in_review.pk).published_summary == "First."


# --- Send back ----------------------------------------------------------------------------


def test_send_back_with_a_note_returns_the_claim_to_research(client, other_editor, disputed):
    client.force_login(other_editor)
    response = client.post(
        signoff_url(disputed),
        {"action": "send_back", "send_back-note": "Find the UN's own statement."},
        follow=True,
    )

    change_url = reverse("admin:claims_claim_change", args=[disputed.pk])
    assert response.redirect_chain == [(change_url, 302)]
    claim = Claim.objects.get(pk=disputed.pk)
    assert (claim.state, claim.review_round) == (ClaimState.IN_RESEARCH, 2)
    assert claim.events.get(action=WorkflowAction.SEND_BACK).note == "Find the UN's own statement."
    assert Assignment.objects.filter(claim=claim, review_round=2).count() == 2


def test_send_back_without_a_note_is_refused_on_the_form(client, other_editor, disputed):
    client.force_login(other_editor)
    response = client.post(signoff_url(disputed), {"action": "send_back", "send_back-note": ""})

    assert response.status_code == 200
    assert response.context["send_back_form"].errors["note"] == ["This field is required."]
    assert "The claim was not sent back." in response.content.decode()
    assert Claim.objects.get(pk=disputed.pk).state == ClaimState.IN_REVIEW


def test_an_unknown_action_is_a_bad_request(client, other_editor, disputed):
    client.force_login(other_editor)

    response = client.post(signoff_url(disputed), {"action": "delete"})

    assert response.status_code == 400
    assert Claim.objects.get(pk=disputed.pk).state == ClaimState.IN_REVIEW


# --- Who may see it, and in which states ---------------------------------------------------


@pytest.mark.parametrize("who", ["reviewer", "second_reviewer", "submitter"])
def test_reviewers_never_reach_the_screen(who, request, client, disputed):
    client.force_login(request.getfixturevalue(who))

    assert client.get(signoff_url(disputed)).status_code == 403
    data = {"action": "publish", "publish-rating": "mixed", "publish-summary": "Mixed."}
    assert client.post(signoff_url(disputed), data).status_code == 403
    assert Claim.objects.get(pk=disputed.pk).state == ClaimState.IN_REVIEW


def test_a_reviewer_who_has_not_reviewed_yet_cannot_see_a_claim_in_research(
    client, second_reviewer, claim_in_research
):
    # Blind review: the screen would show the other reviewers' verdicts.
    client.force_login(second_reviewer)

    assert client.get(signoff_url(claim_in_research)).status_code == 403


def test_a_missing_claim_is_a_404(client, editor):
    client.force_login(editor)

    assert client.get(reverse("admin:claims_claim_signoff", args=[999999])).status_code == 404


def test_a_claim_in_research_shows_why_it_cannot_be_signed_off(client, editor, claim_in_research):
    client.force_login(editor)
    page = page_of(client, claim_in_research)

    assert f"Claim #{claim_in_research.pk} is in research; only a claim in review" in page
    assert ">Publish</button>" not in page and ">Send back</button>" not in page
    assert "Preview of the ClaimReview" not in page


def test_a_published_claim_shows_its_published_claimreview(client, editor, published_claim):
    client.force_login(editor)
    page = page_of(client, published_claim)

    assert "was published by editor2" in page
    assert "Published ClaimReview</h2>" in page
    assert jsonld_in(page)["reviewRating"]["alternateName"] == "True"
    assert reverse("claimreview-detail", args=[published_claim.pk]) in page


def test_the_screen_costs_the_same_queries_with_more_evidence_and_quotes(
    client, other_editor, reviewer, claim_in_review
):
    client.force_login(other_editor)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            page_of(client, claim_in_review)
        return len(queries)

    # One quote first: the first appearance adds the archive's "archivedAt" look-up (once).
    factories.AppearanceFactory(claim=claim_in_review)
    before = count()
    for n in range(6):
        services.evidence_add(
            actor=reviewer,
            claim=claim_in_review,
            title=f"Item {n}",
            url=f"https://records.example/item-{n}",
            stance="context",
            source_reliability="C",
            credibility=3,
            origin_key=f"origin-{n % 2}",
        )
        factories.AppearanceFactory(claim=claim_in_review)
    Review.objects.get(claim=claim_in_review).evidence.add(*claim_in_review.evidence.all())
    assert count() == before


# --- Where it is linked from -----------------------------------------------------------------


def test_the_claim_list_links_claims_in_review_to_the_screen_for_editors(
    client, editor, reviewer, claim_in_review
):
    new_claim = factories.ClaimFactory()
    client.force_login(editor)
    page = client.get(CLAIMS).content.decode()
    assert f'<a href="{signoff_url(claim_in_review)}" aria-label="Sign off claim #' in page
    assert signoff_url(new_claim) not in page

    client.force_login(reviewer)
    assert "/signoff/" not in client.get(CLAIMS).content.decode()


def test_the_claim_page_links_to_the_screen_for_editors(client, editor, reviewer, claim_in_review):
    change_url = reverse("admin:claims_claim_change", args=[claim_in_review.pk])
    client.force_login(editor)
    assert f'<a href="{signoff_url(claim_in_review)}">Sign off</a>' in (
        client.get(change_url).content.decode()
    )

    client.force_login(reviewer)
    assert signoff_url(claim_in_review) not in client.get(change_url).content.decode()


def test_the_list_action_still_publishes_the_consensus(client, other_editor, claim_in_review):
    client.force_login(other_editor)

    assert run_action(client, CLAIMS, "publish_selected", [claim_in_review]) == [
        "Published 1 claim."
    ]
    claim = Claim.objects.get(pk=claim_in_review.pk)
    assert (claim.state, claim.published_rating, claim.published_summary) == (
        ClaimState.PUBLISHED,
        Rating.TRUE,
        "",
    )
