"""Attribution: who each sentence of an article quotes or reports, how, and with what hedges."""

from __future__ import annotations

import pytest

from claims.extraction.attribution import People, attribute
from claims.extraction.sentences import split_sentences
from claims.models import Attribution, SpeakerKind

# A short article written for these tests.
ARTICLE = """City Hall Weighs a New Budget

Mayor Ana Ruiz said on Tuesday that the city would hire 200 more teachers. “We have waited \
long enough for this and the children know it,” said Senator Peter Holt, a Democrat from the \
north side who chairs the education committee. He said the plan would cost $12 million a year.

“The numbers do not add up at all this time,” Lena Park, a budget analyst at the Civic \
Research Institute, told reporters. “Not this year, and not next year.”

The state health department estimated that about 3,000 residents lacked insurance. The \
department relies on a survey, so the figures are impossible to confirm.

Some officials say the schools are overcrowded. Ruiz’s aides said the plan was popular. The \
library reopened in May."""


@pytest.fixture(scope="module")
def by_sentence():
    sentences = [s for s in split_sentences(ARTICLE) if not s.heading]
    results = attribute([s.text for s in sentences], [s.paragraph for s in sentences], ARTICLE)
    found = {s.text: r for s, r in zip(sentences, results, strict=True)}

    def starting(prefix: str):
        (result,) = [r for text, r in found.items() if text.startswith(prefix)]
        return result

    return starting


def test_reported_speech_names_the_speaker_with_the_title_as_role(by_sentence):
    result = by_sentence("Mayor Ana Ruiz said on T")
    assert result.attribution == Attribution.SAID
    assert (result.speaker.name, result.speaker.role) == ("Ana Ruiz", "Mayor")


def test_a_quote_followed_by_said_and_a_name_is_that_persons_with_title_and_appositive(by_sentence):
    result = by_sentence("“We have waited long enou")
    assert result.quoted and result.attribution == Attribution.SAID
    assert result.speaker.name == "Peter Holt"
    # The relative clause ("who chairs…") is not part of the role.
    assert result.speaker.role == "Senator, Democrat from the north side"


def test_a_pronoun_speaker_is_the_person_last_named(by_sentence):
    assert by_sentence("He said the plan would co").speaker.name == "Peter Holt"


def test_a_name_with_an_appositive_role_before_told_is_the_speaker(by_sentence):
    result = by_sentence("“The numbers do not add ")
    assert result.speaker.name == "Lena Park"
    assert result.speaker.role == "budget analyst at the Civic Research Institute"
    assert result.speaker.kind == SpeakerKind.PERSON


def test_a_sentence_that_is_only_a_quotation_keeps_the_previous_speaker(by_sentence):
    result = by_sentence("“Not this year, and not n")
    assert result.attribution == Attribution.SAID
    assert result.speaker.name == "Lena Park"


def test_an_institution_is_a_speaker_and_the_next_sentences_caveat_is_noted(by_sentence):
    result = by_sentence("The state health departm")
    assert result.attribution == Attribution.SAID
    assert result.speaker.kind == SpeakerKind.ORGANISATION
    assert result.speaker.name == "state health department"
    assert "'estimated'" in result.note
    assert "impossible to confirm" in result.note


def test_vague_sources_make_a_statement_reported_without_a_speaker(by_sentence):
    result = by_sentence("Some officials say the sc")
    assert result.attribution == Attribution.REPORTED
    assert result.speaker is None
    assert "Some officials" in result.note


def test_a_possessive_is_not_the_speaker(by_sentence):
    result = by_sentence("Ruiz’s aides said the pla")
    assert result.speaker is None
    assert result.attribution == Attribution.REPORTED


def test_a_plain_statement_is_asserted_by_the_author(by_sentence):
    result = by_sentence("The library reopened in ")
    assert (result.attribution, result.speaker, result.note) == (Attribution.ASSERTED, None, "")


def test_people_are_keyed_by_surname_and_keep_the_longest_name_and_role():
    people = People.from_text(
        "Gen. Mark Ode spoke first. Later, the army's chief of staff, Gen. Mark Ode, "
        "left. General Ode said nothing."
    )
    person = people.get("Ode")
    assert person.name == "Mark Ode"
    assert person.role == "General, army's chief of staff"
    assert [p.name for _, p in people.mentions("Then General Ode left.")] == ["Mark Ode"]
