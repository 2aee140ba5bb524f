"""Transcripts: who said each line of a debate, an interview or a captioned video.

Three layouts are read into :class:`Turn` rows: (a) ``SPEAKER: text`` lines (README's
*Transcripts*), (b) CLEF CheckThat! rows, (c) WebVTT and SRT captions. The desk stores layout
(a): pasted text as given, the others rendered to it (:func:`transcript_text`), so every quote is
a span of the stored text, which reads back (:func:`read_turns`) into the same turns."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import srt

from claims.extraction.lexicon import words


class TranscriptError(ValueError):
    """The text is not a transcript the desk can read: empty, or no speaker found."""


@dataclass(frozen=True)
class Turn:
    """What one speaker said before the next spoke; ``offsets[i]`` is where character ``i`` is
    stored (turns read from the stored text), ``time`` seconds into the recording."""

    speaker: str | None
    text: str
    position: int
    role: str = ""
    time: float | None = None
    offsets: tuple[int, ...] = ()


# --- Labels and stage directions ------------------------------------------------------------

_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_LINE = re.compile(
    rf"^[ \t]*(?:\[(?P<time>{_TIME})\][ \t]*)?(?P<change>>>[ \t]*)?"
    r"(?:(?P<label>[^:\n\[\]<>]{1,80}?)[ \t]*:(?=\s|$))?"
)
_ROLE = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<role>[^()]{1,60})\)$")
# Words that may stay lower case inside a name ("Beto de la Cruz", "Ursula von der Leyen").
_PARTICLES = words("de da do dos das del la le van von der den di du al bin y e of the")
# (APPLAUSE), [CROSSTALK], [inaudible], ♪ music ♪: what the desk leaves out of a turn.
_NOISE = (
    r"(?i:inaudible|crosstalk|laughter|laughs|applause|music|silence|unintelligible|cheers|"
    r"cheering|booing|pause|indiscernible|off mic|background noise)"
)
_NOISE_WORD = re.compile(rf"\s*{_NOISE}\b")
_STAGE = re.compile(
    rf"\[[^\]\[\na-z]{{1,60}}\]|\[{_NOISE}[^\]\[\n]{{0,30}}\]"
    rf"|\((?=[^)(\n]*[A-Z]{{3}})[^)(\na-z]{{1,60}}\)|\({_NOISE}[^)(\n]{{0,30}}\)|♪[^♪\n]*♪?"
)


def is_speaker_label(label: str) -> bool:
    """A speaker's name as transcripts write it: capitals or Title Case, a few words."""
    if found := _ROLE.match(" ".join(label.split())):
        label = found.group("name")
    words = label.split()
    if not words or len(words) > 6 or not words[0][0].isupper():
        return False
    if label.lower().startswith(("http", "www.")):
        return False
    for word in words:
        first = next((c for c in word if c.isalnum()), "")
        if not first or not (first.isupper() or first.isdigit() or word in _PARTICLES):
            return False
    return True


def speaker_name(label: str) -> tuple[str, str]:
    """The name and role a label gives: "LESTER HOLT (MODERATOR)" → ("Lester Holt",
    "Moderator"); a name in capitals is Title-Cased for display ("SANDERS" → "Sanders")."""
    label = " ".join(label.split())
    role = ""
    if found := _ROLE.match(label):
        label, role = found.group("name"), found.group("role")
    return _display(label), _display(role)


def _display(name: str) -> str:
    return name.title() if name.isupper() else name


def _label_for(name: str) -> str:
    """A name rendered as a label that :func:`read_turns` reads back as that speaker."""
    label = re.sub(r"[:\[\]<>()\n]", " ", " ".join(name.split())).strip()
    if not is_speaker_label(label):
        label = " ".join(w[:1].upper() + w[1:] for w in label.split()[:6])
    return label if is_speaker_label(label) else "Speaker"


# --- (a) SPEAKER: text lines, and the stored text ------------------------------------------


