"""The overview's filter form: dates and topic narrow the figures; bad input is a form error on
a page that still renders, never a server error; every field has a label."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Rating


def get(client, **params):
    response = client.get(reverse("admin:index"), params)
    assert response.status_code == 200
    return response


def state_counts(overview) -> dict[str, int]:
    return {row["figure"].state.value: row["figure"].count for row in overview["states"]["rows"]}


def test_a_topic_narrows_every_figure_but_the_reviewers_load(desk_and_client):
    desk, client = desk_and_client

    overview = get(client, topic=desk.aid.pk).context["overview"]

    # On aid: A new, C triaged, F in review, G published.
    assert state_counts(overview) == {
        "new": 1,
        "triaged": 1,
        "dismissed": 0,
        "in_research": 0,
        "in_review": 1,
        "published": 1,
    }
    assert overview["overdue"]["overdue"].text == "0"  # E's overdue work is on the war
    assert {r["rating"]: r["count"].text for r in overview["verdicts"]["ratings"]}[
        Rating.TRUE
    ] == "1"
    assert overview["verdicts"]["published"].text == "1"
    assert overview["verdicts"]["triage_to_publication_count"] == 1  # G: 8 days
    assert overview["verdicts"]["triage_to_publication"].text == "8.0 d"
    r1 = next(r for r in overview["reviewers"]["rows"] if r["figure"].user == desk.r1)
    assert r1["figure"].reviews_behind_verdicts == 1
    assert r1["figure"].open_assignments == 1  # load is the whole person's
    assert overview["scope"].topic == desk.aid


def test_a_date_range_narrows_claims_by_submission_and_verdicts_by_publication(
    desk_and_client,
):
    desk, client = desk_and_client
    today = timezone.localdate(desk.now)
    start = today - dt.timedelta(days=9)

    overview = get(client, start=start.isoformat(), end=today.isoformat()).context["overview"]

    # Submitted in the last nine days: B, C, D, E, F (A is ten days old, G and H older).
    assert state_counts(overview) == {
        "new": 1,
        "triaged": 1,
        "dismissed": 1,
        "in_research": 1,
        "in_review": 1,
        "published": 0,
    }
    # Published in those days: H only (6 days ago; G was 20).
    assert overview["verdicts"]["published"].text == "1"
    ratings = {r["rating"]: r["count"].text for r in overview["verdicts"]["ratings"]}
    assert ratings[Rating.FALSE] == "1"
    assert ratings[Rating.TRUE] == "0"
    assert overview["verdicts"]["triage_to_publication"].text == "32.0 d"


def test_the_end_day_is_included_whole(desk_and_client):
    desk, client = desk_and_client
    published = timezone.localdate(desk.claims["H"].published_at)

    overview = get(client, start=published.isoformat(), end=published.isoformat()).context[
        "overview"
    ]

    assert overview["verdicts"]["published"].text == "1"


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "2025-13-45"}, "start", "Enter a valid date."),
        ({"end": "yesterday"}, "end", "Enter a valid date."),
        ({"start": "0001-01-01"}, "start", "Choose a date between 1900-01-01 and 2199-12-31."),
        ({"end": "9999-12-31"}, "end", "Choose a date between 1900-01-01 and 2199-12-31."),
        ({"topic": "aid"}, "topic", "Select a valid choice."),
        ({"topic": "987654"}, "topic", "Select a valid choice."),
    ],
)
def test_bad_filter_input_is_a_form_error_on_a_page_of_the_whole_desk(
    desk_and_client, params, field, message
):
    _desk, client = desk_and_client

    response = get(client, **params)

    form = response.context["overview"]["form"]
    assert field in form.errors
    assert message in form.errors[field][0]
    assert not response.context["overview"]["scope"].is_filtered
    page = response.content.decode()
    assert "The filters were not applied" in page
    assert message.split(".")[0] in page


def test_a_range_that_ends_before_it_starts_is_refused(desk_and_client):
    _desk, client = desk_and_client

    response = get(client, start="2025-05-02", end="2025-05-01")

    form = response.context["overview"]["form"]
    assert form.non_field_errors() == [
        "The range ends before it starts: “To” must not be before “From”."
    ]


def test_every_filter_field_has_a_label(desk_and_client):
    _desk, client = desk_and_client
    page = get(client).content.decode()
    start = page.index('class="module desk-filters"')
    form = page[start : page.index("</form>", start)]

    ids = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', form)
    assert ids == ["id_start", "id_end", "id_topic", "id_language"]
    for control_id in ids:
        assert re.search(rf'<label[^>]*for="{control_id}"', form), control_id
    assert 'method="get"' in page
    assert '<input type="submit" value="Apply filters">' in form


def test_a_bad_date_in_a_changelist_link_shows_the_invalid_filter_page(desk_and_client):
    _desk, client = desk_and_client

    response = client.get(
        reverse("admin:claims_claim_changelist"), {"created_at__from": "2025-02-30"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
