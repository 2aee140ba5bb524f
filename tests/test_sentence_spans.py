"""Sentence splitting: every sentence has an exact span in the stored text."""

from __future__ import annotations

import pytest

from claims.extraction.documents import Format, document_from_text, markdown_view
from claims.extraction.sentences import sentence_around, split_sentences
from claims.models import Source
from claims.services import validate_span


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text) if not s.heading]


def test_abbreviations_and_initials_do_not_end_a_sentence():
    text = "Mr. Ode met Gen. J. R. Smith on Oct. 7 at the U.S. embassy. Then he left."
    assert texts(text) == [
        "Mr. Ode met Gen. J. R. Smith on Oct. 7 at the U.S. embassy.",
        "Then he left.",
    ]


def test_a_question_inside_quotes_followed_by_lower_case_does_not_end_the_sentence():
    text = "“Is it true?” he asked. Yes! It was true…  And it still is."
    assert texts(text) == ["“Is it true?” he asked.", "Yes!", "It was true…", "And it still is."]


def test_paragraphs_end_sentences_but_a_stray_break_mid_sentence_is_joined():
    text = (
        "The first paragraph ends without a full stop\n\n"
        "Another paragraph starts here. It ends.\n\n"
        "This sentence runs on across a stray break that a copy from the web\n\n"
        "left in the middle of it, and ends here."
    )
    sentences = [s.text for s in split_sentences(text)]
    assert sentences[:3] == [
        "The first paragraph ends without a full stop",
        "Another paragraph starts here.",
        "It ends.",
    ]
    assert sentences[3].startswith("This sentence runs on") and sentences[3].endswith("ends here.")
    assert "\n\n" in sentences[3]
    assert len(sentences) == 4


def test_short_lines_without_a_full_stop_are_headings():
    text = "A Headline Here\n\nBy Some Writer\nThe Daily Paper\n\nThe body starts. It goes on."
    sentences = split_sentences(text)
    assert [s.heading for s in sentences] == [True, True, False, False]


def test_markdown_markup_is_out_of_the_statement_but_inside_the_exact_quote():
    stored = "# Title\n\nSee **the** [annual report](https://x.example/r) now. It cost \\$5 more.\n"
    document = document_from_text(stored, format=Format.MARKDOWN)
    view = document.clean_view()
    sentences = [s for s in split_sentences(view.text) if not s.heading]
    assert [s.text for s in sentences] == ["See the annual report now.", "It cost $5 more."]
    spans = [view.span(s.start, s.end, stored) for s in sentences]
    assert [stored[a:b] for a, b in spans] == [
        "See **the** [annual report](https://x.example/r) now.",
        "It cost \\$5 more.",
    ]


def test_markdown_view_maps_every_kept_character_to_its_stored_offset():
    stored = "*Lead* and [a link](#) and `code` and a\\_b."
    view = markdown_view(stored)
    assert view.text == "Lead and a link and code and a_b."
    assert all(stored[raw] == char for char, raw in zip(view.text, view.offsets, strict=True))


def test_sentence_around_widens_a_span_to_its_sentence():
    text = "First one here. The figure 1,400 is in this one. Last."
    start = text.index("1,400")
    assert (
        text[slice(*sentence_around(text, start, start + 5))] == "The figure 1,400 is in this one."
    )


def test_every_sentence_of_the_seed_article_has_a_span_that_validates_against_the_source(
    article,
):
    stored = article
    document = document_from_text(stored, format=Format.MARKDOWN)
    view = document.clean_view()
    source = Source(text=stored)
    sentences = [s for s in split_sentences(view.text) if not s.heading]
    assert len(sentences) > 40
    previous_end = 0
    for sentence in sentences:
        assert view.text[sentence.start : sentence.end] == sentence.text
        start, end = view.span(sentence.start, sentence.end, stored)
        validate_span(source=source, quote=stored[start:end], start=start, end=end)
        assert start >= previous_end  # in order, never overlapping
        assert stored[start:end] == stored[start:end].strip()
        previous_end = end


@pytest.mark.parametrize(
    ("text", "figure", "sentence"),
    [
        (
            "One. Mr. Smith paid 5 dollars on Oct. 7 here. Two.",
            "5",
            "Mr. Smith paid 5 dollars on Oct. 7 here.",
        ),
        ("Gen. J. Doe said “it cost 9.” Next one.", "9", "Gen. J. Doe said “it cost 9.”"),
        ("Head line\n\n  The total was 12 in all\n\nMore.", "12", "The total was 12 in all"),
        ("It rose 4.5 percent!  Then fell.", "4.5", "It rose 4.5 percent!"),
    ],
)
def test_sentence_around_widens_a_figure_to_its_whole_sentence(text, figure, sentence):
    start = text.index(figure)
    left, right = sentence_around(text, start, start + len(figure))
    assert text[left:right] == sentence
