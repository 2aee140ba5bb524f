"""An article as the desk stores it, from pasted text, a file or a URL.

The stored text is what quotes are spans of, so it is kept as given (plain text, Markdown), HTML
reduced to the article's text by trafilatura, a transcript as ``SPEAKER: text`` lines.
Extraction reads a *clean view* of it (Markdown's markup out) that maps every clean character
back to its stored offset, so a sentence found there has an exact span in the stored text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from claims.extraction.lexicon import by_word
from claims.extraction.transcripts import (
    TranscriptError,
    is_captions,
    parse_transcript,
    read_turns,
)
from config.fetch import Fetched, FetchError, fetch
from config.untrusted import UntrustedInputError, refuse_entity_declarations


class DocumentError(Exception):
    """The document could not be read: unreachable, too large, empty, or not text."""


class Format:
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    TRANSCRIPT = "transcript"  # claims.extraction.transcripts: speaker-labelled lines, captions
    AUTO = "auto"


EXTENSIONS = by_word(
    {
        Format.TEXT: ".txt .text",
        Format.MARKDOWN: ".md .markdown",
        Format.HTML: ".html .htm .xhtml",
        Format.TRANSCRIPT: ".vtt .srt .tsv .csv",
    }
)
# An upload's part may say what it is where its name does not (an API client's "file" part).
UPLOAD_TYPES = by_word(
    {
        Format.TEXT: "text/plain",
        Format.MARKDOWN: "text/markdown text/x-markdown",
        Format.HTML: "text/html application/xhtml+xml",
        Format.TRANSCRIPT: "text/vtt application/x-subrip text/x-subrip text/srt "
        "text/tab-separated-values text/csv",
    }
)
# Parts that say nothing about themselves; their content decides (``Format.AUTO``).
UNTYPED = ("", "application/octet-stream")


@dataclass(frozen=True)
class CleanView:
    """The stored text without markup; ``offsets[i]`` is where clean character ``i`` is stored."""

    text: str
    offsets: tuple[int, ...]
    dropped: frozenset[int] = frozenset()

    def span(self, start: int, end: int, stored: str) -> tuple[int, int]:
        """The stored span of the clean span [start, end), widened over markup that opens or
        closes right at its edges (a link's brackets, emphasis marks), so quotes stay whole."""
        raw_start, raw_end = self.offsets[start], self.offsets[end - 1] + 1
        while (
            raw_start > 0 and raw_start - 1 in self.dropped and stored[raw_start - 1] in "[*_`\\!"
        ):
            raw_start -= 1
        while raw_end < len(stored) and raw_end in self.dropped and stored[raw_end] not in "\n#>":
            raw_end += 1
        return raw_start, raw_end


@dataclass(frozen=True)
class Document:
    """What to store as a source: its text, and what the document says about itself."""

    text: str
    format: str
    title: str = ""
    author: str = ""
    publisher: str = ""
    url: str | None = None
    published: str = ""  # as the document gives it (ISO date from HTML metadata)
    language: str = ""  # ISO 639-1; empty until detected (claims.extraction.language)
    notes: list[str] = field(default_factory=list)

    def clean_view(self) -> CleanView:
        if self.format == Format.MARKDOWN:
            return markdown_view(self.text)
        if self.format == Format.TRANSCRIPT:
            return transcript_view(self.text)
        return CleanView(self.text, tuple(range(len(self.text))))


# --- Markdown ---------------------------------------------------------------------------------

# Each pattern's named groups are markup to drop; everything else in the match is kept.
_MARKDOWN_MARKUP = [
    re.compile(r"^(?P<m>[ \t]{0,3}#{1,6}[ \t]+)", re.MULTILINE),  # heading marks
    re.compile(r"^(?P<m>[ \t]{0,3}>[ \t]?)", re.MULTILINE),  # block quotes
    re.compile(r"^(?P<m>[ \t]*(?:[-+*]|\d+[.)])[ \t]+)(?=\S)", re.MULTILINE),  # list items
    re.compile(r"(?P<m>!?\[)[^\]\n]*(?P<n>\]\([^)\n]*\))"),  # [text](url), ![alt](src)
    re.compile(r"(?P<m>!?\[)[^\]\n]*(?P<n>\]\[[^\]\n]*\])"),  # [text][ref]
    re.compile(r"^(?P<m>[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S.*)$", re.MULTILINE),  # [ref]: url
    re.compile(r"(?P<m>\\)[\\`*_{}\[\]()#+\-.!$<>|~\"']"),  # backslash escapes
    re.compile(r"(?P<m>\*\*|__)(?=\S)|(?<=\S)(?P<n>\*\*|__)"),  # strong
    re.compile(r"(?P<m>(?<![*\w\\])\*)(?=[^\s*])|(?<=[^\s*\\])(?P<n>\*)(?![*\w])"),  # *em*
    re.compile(r"(?P<m>(?<![\w\\])_)(?=[^\s_])|(?<=[^\s_\\])(?P<n>_)(?!\w)"),  # _em_
    re.compile(r"(?P<m>`+)"),  # inline code marks
]


def markdown_view(text: str) -> CleanView:
    """The clean view of a Markdown text: markup dropped, every other character mapped."""
    drop = bytearray(len(text))
    for pattern in _MARKDOWN_MARKUP:
        for match in pattern.finditer(text):
            for name in ("m", "n"):
                if name in pattern.groupindex and match.group(name) is not None:
                    start, end = match.span(name)
                    if not any(drop[start:end]):
                        drop[start:end] = b"\x01" * (end - start)
    kept = [i for i in range(len(text)) if not drop[i]]
    dropped = frozenset(i for i in range(len(text)) if drop[i])
    return CleanView("".join(text[i] for i in kept), tuple(kept), dropped)


def markdown_metadata(text: str) -> dict[str, str]:
    """Title, author and publisher: the first ``# heading``, a bold "By …" line, the next one."""
    meta = {"title": "", "author": "", "publisher": ""}
    heading = re.search(r"^#\s+(.+?)\s*#*\s*$", text, re.MULTILINE)
    if heading:
        meta["title"] = markdown_view(heading.group(1)).text.strip()
    for bold in re.finditer(r"^\*\*(.+?)\*\*\s*$", text, re.MULTILINE):
        value = bold.group(1).strip()
        if value.lower().startswith("by "):
            meta["author"] = meta["author"] or value[3:].strip()
        elif meta["author"] and not meta["publisher"]:
            meta["publisher"] = value
    return meta


# --- Sniffing, files, HTML --------------------------------------------------------------------

_HTML_SIGNS = re.compile(r"<(?:!doctype\s+html|html|body|article|p|div)\b", re.IGNORECASE)
_MARKDOWN_SIGNS = re.compile(r"^#{1,6}\s|\]\([^)]*\)|^\*\*[^*]+\*\*\s*$|\\[$*_]", re.MULTILINE)


def sniff_format(text: str) -> str:
    if is_captions(text):
        return Format.TRANSCRIPT
    if _HTML_SIGNS.search(text[:4000]):
        return Format.HTML
    if _MARKDOWN_SIGNS.search(text):
        return Format.MARKDOWN
    return Format.TEXT


def document_from_text(text: str, *, format: str = Format.AUTO, url: str | None = None) -> Document:
    """A document from text in hand: pasted, read from a file, or fetched."""
    if not text or not text.strip():
        raise DocumentError("The document is empty.")
    if "\x00" in text:
        # A binary file read as text; the database would refuse it anyway.
        raise DocumentError("The document contains NUL characters: it is not text.")
    try:
        refuse_entity_declarations(text)  # the "billion laughs"; no article declares entities
    except UntrustedInputError as error:
        raise DocumentError(str(error)) from error
    if format == Format.AUTO:
        format = sniff_format(text)
    if format == Format.HTML:
        return _document_from_html(text, url=url)
    if format == Format.TRANSCRIPT:
        return _document_from_transcript(text, url=url)
    if format == Format.MARKDOWN:
        meta = markdown_metadata(text)
        return Document(text=text, format=format, url=url, **meta)
    first_line = text.strip().splitlines()[0].strip()
    return Document(text=text, format=Format.TEXT, title=_title(first_line), url=url)


def _title(line: str) -> str:
    return line if len(line) <= 200 else line[:197] + "…"


def document_from_path(path: Path, *, format: str = Format.AUTO) -> Document:
    """A document from a file: plain text, Markdown or HTML, by extension or by content."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"Cannot read {path}: {error.strerror or error}.") from error
    limit = max_bytes()
    if len(raw) > limit:
        raise DocumentError(f"{path} is {len(raw):,} bytes, over the {limit:,}-byte limit.")
    if format == Format.AUTO:
        format = EXTENSIONS.get(path.suffix.lower(), Format.AUTO)
    return document_from_text(_decode(raw, None), format=format)


def _document_from_html(html: str, *, url: str | None) -> Document:
    import trafilatura  # imported here: only HTML needs it, and it loads slowly

    extracted = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True
    )
    if not extracted or not extracted.strip():
        raise DocumentError("No article text could be found in the HTML.")
    # trafilatura puts one paragraph on each line; a blank line between them keeps paragraphs
    # apart for sentence splitting, as in the other formats.
    text = "\n\n".join(line.strip() for line in extracted.splitlines() if line.strip())
    meta = trafilatura.extract_metadata(html, default_url=url)
    fields = {"title": "title", "author": "author", "publisher": "sitename", "published": "date"}
    found = {field: getattr(meta, name, None) or "" for field, name in fields.items()}
    return Document(text=text, format=Format.HTML, url=url, **found)


def _document_from_transcript(text: str, *, url: str | None) -> Document:
    """A transcript stored as ``SPEAKER: text`` lines, titled by its heading or who speaks."""
    try:
        stored, turns = parse_transcript(text)
    except TranscriptError as error:
        raise DocumentError(str(error)) from error
    first = stored.lstrip().split("\n", 1)[0].strip()
    speakers = list(dict.fromkeys(t.speaker for t in turns if t.speaker))
    if turns and turns[0].offsets and stored.index(first) < turns[0].offsets[0] and first:
        title = _title(first)
    else:
        names = ", ".join(speakers[:3]) + (" and others" if len(speakers) > 3 else "")
        title = f"Transcript: {names}" if names else "Transcript"
    return Document(text=stored, format=Format.TRANSCRIPT, title=title, url=url)


def check_transcript(text: str, format: str) -> None:
    """``DocumentError`` now, not in the worker, for a transcript with nothing to read."""
    if format == Format.TRANSCRIPT or (format == Format.AUTO and is_captions(text)):
        try:
            parse_transcript(text)
        except TranscriptError as error:
            raise DocumentError(str(error)) from error


def transcript_view(text: str) -> CleanView:
    """The turns of a stored transcript, labels and stage directions out, a blank line between
    turns (each separator mapped to the end of the turn before it)."""
    chars: list[str] = []
    offsets: list[int] = []
    for turn in read_turns(text, require_speaker=False):
        if chars:
            chars.append("\n\n")
            offsets.extend([offsets[-1], offsets[-1]])
        chars.append(turn.text)
        offsets.extend(turn.offsets)
    return CleanView("".join(chars), tuple(offsets))


# --- URLs -------------------------------------------------------------------------------------

# What an article's page may be: any text (plain, Markdown, HTML), XHTML, or a page that does not
# say (its content is sniffed).
ARTICLE_TYPES = ("text/*", "application/xhtml+xml", "")
_FORMAT_OF_TYPE = {
    "text/html": Format.HTML,
    "application/xhtml+xml": Format.HTML,
    "text/markdown": Format.MARKDOWN,
    "text/vtt": Format.TRANSCRIPT,
}


def max_bytes() -> int:
    return int(getattr(settings, "INGEST_MAX_BYTES", 5 * 1024 * 1024))


def document_from_url(url: str) -> Document:
    """Fetch ``url`` through the desk's one way out (``config.fetch``: http(s) only, public
    addresses only, a deadline, at most ``INGEST_MAX_BYTES``) and reduce it to a document:
    HTML to its article's text by trafilatura, plain text and Markdown as they are."""
    try:
        page = fetch(url, accept=ARTICLE_TYPES, max_bytes=max_bytes())
    except FetchError as error:
        raise DocumentError(str(error)) from error
    return document_from_fetched(page)


def document_from_fetched(page: Fetched) -> Document:
    """A fetched page reduced to a document as ingestion reads it (the archive's text too)."""
    format = _FORMAT_OF_TYPE.get(page.content_type, Format.AUTO)
    return document_from_text(_decode(page.body, page.charset), format=format, url=page.url)


def _decode(raw: bytes, charset: str | None) -> str:
    for encoding in (charset, "utf-8"):
        if encoding:
            try:
                return raw.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
    return raw.decode("cp1252", errors="replace")
