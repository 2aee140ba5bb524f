"""The admin's lists: every changelist costs the same queries at 5 rows and at 50 (no N+1),
and the claim list's filters and search find the right claims."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimState, ExternalReview, Priority
from tests import factories
from verification.models import (
    Assignment,
    AssignmentState,
    EmailKind,
    EmailLog,
    Review,
    WorkflowAction,
    WorkflowEvent,
)

MODELS = [
    "claims.topic",
    "claims.source",
    "claims.speaker",
    "claims.claim",
    "claims.quantity",
    "claims.appearance",
    "verification.reviewerprofile",
    "verification.assignment",
    "verification.evidence",
    "verification.review",
    "verification.workflowevent",
    "verification.emaillog",
    "claims.externalreview",
]


def changelist_url(label: str) -> str:
    app_label, model = label.split(".")
    return reverse(f"admin:{app_label}_{model}_changelist")


def claim_with_everything(viewer) -> Claim:
    """One claim with a row of every kind: topic, source, speaker, quantity, appearance,
    evidence, the viewer's submitted review, another reviewer's overdue open assignment, and
    workflow events. The lists show columns read from each of them."""
    claim = factories.ClaimFactory(
        state=ClaimState.IN_RESEARCH,
        priority=Priority.HIGH,
        required_reviews=2,
        consensus_rating="mostly_true",
        consensus_confidence="moderate",
        agreement=0.5,
    )
    claim.topics.add(factories.TopicFactory())
    factories.QuantityFactory(claim=claim)
    factories.AppearanceFactory(claim=claim)
    evidence = factories.EvidenceFactory(claim=claim)
    mine = Assignment.objects.create(
        claim=claim,
        reviewer=viewer,
        state=AssignmentState.SUBMITTED,
        due_at=timezone.now() + dt.timedelta(days=1),
    )
    review = Review.objects.create(
        claim=claim,
        assignment=mine,
        reviewer=viewer,
        rating="mostly_true",
        confidence="moderate",
        rationale="The figures match the budget table.",
    )
    review.evidence.add(evidence)
    other = factories.ReviewerFactory()
    Assignment.objects.create(
        claim=claim, reviewer=other, due_at=timezone.now() - dt.timedelta(hours=2)
    )
    WorkflowEvent.objects.create(
        claim=claim, actor=claim.submitted_by, action=WorkflowAction.CREATE, to_state="new"
    )
    WorkflowEvent.objects.create(
        claim=claim, assignment=mine, actor=viewer, action=WorkflowAction.REVIEW
    )
    EmailLog.objects.create(
        key=f"assignment:{mine.pk}",
        kind=EmailKind.ASSIGNMENT,
        recipient=viewer.email,
        user=viewer,
        claim=claim,
        assignment=mine,
        subject=f"Claim #{claim.pk} is yours to review",
        body_text="Please review.",
        body_html="<p>Please review.</p>",
    )
    ExternalReview.objects.create(
        claim=claim,
        publisher="PolitiFact",
        external_id=f"{claim.pk}.json",
        rating_text="Half true",
        rating="mixed",
        origin="bulk",
    )
    return claim


def populate(count: int, viewer) -> None:
    for _ in range(count):
        claim_with_everything(viewer)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


def _assert_constant_queries(client, user, viewer, label: str) -> None:
    client.force_login(user)
    url = changelist_url(label)
    populate(5, viewer)
    client.get(url)  # warm the per-process caches (content types) before counting
    at_five = queries_for(client, url)
    populate(45, viewer)
    response = client.get(url)
    assert response.context["cl"].result_count >= 50
    at_fifty = queries_for(client, url)
    assert at_fifty == at_five, f"{label}: {at_five} queries at 5 rows, {at_fifty} at 50"


@pytest.mark.parametrize("label", MODELS)
def test_superusers_changelist_costs_the_same_queries_at_5_and_50_rows(
    client, superuser, reviewer, label
):
    _assert_constant_queries(client, superuser, reviewer, label)


@pytest.mark.parametrize(
    "label", ["claims.claim", "verification.assignment", "verification.review"]
)
def test_editors_changelist_costs_the_same_queries_at_5_and_50_rows(
    client, editor, reviewer, label
):
    _assert_constant_queries(client, editor, reviewer, label)


@pytest.mark.parametrize(
    "label",
    [
        "claims.claim",
        "verification.assignment",
        "verification.review",
        "verification.evidence",
        "claims.appearance",
    ],
)
def test_reviewers_changelist_costs_the_same_queries_at_5_and_50_rows(client, reviewer, label):
    _assert_constant_queries(client, reviewer, reviewer, label)


@pytest.mark.parametrize("role", ["editor", "reviewer", "superuser"])
def test_admin_index_and_every_changelist_it_links_open_for_each_role(client, request, role):
    user = request.getfixturevalue(role)
    claim_with_everything(request.getfixturevalue("second_reviewer"))
    client.force_login(user)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    linked = {
        f"{app['app_label']}.{model['object_name'].lower()}": model["admin_url"]
        for app in index.context["app_list"]
        for model in app["models"]
    }
    # The desk's eleven models for everyone; the email outbox for editors and superusers.
    assert set(MODELS) - {"verification.emaillog"} <= set(linked)
    assert ("verification.emaillog" in linked) == (role != "reviewer")
    for label, url in linked.items():
        assert client.get(url).status_code == 200, label


def test_admin_sends_a_logged_out_visitor_to_the_login_page(client, db):
    response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# --- The claim list's filters and search ---------------------------------------------------


def listed(client, **params) -> set[int]:
    response = client.get(changelist_url("claims.claim"), params)
    assert response.status_code == 200
    return {claim.pk for claim in response.context["cl"].result_list}


@pytest.fixture
def two_claims(db, second_reviewer):
    """Two claims that differ in every filtered respect."""
    first = claim_with_everything(second_reviewer)
    second = factories.ClaimFactory(state=ClaimState.TRIAGED, consensus_rating="false")
    second.topics.add(factories.TopicFactory(name="Casualties"))
    factories.AppearanceFactory(
        claim=second,
        source=factories.SourceFactory(title="Ministry bulletin"),
        speaker=factories.SpeakerFactory(name="Ada Lovelace"),
    )
    return first, second


def test_claim_list_filters_by_state(client, editor, two_claims):
    first, second = two_claims
    client.force_login(editor)
    assert listed(client, state__exact="triaged") == {second.pk}
    assert listed(client, state__exact="in_research") == {first.pk}


def test_claim_list_filters_by_overdue_work(client, editor, two_claims):
    first, second = two_claims
    client.force_login(editor)
    assert listed(client, overdue="yes") == {first.pk}
    assert listed(client, overdue="no") == {second.pk}


def test_claim_list_filters_by_topic(client, editor, two_claims):
    _, second = two_claims
    client.force_login(editor)
    topic = second.topics.get()
    assert listed(client, topics__id__exact=topic.pk) == {second.pk}


def test_claim_list_filters_by_speaker(client, editor, two_claims):
    first, _ = two_claims
    client.force_login(editor)
    speaker = first.appearances.get().speaker
    assert listed(client, speaker=speaker.pk) == {first.pk}


def test_claim_list_filters_by_source(client, editor, two_claims):
    _, second = two_claims
    client.force_login(editor)
    source = second.appearances.get().source
    assert listed(client, source=source.pk) == {second.pk}


def test_claim_list_filters_by_consensus_rating(client, editor, two_claims):
    first, second = two_claims
    client.force_login(editor)
    assert listed(client, rating="false") == {second.pk}
    assert listed(client, rating="mostly_true") == {first.pk}
    assert listed(client, rating="none") == set()


def test_claim_list_searches_statement_quote_speaker_and_source_title(client, editor, two_claims):
    first, second = two_claims
    client.force_login(editor)
    assert listed(client, q=first.statement) == {first.pk}
    assert listed(client, q=first.appearances.get().quote) == {first.pk}
    assert listed(client, q="Lovelace") == {second.pk}
    assert listed(client, q="Ministry bulletin") == {second.pk}


def test_claim_list_search_matching_several_appearances_lists_the_claim_once(client, editor, db):
    claim = factories.ClaimFactory()
    for _ in range(3):
        factories.AppearanceFactory(claim=claim, speaker=factories.SpeakerFactory(name="Kim"))
    client.force_login(editor)
    response = client.get(changelist_url("claims.claim"), {"q": "Kim"})
    assert [c.pk for c in response.context["cl"].result_list] == [claim.pk]


def test_reviewer_cannot_find_claims_by_a_verdict_hidden_from_them(
    client, reviewer, second_reviewer, db
):
    # second_reviewer reviewed the claim; reviewer has not, so its verdict is blind to them.
    claim_with_everything(second_reviewer)
    client.force_login(reviewer)
    assert listed(client, rating="mostly_true") == set()
    response = client.get(changelist_url("claims.claim"), {"consensus_rating": "mostly_true"})
    assert response.status_code == 400
    page = client.get(changelist_url("claims.claim")).content.decode()
    assert "Mostly true" not in page.split('id="changelist-filter"')[0]
    assert "hidden until your review is in" in page


def test_reviewer_sees_the_verdict_in_the_list_once_their_review_is_in(client, reviewer, db):
    claim = claim_with_everything(reviewer)
    client.force_login(reviewer)
    assert listed(client, rating="mostly_true") == {claim.pk}
    assert "Mostly true, moderate confidence" in client.get(changelist_url("claims.claim")).text


def test_reviewer_lists_only_their_own_assignments(client, reviewer, second_reviewer, db):
    claim_with_everything(second_reviewer)
    client.force_login(reviewer)
    response = client.get(changelist_url("verification.assignment"))
    assert response.context["cl"].result_count == 0
    client.force_login(second_reviewer)
    response = client.get(changelist_url("verification.assignment"))
    assert {a.reviewer_id for a in response.context["cl"].result_list} == {second_reviewer.pk}
