"""Attribution finds the speaker in each form news writing uses (one sentence or two, written
for these tests), in English, Portuguese and Spanish."""

from __future__ import annotations

import pytest

from claims.extraction.attribution import Cue, attribute_sentences
from claims.extraction.sentences import split_sentences
from claims.models import Attribution, SpeakerKind


def speakers(text: str) -> list[tuple[str, str, str]]:
    """(sentence start, speaker name, kind) of each attributed sentence."""
    sentences = split_sentences(text)
    return [
        (s.text[:12], r.speaker.name, r.speaker.kind)
        for s, r in zip(sentences, attribute_sentences(sentences, text), strict=True)
        if r.speaker is not None
    ]


def only_speakers(text: str) -> list[str]:
    return [name for _, name, _ in speakers(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Taliban spokesman Zabihullah Qadir said the road was open.", ["Zabihullah Qadir"]),
        ("The road was open, said Mira Jansen, a driver.", ["Mira Jansen"]),
        ("Mira Jansen, a driver for the aid group, said the road was open.", ["Mira Jansen"]),
        ("Health Minister Ana Costa told the Herald that 40 beds were free.", ["Ana Costa"]),
        ("Deputy Chief Prosecutor Lionel Achebe said the case was dropped.", ["Lionel Achebe"]),
        ('"We are ready," said Gen. Tor Lien.', ["Tor Lien"]),
        ('Tor Lien said: "We are ready for anything that comes."', ["Tor Lien"]),
    ],
)
def test_a_named_speaker_is_found_in_each_form(text, expected):
    assert only_speakers(text) == expected


def test_according_to_names_an_organisation():
    ((_, name, kind),) = speakers("Exports fell 4 percent, according to the Bureau of Trade.")
    assert (name, kind) == ("Bureau of Trade", SpeakerKind.ORGANISATION)


def test_an_organisation_said_in_a_statement():
    ((_, name, kind),) = speakers("Halvard Energy said in a statement that the line reopened.")
    assert (name, kind) == ("Halvard Energy", SpeakerKind.ORGANISATION)


def test_a_speaker_is_continued_by_surname_pronoun_and_role():
    text = (
        "Army spokesman Col. Viktor Hale said the base was hit.\n\n"
        "Hale said two hangars burned. He said nobody was hurt. The spokesman added that "
        "repairs would take a month."
    )
    assert only_speakers(text) == ["Viktor Hale"] * 4


def test_a_speaker_named_in_the_first_paragraph_is_found_by_surname_in_the_second():
    text = (
        "Lakeside County's superintendent, Ruth Abernathy, closed 11 schools.\n\n"
        "Abernathy said the schools would reopen on Monday."
    )
    assert only_speakers(text) == ["Ruth Abernathy"]


def test_the_body_a_spokesperson_speaks_for_is_the_speaker():
    assert only_speakers("A spokesperson for Tillman Foods said 80,000 jars were recalled.") == [
        "Tillman Foods"
    ]


def test_an_organisation_is_referred_back_to_by_its_noun():
    text = (
        "The Environmental Protection Agency proposed limits on soot. The agency said the "
        "rule would prevent 4,500 deaths."
    )
    assert only_speakers(text) == ["Environmental Protection Agency"]


def test_a_quotation_over_several_sentences_is_the_speaker_named_at_its_end():
    text = '"The first year was hard. We had no staff. Now we do," said Lucas Moreau.'
    found = attribute_sentences(split_sentences(text), text)
    assert [r.speaker.name for r in found] == ["Lucas Moreau"] * 3
    assert found[0].cue == Cue.QUOTE and found[0].attribution == Attribution.SAID


def test_portuguese_forms():
    text = (
        "O ministro da Saúde, Jorge Almeida, disse que as doses chegam em maio. Segundo o "
        'Ministério da Saúde, a vacinação começa em junho. "Não faltará vacina", afirmou '
        "Almeida."
    )
    assert only_speakers(text) == ["Jorge Almeida", "Ministério da Saúde", "Jorge Almeida"]


def test_spanish_forms_with_the_subject_left_out():
    text = (
        "El ministro de Hacienda, Tomás Villalobos, celebró la cifra. Dijo que el empleo "
        "mejoró. Según el Banco Central, la economía creció."
    )
    assert only_speakers(text) == ["Tomás Villalobos", "Banco Central"]


def test_vague_sources_and_possessives_give_no_speaker():
    text = "Officials said the bridge would reopen. Harland's aides said the trip was off."
    assert speakers(text) == []


def test_a_capitalised_role_before_a_name_is_the_role_and_the_surname_finds_the_person_later():
    text = (
        "Speaker Kevin McCarthy, a Republican from California, opposed the bill.\n\n"
        "McCarthy said it cost too much."
    )
    sentences = split_sentences(text)
    (found,) = [r for r in attribute_sentences(sentences, text) if r.speaker is not None]
    assert found.speaker.name == "Kevin McCarthy"
    assert found.speaker.role.startswith("Speaker")
