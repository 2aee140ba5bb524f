"""An appearance's span must reproduce its quote, counted in characters, at every door."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Appearance, Attribution, Claim, Source
from claims.services import AppearanceData, appearance_add, claim_create
from tests import factories

TEXT = (
    "Washington gives Israel 3.8 billion dollars a year in security assistance, "
    "the spokesman said on Monday."
)
QUOTE = "3.8 billion dollars a year in security assistance"
START = TEXT.index(QUOTE)

# Curly quotes, an em dash, a flag (two code points) and an emoji outside the BMP: a client
# that counts UTF-16 code units or bytes would put the span in the wrong place.
UNICODE_TEXT = (
    "Kyiv \U0001f1fa\U0001f1e6 \u2014 \u201cWe have had 20 months of war\u201d, "
    "the general said \U0001f642 before the \u2018ATACMS\u2019 arrived."
)
UNICODE_QUOTE = "\u201cWe have had 20 months of war\u201d"


@pytest.fixture
def source(db) -> Source:
    return factories.SourceFactory(text=TEXT)


@pytest.fixture
def speaker(db):
    return factories.SpeakerFactory(name="The spokesman", role="National Security Council")


def _data(source: Source, **overrides) -> AppearanceData:
    values = {
        "source": source,
        "quote": QUOTE,
        "start": START,
        "attribution": Attribution.REPORTED,
    }
    values.update(overrides)
    return AppearanceData(**values)


def test_a_span_that_reproduces_the_quote_is_stored(editor, new_claim, source):
    appearance = appearance_add(actor=editor, claim=new_claim, data=_data(source))

    stored = Appearance.objects.get(pk=appearance.pk)
    assert (stored.start, stored.end) == (START, START + len(QUOTE))
    assert source.text[stored.start : stored.end] == stored.quote == QUOTE


def test_a_span_that_does_not_reproduce_the_quote_is_refused(editor, new_claim, source):
    with pytest.raises(ValidationError) as refused:
        appearance_add(actor=editor, claim=new_claim, data=_data(source, start=START + 1))

    assert "quote" in refused.value.message_dict
    assert not Appearance.objects.exists()


def test_a_quote_that_is_not_in_the_text_at_all_is_refused(editor, new_claim, source):
    altered = QUOTE.replace("3.8", "4.8")

    with pytest.raises(ValidationError) as refused:
        appearance_add(actor=editor, claim=new_claim, data=_data(source, quote=altered))

    assert "quote" in refused.value.message_dict


def test_a_span_past_the_end_of_the_text_is_refused(editor, new_claim, source):
    tail = TEXT[-10:]
    data = _data(source, quote=tail + " and more", start=len(TEXT) - 10)

    with pytest.raises(ValidationError) as refused:
        appearance_add(actor=editor, claim=new_claim, data=data)

    assert "end" in refused.value.message_dict
    assert str(len(TEXT)) in refused.value.message_dict["end"][0]


def test_an_explicit_end_that_disagrees_with_the_quote_is_refused(editor, new_claim, source):
    data = _data(source, end=START + len(QUOTE) - 1)

    with pytest.raises(ValidationError) as refused:
        appearance_add(actor=editor, claim=new_claim, data=data)

    assert "quote" in refused.value.message_dict


def test_a_negative_start_is_refused(editor, new_claim, source):
    with pytest.raises(ValidationError) as refused:
        appearance_add(actor=editor, claim=new_claim, data=_data(source, quote="W", start=-1))

    assert "start" in refused.value.message_dict


def test_an_empty_quote_is_refused(editor, new_claim, source):
    with pytest.raises(ValidationError) as refused:
        appearance_add(actor=editor, claim=new_claim, data=_data(source, quote=""))

    assert "quote" in refused.value.message_dict
    assert not Appearance.objects.exists()


def test_the_database_refuses_a_span_whose_length_is_not_the_quotes(new_claim, source, speaker):
    # Bypassing the services (a raw import, a careless migration) must not store a bad span.
    with pytest.raises(IntegrityError), transaction.atomic():
        Appearance.objects.create(
            claim=new_claim,
            source=source,
            quote=QUOTE,
            start=START,
            end=START + len(QUOTE) + 1,
            speaker=speaker,
            attribution=Attribution.SAID,
        )

    assert not Appearance.objects.exists()


def test_the_same_claim_in_a_second_source_is_a_second_appearance_of_one_claim(
    editor, source, speaker
):
    claim = claim_create(
        actor=editor,
        statement="The United States gives Israel $3.8 billion a year in security assistance.",
        appearances=[_data(source, speaker=speaker, attribution=Attribution.SAID)],
    )
    reprint = factories.SourceFactory(text="Reprinted: " + TEXT)

    appearance_add(actor=editor, claim=claim, data=_data(reprint, start=reprint.text.index(QUOTE)))

    assert Claim.objects.count() == 1
    assert sorted(a.source_id for a in claim.appearances.all()) == sorted([source.pk, reprint.pk])


def test_the_same_span_twice_is_refused(editor, new_claim, source):
    appearance_add(actor=editor, claim=new_claim, data=_data(source))

    with pytest.raises(ValidationError) as refused:
        appearance_add(actor=editor, claim=new_claim, data=_data(source))

    assert "start" in refused.value.message_dict
    assert new_claim.appearances.count() == 1


def test_the_database_refuses_the_same_span_twice(new_claim, source):
    fields = {
        "claim": new_claim,
        "source": source,
        "quote": QUOTE,
        "start": START,
        "end": START + len(QUOTE),
        "attribution": Attribution.REPORTED,
    }
    Appearance.objects.create(**fields)

    with pytest.raises(IntegrityError), transaction.atomic():
        Appearance.objects.create(**fields)


def test_a_claim_the_speaker_said_needs_a_speaker(editor, new_claim, source):
    with pytest.raises(ValidationError) as refused:
        appearance_add(
            actor=editor, claim=new_claim, data=_data(source, attribution=Attribution.SAID)
        )

    assert "speaker" in refused.value.message_dict
    assert not Appearance.objects.exists()


def test_a_reported_claim_needs_no_speaker(editor, new_claim, source):
    appearance = appearance_add(actor=editor, claim=new_claim, data=_data(source))

    assert appearance.speaker is None
    assert appearance.attribution == Attribution.REPORTED


def test_an_outsider_cannot_add_an_appearance(outsider, new_claim, source):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        appearance_add(actor=outsider, claim=new_claim, data=_data(source))

    assert not Appearance.objects.exists()


def test_unicode_spans_count_characters_in_python_and_in_the_database(editor, new_claim, speaker):
    source = factories.SourceFactory(text=UNICODE_TEXT)
    start = UNICODE_TEXT.index(UNICODE_QUOTE)
    # The flag is two code points, the em dash one: the quote starts at a character offset
    # that UTF-16 or UTF-8 counting would get wrong.
    assert start == len("Kyiv ") + 2 + len(" \u2014 ")
    assert len(UNICODE_TEXT[:start].encode("utf-16-le")) // 2 == start + 2

    appearance = appearance_add(
        actor=editor,
        claim=new_claim,
        data=AppearanceData(
            source=source,
            quote=UNICODE_QUOTE,
            start=start,
            speaker=speaker,
            attribution=Attribution.SAID,
        ),
    )

    # Read back through the database, whose own LENGTH() passed the span check constraint.
    stored = Appearance.objects.get(pk=appearance.pk)
    assert stored.quote == UNICODE_QUOTE
    assert stored.end - stored.start == len(UNICODE_QUOTE)
    assert Source.objects.get(pk=source.pk).text[stored.start : stored.end] == UNICODE_QUOTE


def test_a_quote_ending_in_a_non_bmp_emoji_is_spanned_by_code_points(editor, new_claim):
    source = factories.SourceFactory(text=UNICODE_TEXT)
    quote = "the general said \U0001f642"
    start = UNICODE_TEXT.index(quote)

    appearance = appearance_add(
        actor=editor, claim=new_claim, data=AppearanceData(source=source, quote=quote, start=start)
    )

    assert appearance.end == start + len(quote)
    assert Appearance.objects.filter(pk=appearance.pk, end=start + 18).exists()


def test_a_span_counted_in_utf16_units_is_refused_by_the_service_and_the_database(
    editor, new_claim
):
    source = factories.SourceFactory(text=UNICODE_TEXT)
    quote = "the general said \U0001f642"
    start = UNICODE_TEXT.index(quote)
    utf16_length = len(quote.encode("utf-16-le")) // 2  # the emoji counts twice there
    assert utf16_length == len(quote) + 1

    with pytest.raises(ValidationError):
        appearance_add(
            actor=editor,
            claim=new_claim,
            data=AppearanceData(source=source, quote=quote, start=start, end=start + utf16_length),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Appearance.objects.create(
            claim=new_claim,
            source=source,
            quote=quote,
            start=start,
            end=start + utf16_length,
            attribution=Attribution.REPORTED,
        )
