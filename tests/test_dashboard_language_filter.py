"""The overview's language filter: it narrows the figures to claims in one language, and every
figure's link opens the claim list (or the assignment list) filtered the same way; the claim
list's own language filter selects exactly those claims; an unknown language is a form error."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimState
from tests import factories
from verification import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims_in_languages(db) -> dict[str, list[Claim]]:
    return {
        "pt": [
            factories.ClaimFactory(statement="O governo gastou R$ 3,8 bilhões.", language="pt"),
            factories.ClaimFactory(statement="O desemprego caiu 2 por cento.", language="pt"),
        ],
        "en": [factories.ClaimFactory(statement="Fares rose 8 percent.", language="en")],
        "": [factories.ClaimFactory(statement="Unknown language, 12 percent.", language="")],
    }


def overview(client, **params):
    response = client.get(reverse("admin:index"), params)
    assert response.status_code == 200
    return response


def new_count(response) -> dict:
    rows = response.context["overview"]["states"]["rows"]
    return next(row for row in rows if row["figure"].state == ClaimState.NEW)


def test_the_language_filter_narrows_the_figures_and_their_links(
    client, editor, claims_in_languages
):
    client.force_login(editor)

    response = overview(client, language="pt")

    row = new_count(response)
    assert row["count"].text == "2"
    query = parse_qs(urlsplit(row["count"].url).query)
    assert query["language"] == ["pt"] and query["state__exact"] == ["new"]
    assert response.context["overview"]["scope"].language == "pt"
    assert "in <strong>pt</strong>" in response.content.decode()
    # The link opens the claim list on exactly those claims.
    listed = client.get(row["count"].url)
    assert listed.status_code == 200
    assert {c.pk for c in listed.context["cl"].result_list} == {
        c.pk for c in claims_in_languages["pt"]
    }
    assert new_count(overview(client))["count"].text == "4"  # unfiltered: the whole desk


def test_the_form_offers_the_languages_claims_are_in(client, editor, claims_in_languages):
    client.force_login(editor)
    choices = dict(overview(client).context["overview"]["form"].fields["language"].choices)
    assert list(choices) == ["", "en", "pt"]


def test_an_unknown_language_is_a_form_error_and_the_whole_desk_is_shown(
    client, editor, claims_in_languages
):
    client.force_login(editor)

    response = overview(client, language="xx")

    assert "language" in response.context["overview"]["form"].errors
    assert response.context["overview"]["scope"].language == ""
    assert new_count(response)["count"].text == "4"


def test_the_claim_lists_language_filter_selects_claims_in_that_language(
    client, editor, claims_in_languages
):
    client.force_login(editor)

    response = client.get(reverse("admin:claims_claim_changelist"), {"language": "en"})

    assert response.status_code == 200
    assert [c.pk for c in response.context["cl"].result_list] == [claims_in_languages["en"][0].pk]


def test_the_assignment_list_filters_by_its_claims_language(
    client, editor, reviewer, claims_in_languages
):
    pt, en = claims_in_languages["pt"][0], claims_in_languages["en"][0]
    for claim in (pt, en):
        services.claim_triage(actor=editor, claim=claim)
    mine = {
        claim.language: services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)
        for claim in (pt, en)
    }
    client.force_login(editor)

    response = client.get(
        reverse("admin:verification_assignment_changelist"), {"claim_language": "pt"}
    )

    assert response.status_code == 200
    assert [a.pk for a in response.context["cl"].result_list] == [mine["pt"].pk]
