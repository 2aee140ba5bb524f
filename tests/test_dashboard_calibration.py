"""The dashboard's calibration pages: a reviewer's page shows their figures with the claims
behind each, withheld ones saying so; editors open every page, a reviewer only their own; the
period form; and a page's query count does not grow with the desk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.test_calibration import build_example, published

pytestmark = pytest.mark.django_db


def page_of(user) -> str:
    return reverse("admin:reviewer_calibration", args=[user.pk])


@pytest.fixture
def example(settings):
    settings.CALIBRATION_MIN_CLAIMS = 5
    return build_example()


def test_the_reviewers_page_shows_calibration_with_counts(client, example):
    client.force_login(example["r"])

    response = client.get(page_of(example["r"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>6 claims</strong>, 6 reviews" in page
    assert "fewer than 5 claims is withheld" in page
    # Against the desk: every figure, alpha over its five firm claims.
    assert "3 of 6 (50 %)" in page
    assert "five-point scale" in page and "0.94" in page
    # Against other fact-checkers: agreement on five claims; alpha on four is withheld.
    assert "4 of 6 (67 %)" in page
    assert "too few claims (4)" in page
    assert "Confusion matrix: rating given (rows) × published verdict (columns), 6 pairs" in page
    # The reliability table: every level below five claims, withheld with its count.
    assert "too few claims (3)" in page and "too few claims (2)" in page
    assert "too few claims (1)" in page
    figures = response.context["c"]["figures"]
    assert figures.reviewer_id == example["r"].pk


def test_the_reliability_table_shows_the_upheld_share_once_enough_claims_are_behind_it(
    client, settings, example
):
    settings.CALIBRATION_MIN_CLAIMS = 3
    client.force_login(example["r"])

    page = client.get(page_of(example["r"])).content.decode()

    assert "2 of 3 (67 %)" in page  # high: c1 and c3 upheld
    assert "over-confident (band 90–99 %)" in page
    assert "0.89" in page  # alpha against the other fact-checkers, now over enough claims


def test_the_desks_page_shows_every_reviewer_pooled_and_its_own_verdicts(client, example):
    editor = factories.EditorFactory()
    client.force_login(editor)

    response = client.get(reverse("admin:calibration"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "The desk&#x27;s published verdicts against other fact-checkers&#x27; verdicts" in page
    assert "4 of 7 (57 %)" in page


@pytest.mark.parametrize(
    ("who", "whose", "status"),
    [
        ("r", "r", 200),
        ("r", "s", 403),
        ("r", "desk", 403),
        ("editor", "r", 200),
        ("editor", "s", 200),
        ("editor", "desk", 200),
        ("clerk", "r", 403),  # staff without a desk role
    ],
)
def test_editors_read_every_calibration_and_a_reviewer_only_their_own(
    client, example, who, whose, status
):
    people = {
        "r": example["r"],
        "s": example["s"],
        "editor": factories.EditorFactory(),
        "clerk": factories.UserFactory(username="clerk", is_staff=True),
    }
    client.force_login(people[who])
    path = reverse("admin:calibration") if whose == "desk" else page_of(people[whose])

    assert client.get(path).status_code == status


def test_a_person_without_a_reviewer_profile_has_no_page(client, example):
    editor = factories.EditorFactory()
    client.force_login(editor)

    assert client.get(page_of(editor)).status_code == 404
    assert client.get(reverse("admin:reviewer_calibration", args=[99999])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, example):
    response = client.get(page_of(example["r"]))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_period_form_chooses_the_claims_by_publication_day(client, example):
    client.force_login(example["r"])
    today = timezone.localdate()
    since = (today - dt.timedelta(days=500)).isoformat()

    wide = client.get(page_of(example["r"]), {"since": since, "until": today.isoformat()})
    old_only = client.get(
        page_of(example["r"]),
        {"since": since, "until": (today - dt.timedelta(days=300)).isoformat()},
    )

    assert wide.context["c"]["figures"].against_desk.claims == 7
    assert old_only.context["c"]["figures"].against_desk.claims == 1
    assert "too few claims (1)" in old_only.content.decode()


def test_a_wrong_period_is_a_form_error_and_the_default_period_is_shown(client, example):
    client.force_login(example["r"])

    response = client.get(page_of(example["r"]), {"since": "2026-13-01", "until": "last week"})
    backwards = client.get(page_of(example["r"]), {"since": "2026-06-02", "until": "2026-06-01"})

    assert response.status_code == 200
    assert "The period was not applied" in response.content.decode()
    assert response.context["c"]["figures"].against_desk.claims == 6
    assert "“until” is before “since”" in backwards.content.decode()


def test_the_overview_and_a_reviewers_own_figures_link_to_the_pages(client, example):
    editor = factories.EditorFactory()
    client.force_login(editor)
    overview = client.get(reverse("admin:index")).content.decode()
    client.force_login(example["r"])
    mine = client.get(reverse("admin:index")).content.decode()

    assert f'href="{reverse("admin:calibration")}"' in overview
    assert f'href="{page_of(example["s"])}"' in overview
    assert f'href="{page_of(example["r"])}"' in mine
    assert f'href="{page_of(example["s"])}"' not in mine


def grow(reviewer, *, claims: int) -> None:
    """More published claims with reviews and external verdicts for ``reviewer``."""
    ratings = ["true", "mostly_true", "mixed", "mostly_false", "false", "unverifiable"]
    for i in range(claims):
        claim = published(ratings[i % 5])
        factories.ReviewFactory(
            claim=claim,
            reviewer=reviewer,
            rating=ratings[(i + 1) % 6],
            confidence=["low", "moderate", "high"][i % 3],
        )
        factories.ReviewFactory(claim=claim, rating=ratings[i % 6], confidence="high")
        factories.ExternalReviewFactory(claim=claim, rating=ratings[i % 5])


@pytest.mark.parametrize("whose", ["reviewer", "desk"])
def test_a_page_costs_the_same_queries_however_many_claims_are_behind_it(client, example, whose):
    editor = factories.EditorFactory()
    client.force_login(editor)
    path = reverse("admin:calibration") if whose == "desk" else page_of(example["r"])

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    before = cost()
    grow(example["r"], claims=30)
    after = cost()

    assert after == before
    # Session, user, second-factor device, role check, the reviewer, the figures' two, and the
    # admin's permissions (user's and group's) for the menu.
    assert before <= 9
