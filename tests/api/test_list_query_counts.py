"""No N+1: every list endpoint costs the same number of SQL queries for a page of 5 as for a
page of 50, for an editor and for a reviewer (whose lists are scoped and annotated
differently), in numbered and in cursor pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Attribution
from claims.services import AppearanceData, QuantityData, claim_create
from tests import factories
from tests.conftest import add_evidence, submit_review
from verification import services

pytestmark = pytest.mark.django_db

ROWS = 12
LISTS = [
    "/api/v1/topics/",
    "/api/v1/speakers/",
    "/api/v1/sources/",
    "/api/v1/claims/",
    "/api/v1/evidence/",
    "/api/v1/assignments/",
    "/api/v1/reviews/",
    "/api/v1/reviewer-profiles/",
    "/api/v1/events/",
]


@pytest.fixture
def desk(editor, other_editor, reviewer, second_reviewer):
    """Twelve of everything, each row with every relation its list shows: claims with topics,
    figures and appearances (sources, speakers), each reviewed by both reviewers, half of them
    published; reviewer profiles with expertise."""
    topics = [factories.TopicFactory() for _ in range(ROWS)]
    for profile in (reviewer.reviewer_profile, second_reviewer.reviewer_profile):
        profile.capacity = 50
        profile.save()
        profile.expertise.set(topics[:3])
    for _ in range(ROWS - 2):
        factories.ReviewerFactory().reviewer_profile.expertise.set(topics[:2])
    for index in range(ROWS):
        source = factories.SourceFactory(created_by=editor)
        speaker = factories.SpeakerFactory()
        claim = claim_create(
            actor=editor,
            statement=f"Claim {index} states a figure.",
            priority="high",  # two reviews
            topics=topics[index % 4 : index % 4 + 2],
            quantities=[QuantityData(value=index + 1, unit="USD"), QuantityData(1, "people")],
            appearances=[
                AppearanceData(source, source.text[:5], 0, speaker, Attribution.SAID),
                AppearanceData(source, source.text[6:11], 6, None, Attribution.REPORTED),
            ],
        )
        services.claim_triage(actor=editor, claim=claim)
        for person in (reviewer, second_reviewer):
            assignment = services.assignment_create(actor=editor, claim=claim, reviewer=person)
            services.assignment_accept(actor=person, assignment=assignment)
            item = add_evidence(
                person,
                claim,
                f"Record {index}",
                f"https://records.example/{index}/{person.pk}",
                source_reliability="B",
                credibility=2,
            )
            submit_review(person, assignment, "true", "high", "The record shows it.", [item])
        if index % 2:
            services.claim_publish(actor=other_editor, claim=claim)


def queries_for(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(captured), len(response.json()["results"])


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_every_list_costs_the_same_queries_for_5_rows_as_for_50(desk, api, request, who: str):
    client = api(request.getfixturevalue(who))
    counts = {}
    for url in LISTS:
        for mode in ("page_size={}", "cursor=&page_size={}"):
            small, small_rows = queries_for(client, f"{url}?{mode.format(5)}")
            large, large_rows = queries_for(client, f"{url}?{mode.format(50)}")
            assert (small_rows, large_rows > small_rows) == (5, True), url
            counts[f"{url}?{mode.format('N')}"] = (small, large)
    uneven = {url: pair for url, pair in counts.items() if pair[0] != pair[1]}
    assert not uneven, f"queries at page size 5 and 50 differ: {uneven}"


def test_filtered_and_searched_claim_lists_cost_the_same_too(desk, api, editor, reviewer):
    for user in (editor, reviewer):
        client = api(user)
        query = "q=claim&state=in_review&state=published&rating=true&overdue=false&ordering=-id"
        small, _ = queries_for(client, f"/api/v1/claims/?{query}&page_size=5")
        large, rows = queries_for(client, f"/api/v1/claims/?{query}&page_size=50")
        assert rows > 5
        assert small == large
