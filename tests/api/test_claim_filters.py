"""Filtering, ordering and searching the claims list (and a filter of each other list)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from claims.models import Attribution, Claim
from tests import factories
from verification import services
from verification.models import Assignment

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


def test_claims_filter_by_state_and_priority(api, editor, new_claim, triaged_claim):
    other = factories.ClaimFactory(priority="urgent")
    client = api(editor)
    assert ids(client.get("/api/v1/claims/?state=triaged")) == {triaged_claim.pk}
    assert ids(client.get("/api/v1/claims/?state=triaged&state=new")) == {
        triaged_claim.pk,
        other.pk,
    }
    assert ids(client.get("/api/v1/claims/?priority=urgent")) == {other.pk}


def test_claims_filter_by_topic_speaker_and_source(api, editor):
    aid = factories.TopicFactory(name="Military aid")
    first = factories.AppearanceFactory()
    second = factories.AppearanceFactory()
    first.claim.topics.add(aid)
    client = api(editor)
    assert ids(client.get(f"/api/v1/claims/?topic={aid.slug}")) == {first.claim_id}
    assert ids(client.get(f"/api/v1/claims/?speaker={second.speaker_id}")) == {second.claim_id}
    assert ids(client.get(f"/api/v1/claims/?source={first.source_id}")) == {first.claim_id}


def test_an_unknown_topic_or_a_malformed_value_is_a_400(api, editor):
    client = api(editor)
    for query in ("topic=no-such-topic", "speaker=abc", "overdue=maybe", "state=lost"):
        response = client.get(f"/api/v1/claims/?{query}")
        assert response.status_code == 400, query
        assert response.json()["error"]["fields"], query


def test_claims_filter_by_assignee_and_overdue(api, editor, reviewer, assignment):
    late_claim = factories.ClaimFactory()
    services.claim_triage(actor=editor, claim=late_claim)
    late = services.assignment_create(
        actor=editor,
        claim=late_claim,
        reviewer=reviewer,
        due_at=timezone.now() + dt.timedelta(hours=1),
    )
    Assignment.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    client = api(editor)
    assert ids(client.get(f"/api/v1/claims/?assignee={reviewer.pk}")) == {
        assignment.claim_id,
        late_claim.pk,
    }
    assert ids(client.get("/api/v1/claims/?overdue=true")) == {late_claim.pk}
    assert late_claim.pk not in ids(client.get("/api/v1/claims/?overdue=false"))


def test_a_reviewer_cannot_learn_another_reviewers_assignments_by_filtering(
    api, reviewer, second_reviewer, assignment
):
    assert ids(api(second_reviewer).get(f"/api/v1/claims/?assignee={reviewer.pk}")) == set()
    assert ids(api(reviewer).get(f"/api/v1/claims/?assignee={reviewer.pk}")) == {
        assignment.claim_id
    }


def test_the_rating_filter_matches_only_verdicts_the_caller_may_see(
    api, editor, second_reviewer, claim_in_review
):
    # second_reviewer has not reviewed the claim: its verdict is hidden from them, so a rating
    # filter must not reveal it by matching (or by not matching) the claim.
    assert ids(api(editor).get("/api/v1/claims/?rating=true")) == {claim_in_review.pk}
    assert ids(api(second_reviewer).get("/api/v1/claims/?rating=true")) == set()
    assert ids(api(second_reviewer).get("/api/v1/claims/?rating=false")) == set()


def test_claims_filter_by_creation_and_publication_dates(api, editor, published_claim):
    old = factories.ClaimFactory()
    Claim.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    today = timezone.localdate()
    client = api(editor)
    recent = ids(client.get(f"/api/v1/claims/?created_after={today - dt.timedelta(days=1)}"))
    assert old.pk not in recent and published_claim.pk in recent
    assert ids(client.get(f"/api/v1/claims/?created_before={today - dt.timedelta(days=30)}")) == {
        old.pk
    }
    assert ids(client.get(f"/api/v1/claims/?published_after={today}")) == {published_claim.pk}
    assert ids(client.get(f"/api/v1/claims/?published_before={today - dt.timedelta(days=1)}")) == (
        set()
    )


def test_claims_are_ordered_on_request(api, editor):
    first, second = factories.ClaimFactory(), factories.ClaimFactory()
    client = api(editor)
    newest_first = [row["id"] for row in client.get("/api/v1/claims/").json()["results"]]
    assert newest_first == [second.pk, first.pk]
    by_id = [row["id"] for row in client.get("/api/v1/claims/?ordering=id").json()["results"]]
    assert by_id == [first.pk, second.pk]


def test_q_finds_claims_by_statement_quote_and_speaker(api, editor):
    by_statement = factories.ClaimFactory(statement="Washington sends military assistance.")
    source = factories.SourceFactory(text="Officials said ATACMS missiles were delivered.")
    by_quote = factories.AppearanceFactory(
        source=source,
        quote="ATACMS missiles",
        start=source.text.index("ATACMS"),
        speaker=None,
        attribution=Attribution.REPORTED,
    ).claim
    kirby = factories.SpeakerFactory(name="John Kirby")
    by_speaker = factories.AppearanceFactory(speaker=kirby).claim
    factories.ClaimFactory(statement="Nothing to find here.")
    client = api(editor)
    assert ids(client.get("/api/v1/claims/?q=military")) == {by_statement.pk}
    assert ids(client.get("/api/v1/claims/?q=ATACMS")) == {by_quote.pk}
    assert ids(client.get("/api/v1/claims/?q=Kirby")) == {by_speaker.pk}
    assert ids(client.get("/api/v1/claims/?q=zebra")) == set()


@pytest.mark.postgres
def test_q_uses_word_stems_and_web_search_syntax_on_postgresql(api, editor):
    sent = factories.ClaimFactory(statement="The United States sends missiles to Ukraine.")
    drones = factories.ClaimFactory(statement="Ukraine builds drones.")
    client = api(editor)
    # "send" matches "sends" and "missile" matches "missiles" (English stemming).
    assert ids(client.get("/api/v1/claims/?q=send missile")) == {sent.pk}
    assert ids(client.get("/api/v1/claims/?q=Ukraine -drones")) == {sent.pk}
    assert ids(client.get('/api/v1/claims/?q="builds drones"')) == {drones.pk}
    assert ids(client.get("/api/v1/claims/?q=missiles or drones")) == {sent.pk, drones.pk}


def test_other_lists_filter_too(api, editor, reviewer, claim_in_review):
    client = api(editor)
    assert ids(client.get(f"/api/v1/reviews/?claim={claim_in_review.pk}&rating=true"))
    assert not ids(client.get(f"/api/v1/reviews/?claim={claim_in_review.pk}&rating=false"))
    assert ids(client.get("/api/v1/assignments/?state=submitted")) == set(
        claim_in_review.assignments.values_list("pk", flat=True)
    )
    assert ids(client.get("/api/v1/evidence/?stance=refutes")) == set()
    events = client.get(f"/api/v1/events/?claim={claim_in_review.pk}&action=review")
    assert len(ids(events)) == 1
    assert ids(client.get("/api/v1/reviewer-profiles/?availability=away")) == set()


@pytest.mark.parametrize("query", ["state=", "topic=", "overdue=", "created_after=", "speaker="])
def test_a_filter_sent_empty_is_a_400_not_ignored(api, editor, query):
    response = api(editor).get(f"/api/v1/claims/?{query}")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [query.rstrip("=")]


def test_an_empty_search_lists_everything(api, editor, new_claim):
    assert ids(api(editor).get("/api/v1/claims/?q=")) == {new_claim.pk}
