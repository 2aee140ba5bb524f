"""Numbered pages with a page size of 1 to 100, and keyset (cursor) pages for large tables."""

from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_numbered_pages_have_a_count_and_links(api, editor):
    factories.TopicFactory.create_batch(7)
    response = api(editor).get("/api/v1/topics/?page_size=3&page=2")
    body = response.json()
    assert body["count"] == 7
    assert len(body["results"]) == 3
    assert "page=3" in body["next"] and "page_size=3" in body["next"]
    assert body["previous"] is not None


def test_the_default_page_has_20_rows(api, editor):
    factories.TopicFactory.create_batch(25)
    assert len(api(editor).get("/api/v1/topics/").json()["results"]) == 20


@pytest.mark.parametrize("size", ["0", "101", "-1", "ten", "2.5"])
def test_a_page_size_outside_1_to_100_is_a_400(api, editor, size):
    response = api(editor).get(f"/api/v1/topics/?page_size={size}")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["page_size"]


def test_a_page_past_the_end_is_a_404(api, editor):
    factories.TopicFactory.create_batch(2)
    response = api(editor).get("/api/v1/topics/?page=9")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_cursor_walk_visits_every_row_once_newest_first_without_counting(api, editor):
    claims = factories.ClaimFactory.create_batch(7)
    client = api(editor)
    seen: list[int] = []
    url = "/api/v1/claims/?cursor=&page_size=3&ordering=created_at"
    while url:
        body = client.get(url).json()
        assert "count" not in body
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    # The cursor's own fixed order (newest id first), whatever ?ordering= says.
    assert seen == sorted((claim.pk for claim in claims), reverse=True)


def test_a_cursor_walk_is_not_thrown_by_rows_added_during_it(api, editor):
    first = factories.ClaimFactory.create_batch(4)
    client = api(editor)
    page = client.get("/api/v1/claims/?cursor=&page_size=2").json()
    factories.ClaimFactory.create_batch(3)  # newer than everything already listed
    rest = client.get(page["next"]).json()
    assert [row["id"] for row in rest["results"]] == [first[1].pk, first[0].pk]


def test_a_bad_cursor_is_a_404(api, editor):
    response = api(editor).get("/api/v1/claims/?cursor=not-a-cursor")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("page", ["", "0", "last", "1.5"])
def test_a_page_that_is_not_a_positive_number_is_a_404(api, editor, page):
    factories.TopicFactory()
    response = api(editor).get(f"/api/v1/topics/?page={page}")
    assert response.status_code == 404
