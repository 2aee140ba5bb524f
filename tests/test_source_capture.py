"""Capturing sources, speakers and topics: each is stored once and found again, not duplicated."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Source, Speaker, SpeakerKind, Topic, content_hash_of
from claims.services import source_get_or_create, speaker_get_or_create, topics_get_or_create

TEXT = (
    "The agency said the package was worth 3.8 billion dollars a year.\n"
    "Officials declined to say when the money would arrive."
)
# The same article as another outlet's feed delivers it: rewrapped, indented, trailing spaces.
REWRAPPED = (
    "  The agency said the package was worth\n3.8 billion dollars a year.   Officials\r\n"
    "declined to say when the money\twould arrive.\n\n"
)


def test_the_same_text_twice_is_one_source(editor):
    first = source_get_or_create(actor=editor, title="Aid story", text=TEXT)
    second = source_get_or_create(actor=editor, title="Aid story (copy)", text=TEXT)

    assert first.created is True
    assert second.created is False
    assert second.source.pk == first.source.pk
    assert Source.objects.count() == 1


def test_the_same_text_with_other_whitespace_and_wrapping_is_one_source(editor):
    first = source_get_or_create(actor=editor, title="Aid story", text=TEXT)
    second = source_get_or_create(actor=editor, title="Aid story, syndicated", text=REWRAPPED)

    assert second.created is False
    assert second.source.pk == first.source.pk
    # The first copy is kept as it was stored: the second call changes nothing.
    assert Source.objects.get().title == "Aid story"
    assert Source.objects.get().text == TEXT


def test_a_text_that_differs_in_a_word_is_another_source(editor):
    source_get_or_create(actor=editor, title="Aid story", text=TEXT)
    other = source_get_or_create(actor=editor, title="Aid story", text=TEXT.replace("3.8", "3.3"))

    assert other.created is True
    assert Source.objects.count() == 2


def test_the_same_url_is_one_source_even_when_the_text_was_edited(editor):
    url = "https://news.example/aid"
    first = source_get_or_create(actor=editor, title="Aid story", text=TEXT, url=url)
    # The publisher corrected the article after we stored it; the URL still names it.
    second = source_get_or_create(
        actor=editor, title="Aid story (corrected)", text=TEXT + " Corrected.", url=url
    )

    assert second.created is False
    assert second.source.pk == first.source.pk


def test_a_url_is_unique_when_present(editor):
    url = "https://news.example/aid"
    source_get_or_create(actor=editor, title="Aid story", url=url)

    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(title="Second row, same URL", url=url)


def test_many_sources_may_have_no_url(editor):
    for n in range(3):
        result = source_get_or_create(actor=editor, title=f"Transcript {n}", text=f"Remarks {n}.")
        assert result.created is True
        assert result.source.url is None
    # An empty string from a form is stored as "no URL", not as a second "" that would clash.
    blank = source_get_or_create(actor=editor, title="Transcript 4", text="Remarks 4.", url="")

    assert blank.source.url is None
    assert Source.objects.filter(url__isnull=True).count() == 4


def test_the_content_hash_is_the_sha256_of_the_nfc_whitespace_folded_text(editor):
    # "e" + combining acute accent (NFD) must hash like the precomposed "é" (NFC).
    decomposed = "Caf\u0065\u0301 owners\n  said   prices rose 12%.\n"
    folded_nfc = "Caf\u00e9 owners said prices rose 12%."
    expected = hashlib.sha256(folded_nfc.encode("utf-8")).hexdigest()

    source = source_get_or_create(actor=editor, title="Prices", text=decomposed).source

    assert source.content_hash == expected
    assert content_hash_of(folded_nfc) == expected
    assert source_get_or_create(actor=editor, title="Prices", text=folded_nfc).created is False


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_a_source_without_text_has_no_content_hash(editor, text):
    source = source_get_or_create(
        actor=editor, title="Video", text=text, url="https://video.example/1"
    ).source

    assert source.content_hash is None


def test_sources_without_text_are_not_matched_to_each_other(editor):
    # Two text-less sources share no hash; only their URLs could make them the same document.
    first = source_get_or_create(actor=editor, title="Video 1", url="https://video.example/1")
    second = source_get_or_create(actor=editor, title="Video 2", url="https://video.example/2")

    assert second.created is True
    assert first.source.pk != second.source.pk


def test_the_source_records_who_stored_it(editor):
    source = source_get_or_create(actor=editor, title="Aid story", text=TEXT).source

    assert source.created_by == editor


def test_a_speaker_is_stored_once_per_name_and_role(db):
    kirby = speaker_get_or_create(name="John Kirby", role="NSC spokesman")
    again = speaker_get_or_create(name="  John   Kirby ", role="NSC  spokesman ")

    assert again.pk == kirby.pk
    assert (again.name, again.role) == ("John Kirby", "NSC spokesman")
    assert Speaker.objects.count() == 1


def test_the_same_name_with_another_role_is_another_speaker(db):
    first = speaker_get_or_create(name="John Kirby", role="NSC spokesman")
    second = speaker_get_or_create(name="John Kirby", role="Pentagon press secretary")

    assert first.pk != second.pk
    assert Speaker.objects.count() == 2


def test_an_organisation_speaker_keeps_its_kind(db):
    ministry = speaker_get_or_create(
        name="Gaza health ministry", role="", kind=SpeakerKind.ORGANISATION
    )

    assert Speaker.objects.get(pk=ministry.pk).kind == SpeakerKind.ORGANISATION


def test_a_speaker_without_a_name_is_refused(db):
    with pytest.raises(ValidationError) as refused:
        speaker_get_or_create(name="   ", role="spokesman")

    assert "name" in refused.value.message_dict
    assert Speaker.objects.count() == 0


def test_topics_are_found_by_their_slug(db):
    topics = topics_get_or_create(["Military aid", "military   AID", "Casualties"])

    assert [t.slug for t in topics] == ["military-aid", "military-aid", "casualties"]
    assert topics[0].pk == topics[1].pk
    # The first spelling names the topic; later spellings find it.
    assert Topic.objects.get(slug="military-aid").name == "Military aid"
    assert Topic.objects.count() == 2


def test_topic_names_without_a_sluggable_character_are_skipped(db):
    topics = topics_get_or_create(["  ", "—", "Ukraine war"])

    assert [t.slug for t in topics] == ["ukraine-war"]
    assert Topic.objects.count() == 1