def read_turns(text: str, *, require_speaker: bool = True) -> list[Turn]:
    """The turns of a transcript in layout (a), each mapped to its offsets in ``text``; lines
    before the first label are its heading and belong to no turn."""
    turns: list[Turn] = []
    speaker: str | None = None
    role = ""
    time: float | None = None
    chars: list[str] = []
    offsets: list[int] = []
    started = False

    def close() -> None:
        if "".join(chars).strip():
            turns.append(Turn(speaker, "".join(chars), len(turns), role, time, tuple(offsets)))
        chars.clear()
        offsets.clear()

    position = 0
    for line in text.splitlines(keepends=True):
        start, position = position, position + len(line)
        body = line.rstrip("\r\n")
        found = _LINE.match(body)
        assert found is not None  # every group is optional
        label = found.group("label")
        if label is not None and not is_speaker_label(label.strip()):
            label = None
        if label is not None or found.group("change"):
            close()
            started = True
            speaker, role = speaker_name(label) if label else (None, "")
            time = _seconds(found.group("time")) if found.group("time") else None
            content_at = found.end() if label is not None else found.end("change")
        elif not started or not body.strip():
            continue
        else:
            content_at = 0
        kept = _without_stage_directions(body, content_at)
        if not kept:
            continue
        if chars:
            chars.append("\n")
            offsets.append(start - 1 if start else 0)
        for index in kept:
            chars.append(body[index])
            offsets.append(start + index)
    close()
    if require_speaker and not any(t.speaker for t in turns):
        raise TranscriptError(
            "No speaker-labelled lines found: write each turn as 'SPEAKER: text' (a name in "
            "capitals or Title Case, then a colon), or upload WebVTT, SRT or CLEF TSV/CSV."
        )
    return turns


def _without_stage_directions(line: str, start: int) -> list[int]:
    """Indexes of ``line[start:]`` to keep: stage directions out, the edges trimmed."""
    dropped = set()
    for match in _STAGE.finditer(line, start):
        dropped.update(range(*match.span()))
    kept = [i for i in range(start, len(line)) if i not in dropped and not line[i].isspace()]
    if not kept:
        return []
    return [i for i in range(kept[0], kept[-1] + 1) if i not in dropped]


def transcript_text(turns: list[Turn]) -> str:
    """Turns rendered in layout (a), one paragraph each: what the desk stores."""
    paragraphs = []
    for turn in turns:
        stamp = f"[{_timecode(turn.time)}] " if turn.time is not None else ""
        if turn.speaker:
            role = f" ({_label_for(turn.role)})" if turn.role else ""
            paragraphs.append(f"{stamp}{_label_for(turn.speaker)}{role}: {turn.text}")
        else:
            paragraphs.append(f"{stamp}>> {turn.text}")
    return "\n\n".join(paragraphs) + "\n"


def _timecode(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def timecode(value: dt.timedelta | None) -> str:
    """A time code as the report shows it ("00:01:05.200"), or "" for none."""
    return _timecode(value.total_seconds()) if value is not None else ""


def _seconds(value: str) -> float:
    parts = value.replace(",", ".").split(":")
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    return total


# --- (b) CLEF rows ----------------------------------------------------------------------------

_CLEF_ROW = re.compile(r"^\d+[\t,]")


def _looks_like_rows(text: str) -> bool:
    lines = [line for line in text.splitlines()[:5] if line.strip()]
    if not lines:
        return False
    header = lines[0].lower().replace('"', "")
    if header.startswith(("line_number,", "line_number\t")) and "speaker" in header:
        return True
    if not all(_CLEF_ROW.match(line) for line in lines):
        return False
    return "\t" in lines[0] or len(lines) > 1


def rows_turns(text: str) -> list[Turn]:
    """Turns from CLEF rows: consecutive rows of one speaker make one turn."""
    first = text.lstrip().split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text.strip()), delimiter="\t" if "\t" in first else ",")
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    columns = {"speaker": 1, "text": 2}
    if rows and not rows[0][0].strip().isdigit():
        header = [cell.strip().lower() for cell in rows.pop(0)]
        columns = {name: header.index(name) for name in columns if name in header}
        if len(columns) < 2:
            raise TranscriptError("The table's header names no 'speaker' and 'text' columns.")
    merged: list[tuple[str, list[str]]] = []
    for number, row in enumerate(rows, start=1):
        if len(row) <= max(columns.values()):
            raise TranscriptError(
                f"Row {number} has {len(row)} column(s); expected line_number, speaker, text."
            )
        label, said = row[columns["speaker"]].strip(), _stage_free(row[columns["text"]])
        if not said or not label:
            continue
        if merged and merged[-1][0] == label:
            merged[-1][1].append(said)
        else:
            merged.append((label, [said]))
    return [
        Turn(speaker=name, role=role, text=" ".join(lines), position=i)
        for i, (label, lines) in enumerate(merged)
        for name, role in [speaker_name(label)]
    ]


def _stage_free(text: str) -> str:
    return " ".join(_STAGE.sub(" ", html.unescape(text)).split())


# --- (c) Captions -------------------------------------------------------------------------------

