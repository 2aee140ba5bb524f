"""What happened to a claim (its change history and workflow events) and the desk's figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from claims.models import ClaimState
from tests import factories
from tests.conftest import submit_review
from verification import selectors, services
from verification.models import Assignment

pytestmark = pytest.mark.django_db


def test_a_claims_history_lists_every_saved_version_with_who_and_what_changed(
    api, editor, new_claim
):
    client = api(editor)
    url = f"/api/v1/claims/{new_claim.pk}/"
    client.patch(url, {"statement": "Reworded."}, HTTP_IF_MATCH=client.get(url)["ETag"])
    client.post(url + "triage/")
    history = client.get(url + "history/").json()
    assert [row["type"] for row in history] == ["created", "changed", "changed"]
    assert history[0]["changed"] == []
    assert history[1]["changed"] == ["statement"] and history[1]["user"] == editor.username
    assert set(history[2]["changed"]) >= {"state"} and history[2]["state"] == "triaged"


def test_events_list_every_move_oldest_first_for_a_claim(api, reviewer, claim_in_review):
    events = api(reviewer).get(f"/api/v1/events/?claim={claim_in_review.pk}&ordering=id")
    rows = events.json()["results"]
    assert [row["action"] for row in rows] == [
        "create",
        "triage",
        "assign",
        "start_research",
        "review",
        "submit_for_signoff",
    ]
    assert rows[-1]["actor"] is None, "the system moved it to sign-off"
    assert rows[1]["to_state"] == ClaimState.TRIAGED


def test_desk_stats_count_claims_by_state_overdue_work_and_agreement(
    api, editor, assignment, published_claim
):
    factories.ClaimFactory()
    Assignment.objects.filter(pk=assignment.pk).update(
        due_at=timezone.now() - dt.timedelta(hours=2)
    )
    body = api(editor).get("/api/v1/stats/").json()
    assert body["claims_by_state"] == {
        "new": 1,
        "triaged": 0,
        "dismissed": 0,
        "in_research": 0,
        "in_review": 0,
        "published": 1,
    }
    # The fixture's assignment is submitted (closed): nothing open, nothing overdue.
    assert (body["open_assignments"], body["overdue_assignments"]) == (0, 0)
    assert body["desk_agreement"] is None  # one rating per claim: nothing to compare


def test_desk_stats_count_open_and_overdue_assignments(api, editor, assignment):
    Assignment.objects.filter(pk=assignment.pk).update(
        due_at=timezone.now() - dt.timedelta(hours=2)
    )
    body = api(editor).get("/api/v1/stats/").json()
    assert body["claims_by_state"]["in_research"] == 1
    assert (body["open_assignments"], body["overdue_assignments"]) == (1, 1)
    assert body["claims_with_overdue_work"] == 1


def test_desk_agreement_is_the_desks_alpha_over_current_ratings(
    api, editor, reviewer, second_reviewer
):
    for ratings in (("true", "true"), ("false", "mostly_false"), ("mixed", "true")):
        claim = factories.ClaimFactory(priority="high")
        services.claim_triage(actor=editor, claim=claim)
        for person, rating in zip((reviewer, second_reviewer), ratings, strict=True):
            assignment = services.assignment_create(actor=editor, claim=claim, reviewer=person)
            evidence = factories.EvidenceFactory(claim=claim)
            submit_review(person, assignment, rating, "moderate", "See the record.", [evidence])
    body = api(editor).get("/api/v1/stats/").json()
    assert body["desk_agreement"] is not None
    assert body["desk_agreement"] == pytest.approx(selectors.desk_agreement())
    assert body["claims_by_state"]["in_review"] == 3
