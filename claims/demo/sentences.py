"""Where a sentence starts and ends: a figure found in the seed article is widened to its
sentence, so that the article's words are read at run time, never written down here."""

from __future__ import annotations

import re

# A full stop ends a sentence unless it closes one of these (titles, months, initials).
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "gen", "rep", "sen", "gov", "lt", "col", "sgt", "st", "jr", "sr"}
    | {"u.s", "u.n", "no", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept"}
    | {"oct", "nov", "dec"}
)
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*(?=\s|$)")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    if text[match.start()] != ".":
        return True
    word = re.search(r"([\w.]+)$", text[: match.start()])
    if word is None:
        return True
    token = word.group(1).lower()
    # "J." and "E." are initials; "Oct." and "Mr." abbreviations; neither ends a sentence.
    return not ((len(token) == 1 and token.isalpha()) or token in _ABBREVIATIONS)


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen the span [start, end) to the whole sentence around it, without crossing paragraphs.

    A sentence ends at ".", "!" or "?" (with any closing quote) followed by white space, except
    after an abbreviation or an initial. Leading white space is not part of the sentence.
    """
    paragraph_start = 0
    for brk in _PARAGRAPH_BREAK.finditer(text, 0, start):
        paragraph_start = brk.end()
    paragraph_end = len(text)
    brk = _PARAGRAPH_BREAK.search(text, end)
    if brk is not None:
        paragraph_end = brk.start()

    left = paragraph_start
    for match in _SENTENCE_END.finditer(text, paragraph_start, start):
        if _ends_sentence(text, match):
            left = match.end()
    while left < start and text[left].isspace():
        left += 1

    right = paragraph_end
    for match in _SENTENCE_END.finditer(text, end, paragraph_end):
        if _ends_sentence(text, match):
            right = match.end()
            break
    while right > end and text[right - 1].isspace():
        right -= 1
    return left, right
