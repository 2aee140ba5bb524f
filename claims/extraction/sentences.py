"""Sentences of an article, each with its exact character span in the text.

A sentence ends at ".", "!", "?" or "…" (and closing quotes) before white space and a character
that can open one, except after an abbreviation or an initial; a blank line ends one too unless
the next paragraph carries on in lower case. Headlines and bylines come back marked ``heading``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.extraction.language import extraction_language
from claims.extraction.lexicon import words

# A full stop after one of these (lower-cased, without the stop) does not end a sentence.
ABBREVIATIONS = words(
    "mr mrs ms dr prof gen lt col maj capt sgt adm cmdr rep sen gov pres sec amb rev st jr sr "
    "u.s u.k u.n e.u no nos vs etc inc corp co ltd dept est approx fig al "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
# The same for Portuguese and Spanish text ("Sr.", "Dra.", "Cía.", "art.", "EE.UU.", "fev.").
ABBREVIATIONS_IBERO = words(
    "sr sra srs srta dr dra drs profa prof eng arq gen cel ten cap sgto dep sen gov pres min "
    "vol av res ltda cia cía s.a s.a.s art arts inc núm num nº n.º pág págs p.ex ee.uu eua ud uds "
    "vd etc aprox cf tel ene fev feb abr mai ago set out dic dez"
)
_END = re.compile(r"(?:[.!?…]+)[\"”’'»)\]]*(?=\s)")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_TERMINAL = re.compile(r"[.!?…:][\"”’'»)\]*_]*\s*$")
# What may open a new sentence after a full stop: not a lower-case letter.
_OPENS_SENTENCE = re.compile(r"\s+[\"“‘'(\[¿¡«—–]*[A-Z0-9$€£¥ÁÀÂÃÉÊÍÓÔÕÚÜÇÑ]")


@dataclass(frozen=True)
class Sentence:
    """``text[start:end]`` of the article; ``heading`` for a title or byline line."""

    start: int
    end: int
    text: str
    paragraph: int
    heading: bool = False


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs of ``text``, joining a paragraph that stops mid-sentence to the
    next one when that one starts in lower case."""
    spans: list[tuple[int, int]] = []
    position = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        spans.append((position, brk.start()))
        position = brk.end()
    spans.append((position, len(text)))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        start, end = _trim(text, start, end)
        if start >= end:
            continue
        if merged and _continues(text, merged[-1], start):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _continues(text: str, previous: tuple[int, int], start: int) -> bool:
    last = text[previous[0] : previous[1]]
    return (
        not _TERMINAL.search(last)
        and len(last.split()) > 8  # a headline is short; a broken sentence is not
        and text[start].islower()
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _ends_sentence(
    text: str, match: re.Match[str], paragraph_end: int, abbreviations: frozenset[str]
) -> bool:
    if not _OPENS_SENTENCE.match(text, match.end()) or match.end() >= paragraph_end:
        return False
    if text[match.start()] != ".":
        return True
    word = re.search(r"([\w.]+)$", text[: match.start()])
    if word is None:
        return True
    token = word.group(1).lower()
    # "J." and "J.P." are initials; "Oct." and "Mr." abbreviations; neither ends a sentence.
    initials = re.fullmatch(r"(?:[^\W\d_]\.)*[^\W\d_]", token) is not None
    return not (initials or token in abbreviations)


def split_sentences(text: str, language: str = "en") -> list[Sentence]:
    """Every sentence of ``text`` in order, with spans such that
    ``text[s.start:s.end] == s.text`` and no leading or trailing white space. Portuguese and
    Spanish text is split knowing their abbreviations too."""
    abbreviations = ABBREVIATIONS
    if extraction_language(language) in ("pt", "es"):
        abbreviations = ABBREVIATIONS | ABBREVIATIONS_IBERO
    sentences: list[Sentence] = []
    for number, (p_start, p_end) in enumerate(paragraphs(text)):
        block = text[p_start:p_end]
        if _is_heading(block):
            sentences.append(Sentence(p_start, p_end, block, number, heading=True))
            continue
        position = p_start
        for match in _END.finditer(text, p_start, p_end):
            if _ends_sentence(text, match, p_end, abbreviations):
                _append(sentences, text, position, match.end(), number)
                position = match.end()
        _append(sentences, text, position, p_end, number)
    return sentences


def _is_heading(block: str) -> bool:
    """A headline, byline or dateline: short lines, none ending like a sentence."""
    lines = [line for line in block.splitlines() if line.strip()]
    return all(not _TERMINAL.search(line) and len(line.split()) <= 25 for line in lines)


def _append(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    start, end = _trim(text, start, end)
    if start < end:
        sentences.append(Sentence(start, end, text[start:end], paragraph))


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence (or sentences) that contain ``text[start:end]``."""
    spans = [s for s in split_sentences(text) if s.start < end and start < s.end]
    if not spans:
        return start, end
    return spans[0].start, spans[-1].end
