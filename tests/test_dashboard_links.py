"""Every figure on the overview links to the admin list behind it, filtered to exactly the rows
the figure counts."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from django.utils import timezone

from claims.models import ClaimState, Rating
from verification.models import Review


def overview(client, **params):
    response = client.get(reverse("admin:index"), params)
    assert response.status_code == 200
    return response.context["overview"]


def listed(client, url: str) -> set[int]:
    """The rows the changelist at ``url`` shows (it must not refuse the filters)."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert "cl" in response.context, url
    return {row.pk for row in response.context["cl"].result_list}


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_each_state_links_to_its_claims(desk_and_client):
    desk, client = desk_and_client
    rows = {row["figure"].state: row for row in overview(client)["states"]["rows"]}

    expected = {
        ClaimState.NEW: "AB",
        ClaimState.TRIAGED: "C",
        ClaimState.DISMISSED: "D",
        ClaimState.IN_RESEARCH: "E",
        ClaimState.IN_REVIEW: "F",
        ClaimState.PUBLISHED: "GH",
    }
    for state, names in expected.items():
        url = rows[state]["count"].url
        assert query(url) == {"state__exact": [state.value]}
        assert listed(client, url) == desk.pks(*names)


def test_the_oldest_waiting_link_lists_the_oldest_claim_first(desk_and_client):
    desk, client = desk_and_client
    new = next(r for r in overview(client)["states"]["rows"] if r["figure"].state == "new")

    response = client.get(new["oldest"].url)

    assert [c.pk for c in response.context["cl"].result_list] == [
        desk.claims["A"].pk,  # 10 days old
        desk.claims["B"].pk,  # 2 days old
    ]


def test_the_backlog_links_to_every_waiting_claim(desk_and_client):
    desk, client = desk_and_client

    backlog = overview(client)["states"]["backlog"]

    assert backlog.text == "5"
    assert listed(client, backlog.url) == desk.pks("A", "B", "C", "E", "F")


def test_topic_and_dates_carry_into_the_claim_links(desk_and_client):
    desk, client = desk_and_client
    today = timezone.localdate(desk.now)
    start = today - dt.timedelta(days=9)
    rows = overview(client, topic=desk.aid.pk, start=start.isoformat(), end=today.isoformat())
    new = next(r for r in rows["states"]["rows"] if r["figure"].state == "new")

    assert query(new["count"].url) == {
        "state__exact": ["new"],
        "topics__id__exact": [str(desk.aid.pk)],
        "created_at__from": [start.isoformat()],
        "created_at__to": [today.isoformat()],
    }
    # A is on aid but 10 days old; B is new but on the war.
    assert new["count"].text == "0"
    assert listed(client, new["count"].url) == set()
    triaged = next(r for r in rows["states"]["rows"] if r["figure"].state == "triaged")
    assert listed(client, triaged["count"].url) == desk.pks("C")


def test_overdue_and_open_work_link_to_those_assignments_and_claims(desk_and_client):
    desk, client = desk_and_client
    section = overview(client)["overdue"]

    assert listed(client, section["overdue"].url) == {desk.assignments["E1"].pk}
    assert listed(client, section["open"].url) == {
        desk.assignments["E1"].pk,
        desk.assignments["E2"].pk,
    }
    assert listed(client, section["claims"].url) == desk.pks("E")


def test_reviewer_figures_link_to_that_reviewers_rows(desk_and_client):
    desk, client = desk_and_client
    rows = {row["figure"].user.pk: row for row in overview(client)["reviewers"]["rows"]}
    r1, r2 = rows[desk.r1.pk], rows[desk.r2.pk]

    assert listed(client, r1["open"].url) == {desk.assignments["E1"].pk}
    assert listed(client, r1["overdue"].url) == {desk.assignments["E1"].pk}
    assert listed(client, r2["overdue"].url) == set()
    assert listed(client, r1["turnaround"].url) == {
        desk.assignments["G1"].pk,
        desk.assignments["H1"].pk,
    }
    agreeing = listed(client, r1["agreement"].url)
    behind = listed(client, r1["behind_url"])
    assert agreeing == {Review.objects.get(assignment=desk.assignments["G1"]).pk}
    assert behind == set(
        Review.objects.filter(
            assignment__in=[desk.assignments["G1"], desk.assignments["H1"]]
        ).values_list("pk", flat=True)
    )
    assert len(agreeing) == r1["figure"].reviews_agreeing
    assert len(behind) == r1["figure"].reviews_behind_verdicts


def test_reviewer_links_carry_the_topic_to_turnaround_and_agreement(desk_and_client):
    desk, client = desk_and_client
    rows = overview(client, topic=desk.war.pk)["reviewers"]["rows"]
    r1 = next(row for row in rows if row["figure"].user.pk == desk.r1.pk)

    # Only H is on the war among r1's reviewed claims.
    assert listed(client, r1["turnaround"].url) == {desk.assignments["H1"].pk}
    assert r1["figure"].reviews_submitted == 1
    assert listed(client, r1["agreement"].url) == set()
    assert len(listed(client, r1["behind_url"])) == r1["figure"].reviews_behind_verdicts == 1
    # Load is the whole person's: the topic does not narrow it.
    assert listed(client, r1["open"].url) == {desk.assignments["E1"].pk}


def test_verdict_figures_link_to_the_published_claims_they_count(desk_and_client):
    desk, client = desk_and_client
    section = overview(client)["verdicts"]

    assert listed(client, section["published"].url) == desk.pks("G", "H")
    ratings = {row["rating"]: row["count"] for row in section["ratings"]}
    assert listed(client, ratings[Rating.TRUE].url) == desk.pks("G")
    assert listed(client, ratings[Rating.FALSE].url) == desk.pks("H")
    assert listed(client, ratings[Rating.MIXED].url) == set()  # H's overruled consensus
    for week in section["weeks"]:
        assert len(listed(client, week["count"].url)) == int(week["count"].text)
    assert sum(int(week["count"].text) for week in section["weeks"]) == 2


def test_a_week_link_is_cut_to_the_range_where_the_range_starts_inside_it(desk_and_client):
    desk, client = desk_and_client
    published = timezone.localdate(desk.claims["H"].published_at)

    section = overview(client, start=published.isoformat())["verdicts"]

    first = section["weeks"][0]
    assert query(first["count"].url)["published_at__from"] == [published.isoformat()]
    assert listed(client, first["count"].url) == desk.pks("H")


def test_every_link_on_the_page_opens(desk_and_client):
    desk, client = desk_and_client
    today = timezone.localdate(desk.now)
    for params in (
        {},
        {"topic": desk.war.pk, "start": (today - dt.timedelta(days=45)).isoformat()},
    ):
        page = client.get(reverse("admin:index"), params).content.decode()
        section = page[page.index('id="desk-overview"') : page.index('id="everything"')]
        links = {unescape(href) for href in re.findall(r'href="([^"#]+)"', section)}
        assert len(links) > 30
        for url in links:
            response = client.get(url)
            assert response.status_code == 200, url