_VTT_TIMING = re.compile(rf"^\s*(?P<start>{_TIME})\s+-->\s+{_TIME}")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?[ \t]+([^>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d[\d:.]*>")
_PREFIX = re.compile(
    r"^\s*(?:>>\s*)?(?:\[(?P<bracket>[^\]\n]{1,60})\]|(?P<label>[^:\n]{1,80}?)\s*:(?=\s))"
)
_CHANGE = re.compile(r"^\s*(?:>>|-)\s+")
_SRT_START = re.compile(r"^\s*\d+\s*\n\s*\d{1,2}:\d{2}:\d{2},\d{3}\s+-->", re.MULTILINE)


def vtt_cues(text: str) -> list[tuple[float, str]]:
    """``(start, payload)`` for each cue of a WebVTT file (NOTE, STYLE and REGION skipped)."""
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise TranscriptError("A WebVTT file starts with 'WEBVTT'.")
    cues = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n"))[1:]:
        lines = block.strip("\n").split("\n")
        timing = next((i for i, line in enumerate(lines[:2]) if "-->" in line), None)
        if timing is None or not (found := _VTT_TIMING.match(lines[timing])):
            continue  # a NOTE, STYLE or REGION block, or a stray one
        cues.append((_seconds(found.group("start")), "\n".join(lines[timing + 1 :])))
    return cues


def srt_cues(text: str) -> list[tuple[float, str]]:
    """``(start, payload)`` for each cue of an SRT file, read by the ``srt`` library."""
    try:
        return [(s.start.total_seconds(), s.content) for s in srt.parse(text.lstrip("\ufeff"))]
    except srt.SRTParseError as error:
        raise TranscriptError(
            "The SRT file cannot be read: each cue is a number, a 'start --> end' line "
            "(00:00:01,000 --> 00:00:04,000) and its text, with a blank line between cues."
        ) from error


def caption_turns(cues: list[tuple[float, str]]) -> list[Turn]:
    """Turns from caption cues: consecutive pieces of one speaker merged, from the first's start."""
    pieces: list[tuple[str | None, float, str]] = []
    speaker: str | None = None
    for start, payload in cues:
        for said, named, changed in _cue_pieces(payload):
            if named is not None or changed:
                speaker = named
            if text := _stage_free(said):
                pieces.append((speaker, start, text))
    turns: list[Turn] = []
    for name, start, text in pieces:
        if turns and turns[-1].speaker == name:
            last = turns[-1]
            turns[-1] = Turn(last.speaker, f"{last.text} {text}", last.position, time=last.time)
        else:
            turns.append(Turn(name, text, len(turns), time=start))
    return turns


def _cue_pieces(payload: str) -> list[tuple[str, str | None, bool]]:
    """``(text, speaker or None, whether the speaker changes)`` for each voice of a cue."""
    voices = list(_VOICE.finditer(payload))
    if voices:
        pieces = []
        for i, voice in enumerate(voices):
            end = voices[i + 1].start() if i + 1 < len(voices) else len(payload)
            said = _TAG.sub("", payload[voice.end() : end])
            pieces.append((said, speaker_name(voice.group(1))[0], True))
        return pieces
    pieces = []
    for line in _TAG.sub("", html.unescape(payload)).split("\n"):
        found = _PREFIX.match(line)
        label = found and (found.group("bracket") or found.group("label"))
        if found and label and is_speaker_label(label.strip()) and not _NOISE_WORD.match(label):
            pieces.append((line[found.end() :], speaker_name(label)[0], True))
        elif changed := _CHANGE.match(line):
            pieces.append((line[changed.end() :], None, line.lstrip().startswith(">>")))
        else:
            pieces.append((line, None, False))
    return pieces


# --- Which layout ---------------------------------------------------------------------------


def _cue_reader(text: str) -> Callable[[str], list[tuple[float, str]]] | None:
    """:func:`vtt_cues` or :func:`srt_cues` for captions, told by their first lines."""
    head = text.lstrip("\ufeff \t\r\n")[:200].replace("\r\n", "\n")
    if head.startswith("WEBVTT"):
        return vtt_cues
    return srt_cues if _SRT_START.match(head) else None


def is_captions(text: str) -> bool:
    """WebVTT or SRT, told by its first lines (so pasted captions need no ``kind``)."""
    return _cue_reader(text) is not None


def parse_transcript(text: str) -> tuple[str, list[Turn]]:
    """The text to store for a transcript in any layout, and its turns read from that text
    (``TranscriptError`` when there is no line to read or no speaker at all)."""
    if not text or not text.strip():
        raise TranscriptError("The transcript is empty.")
    head = text.lstrip("\ufeff \t\r\n")
    if (cues := _cue_reader(head)) is not None:
        turns = caption_turns(cues(head))
    elif _looks_like_rows(head):
        turns = rows_turns(head)
    else:
        return text, read_turns(text)
    if not turns:
        raise TranscriptError("The transcript has no lines to read.")
    stored = transcript_text(turns)
    return stored, read_turns(stored, require_speaker=False)
