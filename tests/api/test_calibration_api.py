"""GET /api/v1/calibration/ and /api/v1/reviewers/{id}/calibration/: the hand-computed
example's figures, withheld figures as nulls with their counts, the period, who may read
whose, and a 400 that says what is wrong with a date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories
from tests.api.conftest import client_for
from tests.test_calibration import build_example

pytestmark = pytest.mark.django_db


@pytest.fixture
def example(settings):
    settings.CALIBRATION_MIN_CLAIMS = 5
    return build_example()


def url_of(user) -> str:
    return f"/api/v1/reviewers/{user.pk}/calibration/"


def test_a_reviewer_reads_their_own_figures(example):
    response = client_for(example["r"]).get(url_of(example["r"]))

    assert response.status_code == 200
    body = response.json()
    today = timezone.localdate()
    assert body["reviewer"] == example["r"].pk
    assert body["period"] == {
        "since": (today - dt.timedelta(days=364)).isoformat(),
        "until": today.isoformat(),
        "dated_by": "claim_published_at",
    }
    assert (body["min_claims"], body["reviews"]) == (5, 6)
    desk = body["against_desk"]
    assert (desk["claims"], desk["pairs"], desk["agreeing"], desk["agreement"]) == (6, 6, 3, 0.5)
    assert desk["alpha"] == pytest.approx(142 / 151)
    assert desk["matrix"]["false"]["false"] == 2
    assert desk["matrix"]["unverifiable"]["mixed"] == 1
    others = body["against_others"]
    assert (others["claims"], others["alpha_claims"], others["alpha_withheld"]) == (5, 4, True)
    assert others["alpha"] is None
    assert body["verdicts_against_others"] is None
    assert [row["confidence"] for row in body["reliability"]] == ["low", "moderate", "high"]
    high = body["reliability"][2]
    assert high | {"band": None} == {
        "confidence": "high",
        "band": None,
        "claims": 3,
        "reviews": 3,
        "withheld": True,
        "upheld": None,
        "upheld_share": None,
        "within_one_share": None,
        "reading": "",
    }
    assert high["band"] == [0.9, 0.99]


def test_the_desks_figures_include_its_verdicts_against_other_fact_checkers(example):
    body = client_for(factories.EditorFactory()).get("/api/v1/calibration/").json()

    assert body["reviewer"] is None
    assert (body["against_desk"]["pairs"], body["against_desk"]["agreeing"]) == (7, 4)
    assert body["verdicts_against_others"]["claims"] == 5


def test_the_period_comes_from_since_and_until(example):
    today = timezone.localdate()
    client = client_for(example["r"])

    body = client.get(
        url_of(example["r"]),
        {"since": (today - dt.timedelta(days=500)).isoformat(), "until": today.isoformat()},
    ).json()
    only_since = client.get(
        url_of(example["r"]), {"since": (today - dt.timedelta(days=30)).isoformat()}
    ).json()

    last_day = client_for(factories.EditorFactory()).get(
        "/api/v1/calibration/", {"since": "2199-12-31"}
    )

    assert last_day.json()["period"]["until"] == "2199-12-31"  # the last day supported
    assert body["against_desk"]["claims"] == 7
    assert only_since["period"]["until"] == (today + dt.timedelta(days=334)).isoformat()
    assert only_since["against_desk"]["claims"] == 6


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "yesterday"}, "since: Give a day as YYYY-MM-DD."),
        ({"until": "2026-02-30"}, "until: Give a day as YYYY-MM-DD."),
        ({"since": "1800-01-01"}, "since: Choose a date between 1900-01-01 and 2199-12-31."),
        (
            {"since": "2026-06-02", "until": "2026-06-01"},
            "The period ends before it starts: “until” is before “since”.",
        ),
    ],
)
def test_a_wrong_period_is_a_400_that_says_why(example, params, message):
    response = client_for(example["r"]).get(url_of(example["r"]), params)

    assert response.status_code == 400
    assert response.json()["error"]["message"] == message


def test_a_reviewer_may_not_read_anothers_or_the_desks(example):
    client = client_for(example["r"])

    other = client.get(url_of(example["s"]))
    desk = client.get("/api/v1/calibration/")

    assert other.status_code == 403
    assert other.json()["error"]["message"] == "A reviewer may read only their own calibration."
    assert desk.status_code == 403
    assert desk.json()["error"]["message"] == "Only an editor may read the desk's calibration."


def test_an_editor_reads_any_reviewers_and_gets_404_for_someone_who_is_not_one(example):
    editor = factories.EditorFactory()
    client = client_for(editor)

    assert client.get(url_of(example["s"])).json()["against_desk"]["claims"] == 1
    missing = client.get(url_of(editor))
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == f"No reviewer #{editor.pk}."


def test_the_schema_describes_both_routes(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    desk = schema["paths"]["/api/v1/calibration/"]["get"]
    reviewer = schema["paths"]["/api/v1/reviewers/{reviewer_id}/calibration/"]["get"]
    assert {p["name"] for p in desk["parameters"]} == {"since", "until"}
    assert {"200", "400", "403", "404"} <= set(reviewer["responses"])
    assert "Calibration" in schema["components"]["schemas"]


def test_a_day_sent_empty_is_a_400_not_the_default(editor):
    response = client_for(editor).get("/api/v1/calibration/", {"until": ""})
    assert response.status_code == 400
    assert "leave the parameter out" in response.json()["error"]["fields"]["until"][0]
