"""Polling the claim list or a claim: the answer carries a strong ETag, and a request that sends
it back in If-None-Match gets 304 Not Modified (no body) while nothing the answer shows has
changed. The check runs after DRF's authentication, permissions and throttles, so a revoked
token is 401 and a throttled caller 429, never 304; and each caller's ETag is their own view's.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.throttling import SimpleRateThrottle

from claims import services as claim_services
from claims.models import Attribution, Claim, Quantity, Source, Speaker, Topic
from claims.services import AppearanceData, QuantityData
from config.accounts.models import ApiToken
from tests import factories
from tests.api.conftest import client_for
from tests.conftest import submit_review
from verification import services

pytestmark = pytest.mark.django_db

LIST = "/api/v1/claims/?page_size=50"


def poll(client, url: str, etag: str | None = None, **headers: str):
    if etag is not None:
        headers["HTTP_IF_NONE_MATCH"] = etag
    return client.get(url, **headers)


def assert_not_modified(response, etag: str) -> None:
    assert response.status_code == 304, response.content[:300]
    assert response["ETag"] == etag
    assert response.content == b""
    assert "Content-Type" not in response


@pytest.fixture
def claim(editor) -> Claim:
    """A claim with a topic, a figure and an appearance with a speaker."""
    source = factories.SourceFactory(created_by=editor)
    return claim_services.claim_create(
        actor=editor,
        statement="The fleet has 40 ships.",
        topics=[factories.TopicFactory(name="Navy")],
        quantities=[QuantityData(value=Decimal(40), unit="ships")],
        appearances=[
            AppearanceData(source, source.text[:5], 0, factories.SpeakerFactory(), Attribution.SAID)
        ],
    )


@pytest.mark.parametrize("url", [LIST, "/api/v1/claims/?cursor=&page_size=5", "claim"])
def test_a_repeat_poll_is_answered_304_with_the_same_etag(api, editor, claim, url):
    url = f"/api/v1/claims/{claim.pk}/" if url == "claim" else url
    client = api(editor)
    first = poll(client, url)
    etag = first["ETag"]
    assert first.status_code == 200
    assert etag.startswith('"') and not etag.startswith("W/")

    again = poll(client, url, etag)

    assert_not_modified(again, etag)
    assert again["Vary"] == first["Vary"] == "Accept, Authorization, Cookie"
    # The ETag is one of several the client holds: still a match.
    assert poll(client, url, f'"0000", W/{etag}').status_code == 304
    assert poll(client, url, '"0000"').status_code == 200


def test_a_304_reads_no_more_for_50_claims_than_for_5(api, editor):
    for index in range(12):
        factories.AppearanceFactory(claim=factories.ClaimFactory(statement=f"Claim {index}."))
    client = api(editor)
    counts = []
    for size in (5, 50):
        url = f"/api/v1/claims/?page_size={size}"
        etag = poll(client, url)["ETag"]
        with CaptureQueriesContext(connection) as queries:
            assert poll(client, url, etag).status_code == 304
        counts.append(len(queries))
    assert counts[0] == counts[1]


Change = Callable[[Claim, object], None]


def _edit(claim: Claim, editor: object) -> None:
    etag = client_for(editor).get(f"/api/v1/claims/{claim.pk}/")["ETag"]
    response = client_for(editor).patch(
        f"/api/v1/claims/{claim.pk}/", {"statement": "The fleet has 41 ships."}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200


def _triage(claim: Claim, editor: object) -> None:
    services.claim_triage(actor=editor, claim=claim)


def _add_appearance(claim: Claim, editor: object) -> None:
    source = factories.SourceFactory(created_by=editor)
    data = AppearanceData(source, source.text[:5], 0, None, Attribution.REPORTED)
    claim_services.appearance_add(actor=editor, claim=claim, data=data)


def _move_appearance_away(claim: Claim, editor: object) -> None:
    other = factories.ClaimFactory()
    appearance = claim.appearances.get()
    claim_services.appearance_move(actor=editor, appearance=appearance, claim=other)


def _add_figure(claim: Claim, editor: object) -> None:
    claim_services.quantity_add(actor=editor, claim=claim, data=QuantityData(3, "ports"))


def _correct_figure_in_place(claim: Claim, editor: object) -> None:
    quantity = Quantity.objects.get(claim=claim)  # as the admin's change page saves it
    quantity.value = Decimal("40.5")
    quantity.save()


def _retitle_source(claim: Claim, editor: object) -> None:
    Source.objects.filter(appearances__claim=claim).update(title="Renamed in the admin")


def _rename_speaker(claim: Claim, editor: object) -> None:
    Speaker.objects.filter(appearances__claim=claim).update(role="Former minister")


def _rename_topic(claim: Claim, editor: object) -> None:
    Topic.objects.filter(claims=claim).update(slug="sea-power")


def _rename_submitter(claim: Claim, editor: object) -> None:
    claim.submitted_by.username = "renamed"
    claim.submitted_by.save()


CHANGES: dict[str, Change] = {
    "edited through the API": _edit,
    "triaged": _triage,
    "appears in another source": _add_appearance,
    "appearance moved to a duplicate": _move_appearance_away,
    "figure added": _add_figure,
    "figure corrected in place": _correct_figure_in_place,
    "source retitled": _retitle_source,
    "speaker's role changed": _rename_speaker,
    "topic's slug changed": _rename_topic,
    "submitter renamed": _rename_submitter,
}


@pytest.mark.parametrize("url", [LIST, "claim"])
@pytest.mark.parametrize("change", CHANGES, ids=str)
def test_a_change_to_what_the_answer_shows_is_a_200_with_a_new_etag(
    api, editor, claim, change, url
):
    url = f"/api/v1/claims/{claim.pk}/" if url == "claim" else url
    client = api(editor)
    before = poll(client, url)

    CHANGES[change](claim, editor)
    after = poll(client, url, before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after.content != before.content
    assert_not_modified(poll(client, url, after["ETag"]), after["ETag"])


def test_a_new_claim_or_one_leaving_the_filter_changes_the_lists_etag(api, editor, claim):
    client = api(editor)
    url = "/api/v1/claims/?state=new&page_size=50"
    first = poll(client, url)["ETag"]
    added = factories.ClaimFactory()
    second = poll(client, url, first)
    assert second.status_code == 200 and second.json()["count"] == 2

    services.claim_triage(actor=editor, claim=added)

    third = poll(client, url, second["ETag"])
    assert third.status_code == 200 and third.json()["count"] == 1
    assert third["ETag"] != second["ETag"]
    assert third["ETag"] == first  # the same answer as at first, so the same ETag


def test_each_page_filter_and_format_has_its_own_etag(api, editor):
    for index in range(3):
        factories.ClaimFactory(statement=f"Claim {index}.")
    client = api(editor)
    urls = [
        "/api/v1/claims/?page_size=2",
        "/api/v1/claims/?page_size=2&page=2",
        "/api/v1/claims/?page_size=2&ordering=id",
        "/api/v1/claims/?page_size=2&format=api",
    ]
    etags = [poll(client, url)["ETag"] for url in urls]
    assert len(set(etags)) == len(urls)
    assert poll(client, urls[1], etags[0]).status_code == 200


def test_a_reviewers_etag_changes_when_their_own_review_shows_them_the_verdict(
    api, two_reviewer_claim, reviewer
):
    claim, first, _, item = two_reviewer_claim
    client = api(reviewer)
    url = f"/api/v1/claims/{claim.pk}/"
    before = poll(client, url)
    assert before.json()["verdict_visible"] is False

    submit_review(reviewer, first, "true", "high", "The act says so.", [item])

    after = poll(client, url, before["ETag"])
    assert after.status_code == 200
    assert after.json()["verdict_visible"] is True
    assert after.json()["consensus_rating"] == "true"


def test_the_editors_etag_changes_with_the_consensus_as_reviews_come_in(
    api, two_reviewer_claim, reviewer, editor
):
    _, first, _, item = two_reviewer_claim
    client = api(editor)
    before = poll(client, LIST)

    submit_review(reviewer, first, "false", "low", "The act says otherwise.", [item])

    after = poll(client, LIST, before["ETag"])
    assert after.status_code == 200
    (row,) = after.json()["results"]
    assert row["consensus_rating"] == "false"


def test_another_caller_with_another_view_gets_their_own_answer(
    api, editor, reviewer, half_reviewed_claim, second_reviewer
):
    url = f"/api/v1/claims/{half_reviewed_claim.pk}/"
    seen = {user: poll(api(user), url) for user in (editor, reviewer, second_reviewer)}
    etags = {user: response["ETag"] for user, response in seen.items()}
    assert len(set(etags.values())) == 3

    # Each sends the editor's ETag: only the editor's view is the editor's.
    for user in (reviewer, second_reviewer):
        answer = poll(api(user), url, etags[editor])
        assert answer.status_code == 200
        assert answer.content == seen[user].content
        assert answer["ETag"] == etags[user]
    assert seen[second_reviewer].json()["consensus_rating"] is None  # blind review
    assert seen[editor].json()["consensus_rating"] == "mostly_false"
    assert seen[editor].json()["transitions"] != seen[reviewer].json()["transitions"]


@pytest.mark.parametrize("url", [LIST, "claim"])
def test_a_token_revoked_between_two_polls_gets_401_not_304(api, reviewer, claim, url):
    url = f"/api/v1/claims/{claim.pk}/" if url == "claim" else url
    client = api(reviewer)
    etag = poll(client, url)["ETag"]
    assert poll(client, url, etag).status_code == 304

    ApiToken.objects.filter(user=reviewer).delete()

    refused = poll(client, url, etag)
    assert refused.status_code == 401
    assert refused.json()["error"]["message"] == "Invalid token."


def test_a_caller_who_lost_their_role_gets_403_not_304(api, reviewer, claim):
    client = api(reviewer)
    etag = poll(client, LIST)["ETag"]

    reviewer.groups.clear()

    assert poll(client, LIST, etag).status_code == 403


def test_a_throttled_caller_gets_429_even_when_nothing_changed(api, reviewer, claim, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "3/minute")
    client = api(reviewer)
    etag = poll(client, LIST)["ETag"]

    answers = [poll(client, LIST, etag) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [304, 304, 429]
    assert answers[-1].json()["error"]["code"] == "throttled"
    assert 0 < int(answers[-1]["Retry-After"]) <= 60


def test_an_unknown_claim_is_404_whatever_the_if_none_match(api, editor):
    assert poll(api(editor), "/api/v1/claims/999999/", "*").status_code == 404


def test_the_etag_of_a_claim_page_is_the_one_an_edit_sends_back(api, editor, claim):
    client = api(editor)
    url = f"/api/v1/claims/{claim.pk}/"
    etag = poll(client, url)["ETag"]
    edited = client.patch(url, {"priority": "high"}, HTTP_IF_MATCH=etag)
    assert edited.status_code == 200
    assert_not_modified(poll(client, url, edited["ETag"]), edited["ETag"])


def test_the_event_feed_is_304_until_a_move_adds_to_it(api, editor, new_claim):
    client = api(editor)
    url = "/api/v1/events/?page_size=50"
    first = poll(client, url)
    assert_not_modified(poll(client, url, first["ETag"]), first["ETag"])

    services.claim_triage(actor=editor, claim=new_claim)

    after = poll(client, url, first["ETag"])
    assert after.status_code == 200
    assert after.json()["results"][0]["action"] == "triage"
