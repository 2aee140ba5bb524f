"""Every attributed sentence is stored with its speaker, claim or not, and speakers are one row
across articles, matched by their aliases ("Joe Biden", "Biden", "President Biden")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.extraction.ingest import source_ingest
from claims.models import (
    AliasKind,
    AttributedStatement,
    Speaker,
    SpeakerAlias,
    SpeakerKind,
    name_key,
)
from claims.services import SpeakerName, speaker_get_or_create, speakers_resolve
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

# Two short articles written for these tests.
FIRST = """Talks on the grain deal resumed

President Joe Harland said on Monday that the grain deal would be signed in May. \
"We are close," Harland said. The Ministry of Agriculture said exports had doubled.

The weather was mild and the harbour was busy."""

SECOND = """Harland visits the port

Harland told reporters that the port would reopen. President Harland added that the deal was \
"difficult but honest". The harbour had been closed for six weeks."""


def test_the_folded_name_drops_case_accents_and_titles():
    assert name_key("President Joe Biden") == "joe biden"
    assert name_key("Ramón  Ibarra") == "ramon ibarra"
    assert name_key("Dr. Amina Kessler") == "amina kessler"
    assert name_key("WHO") == "who"


def test_a_new_speaker_gets_its_name_and_surname_as_aliases():
    speaker = speaker_get_or_create(name="Joe Biden", role="President")
    assert set(speaker.aliases.values_list("key", "kind")) == {
        ("joe biden", AliasKind.NAME),
        ("biden", AliasKind.SURNAME),
    }


def test_full_name_surname_and_title_with_surname_are_one_speaker():
    biden = speaker_get_or_create(name="Joe Biden", role="President")
    found = speakers_resolve(
        [
            SpeakerName("Joe Biden"),
            SpeakerName("Biden", "President"),
            SpeakerName("President Biden"),
        ]
    )
    assert found == [biden, biden, biden]
    assert Speaker.objects.count() == 1


def test_a_surname_two_people_share_is_not_merged():
    speaker_get_or_create(name="Boris Johnson")
    speaker_get_or_create(name="Mike Johnson")
    (johnson,) = speakers_resolve([SpeakerName("Johnson")])
    assert johnson.name == "Johnson"
    assert Speaker.objects.count() == 3


def test_a_full_name_joins_the_speaker_known_only_by_surname_and_becomes_its_alias():
    (lula,) = speakers_resolve([SpeakerName("Lula")])
    (again,) = speakers_resolve([SpeakerName("Luiz Lula", "presidente")])
    assert again == lula
    assert SpeakerAlias.objects.filter(speaker=lula, key="luiz lula").exists()


def test_organisations_merge_by_name_but_not_by_last_word():
    (ministry,) = speakers_resolve(
        [SpeakerName("Ministry of Health", kind=SpeakerKind.ORGANISATION)]
    )
    again, other = speakers_resolve(
        [
            SpeakerName("ministry of health", kind=SpeakerKind.ORGANISATION),
            SpeakerName("Ministry of Finance", kind=SpeakerKind.ORGANISATION),
        ]
    )
    assert again == ministry and other != ministry


def test_ingestion_records_every_attributed_sentence_and_merges_speakers_across_articles(editor):
    first = source_ingest(actor=editor, text=FIRST, title="First")
    second = source_ingest(actor=editor, text=SECOND, title="Second")
    harland = Speaker.objects.get(name="Joe Harland")
    said = AttributedStatement.objects.filter(speaker=harland).order_by("source_id", "start")
    assert [(s.source, s.quote[:20]) for s in said] == [
        (first.source, "President Joe Harlan"),
        (first.source, '"We are close," Harl'),
        (second.source, "Harland told reporte"),
        (second.source, "President Harland ad"),
    ]
    ministry = Speaker.objects.get(name="Ministry of Agriculture")
    assert ministry.kind == SpeakerKind.ORGANISATION
    assert AttributedStatement.objects.filter(speaker=ministry).count() == 1
    # Each statement's span is the stored text's.
    for statement in AttributedStatement.objects.select_related("source"):
        assert statement.source.text[statement.start : statement.end] == statement.quote


def test_ingesting_an_article_again_records_nothing_twice(editor):
    source_ingest(actor=editor, text=FIRST, title="First")
    count = AttributedStatement.objects.count()
    source_ingest(actor=editor, text=FIRST, title="First")
    assert AttributedStatement.objects.count() == count == 3


def test_the_api_lists_everything_a_speaker_said_with_the_claim_made_of_it(editor, reviewer):
    result = source_ingest(actor=editor, text=FIRST, title="First")
    harland = Speaker.objects.get(name="Joe Harland")
    response = client_for(reviewer).get("/api/v1/statements/", {"speaker": harland.pk})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["speaker"]["name"] for r in rows] == ["Joe Harland", "Joe Harland"]
    claims = {c.appearances.get().start: c.pk for c in result.created}
    assert [r["claim"] for r in rows] == [claims.get(r["start"]) for r in rows]
    assert rows[0]["source"] == result.source.pk and rows[0]["role"] == "President"


def test_the_api_refuses_a_speaker_filter_that_is_not_a_number(reviewer):
    response = client_for(reviewer).get("/api/v1/statements/", {"speaker": "harland"})
    assert response.status_code == 400
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_the_admin_lists_a_speakers_statements_and_shows_the_count(client, editor):
    source_ingest(actor=editor, text=FIRST, title="First")
    harland = Speaker.objects.get(name="Joe Harland")
    client.force_login(editor)
    speakers = client.get(reverse("admin:claims_speaker_changelist"))
    assert speakers.status_code == 200
    assert f"?speaker__id__exact={harland.pk}" in speakers.content.decode()
    url = reverse("admin:claims_attributedstatement_changelist")
    listed = client.get(url, {"speaker__id__exact": harland.pk})
    assert listed.status_code == 200
    assert listed.content.decode().count("Joe Harland") >= 2
    page = client.get(reverse("admin:claims_speaker_change", args=[harland.pk]))
    assert "joe harland" in page.content.decode()
