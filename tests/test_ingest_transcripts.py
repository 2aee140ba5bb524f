"""Transcripts ingest with each line's speaker as its claims' speaker: ``SPEAKER: text`` lines,
CLEF TSV/CSV rows (a few read from ``../shared/data/clef19/`` at run time) and WebVTT / SRT
captions, each written as a real file in the test; the report ranks the sentences by score."""

from __future__ import annotations

import csv
import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from claims.extraction import evaluation
from claims.extraction.documents import DocumentError, Format, document_from_path
from claims.extraction.ingest import source_ingest
from claims.extraction.jobs import ingest_job_create
from claims.extraction.transcripts import TranscriptError, parse_transcript, read_turns
from claims.models import AttributedStatement, Claim, IngestStatus, SourceKind
from claims.selectors import transcript_ranking

pytestmark = pytest.mark.django_db

DEBATE = """Town hall on the harbour, 3 March

ANA RUIZ (MAYOR): Good evening and thank you all for coming. (APPLAUSE)
The city will spend $45 million a year on the harbour,
twice what it spent in 2019.
[CROSSTALK]
Ben Okafor: That is not what your own budget says.
Unemployment in the port district rose to 12 percent last year.
ANA RUIZ (MAYOR): We created nearly 300 jobs since 2018. [inaudible]
"""

VTT = """WEBVTT - Harbour debate

NOTE written for the test

1
00:00:01.000 --> 00:00:04.000
<v Ana Ruiz>The city will spend $45 million

2
00:00:04.000 --> 00:00:07.500 align:start
<v Ana Ruiz>a year on the harbour.</v>

00:01:05.200 --> 00:01:09.000
<v.loud Ben Okafor>Unemployment rose to 12 percent last year.</v>
"""

SRT = """1
00:00:01,000 --> 00:00:03,000
>> ANA RUIZ: The city will spend $45 million

2
00:00:03,000 --> 00:00:05,000
a year on the harbour.

3
00:00:05,000 --> 00:00:05,500
[MUSIC]

4
00:00:05,500 --> 00:00:06,000
And more next year.

5
00:00:06,000 --> 00:00:09,000
[Ben Okafor] Unemployment rose to 12 percent last year. (LAUGHTER)
"""


def clef_rows(count: int) -> str:
    path = evaluation.clef_path()
    if not path.exists():
        pytest.skip(f"The CLEF 2019 file is not at {path}.")
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [next(handle) for _ in range(count + 1)]  # the header, then rows
    return "".join(lines)


def speakers_of(source_id: int) -> dict[str, str]:
    """Each claim's statement → its speaker's name, for the claims of one source."""
    claims = Claim.objects.filter(appearances__source_id=source_id).prefetch_related(
        "appearances__speaker"
    )
    return {
        c.statement: c.appearances.get(source_id=source_id).speaker.name
        for c in claims
        if c.appearances.get(source_id=source_id).speaker
    }


# --- Reading the layouts ----------------------------------------------------------------------


def test_speaker_lines_carry_on_over_continuation_lines_and_drop_stage_directions():
    turns = read_turns(DEBATE)
    assert [(t.speaker, t.role) for t in turns] == [
        ("Ana Ruiz", "Mayor"),
        ("Ben Okafor", ""),
        ("Ana Ruiz", "Mayor"),
    ]
    assert "(APPLAUSE)" not in turns[0].text and "CROSSTALK" not in turns[0].text
    assert "twice what it spent in 2019." in turns[0].text  # a continuation line
    assert "Unemployment in the port district" in turns[1].text
    assert turns[2].text == "We created nearly 300 jobs since 2018."
    for turn in turns:  # every character maps back to the stored text
        assert all(
            DEBATE[o] == c for o, c in zip(turn.offsets, turn.text, strict=True) if c != "\n"
        )


def test_a_sentence_with_a_colon_is_not_a_speaker():
    turns = read_turns("JANE: Look: the budget doubled.\nHere is the thing: it did not.\n")
    assert [t.speaker for t in turns] == ["Jane"]
    assert turns[0].text == "Look: the budget doubled.\nHere is the thing: it did not."


def test_webvtt_voices_are_speakers_and_their_cues_are_merged_with_the_first_start_time():
    stored, turns = parse_transcript(VTT)
    assert [(t.speaker, t.time) for t in turns] == [("Ana Ruiz", 1.0), ("Ben Okafor", 65.2)]
    assert turns[0].text == "The city will spend $45 million a year on the harbour."
    assert stored.startswith("[00:00:01.000] Ana Ruiz: The city will spend $45 million a year")


def test_srt_prefixes_name_the_speaker_a_cue_without_one_carries_on_and_music_is_no_one():
    _, turns = parse_transcript(SRT)
    assert [(t.speaker, t.time) for t in turns] == [("Ana Ruiz", 1.0), ("Ben Okafor", 6.0)]
    assert turns[0].text == (
        "The city will spend $45 million a year on the harbour. And more next year."
    )
    assert turns[1].text == "Unemployment rose to 12 percent last year."


def test_clef_rows_are_read_with_their_speakers_and_the_label_column_tolerated():
    text = clef_rows(12)
    expected = [row["speaker"] for row in csv.DictReader(StringIO(text))]
    _, turns = parse_transcript(text)
    # Consecutive rows of one speaker are one turn.
    runs = [s for i, s in enumerate(expected) if i == 0 or expected[i - 1] != s]
    assert [t.speaker for t in turns] == [s.title() for s in runs]
    # The original per-debate layout: tab-separated, no header, a label column.
    tsv = "1\tTODD\tGood evening.\t0\n2\tSANDERS\tWe lost 800,000 jobs a month.\t1\n"
    assert [t.speaker for t in parse_transcript(tsv)[1]] == ["Todd", "Sanders"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("   \n\n ", "empty"),
        ("The budget doubled, officials said.\nNobody disputes it.\n", "No speaker"),
        ("(APPLAUSE)\n[CROSSTALK]\n", "No speaker"),
        ("WEBVTT\n\nNOTE nothing else\n", "no lines"),
        ("1\n00:00:01,000 --> 00:00:02,000\n\n", "no lines"),
    ],
)
def test_an_empty_or_unreadable_transcript_is_refused_with_a_clear_message(text, message):
    with pytest.raises(TranscriptError, match=message):
        parse_transcript(text)


def test_transcript_files_are_told_by_their_extension(tmp_path):
    for name, text in (("debate.vtt", VTT), ("debate.srt", SRT)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert document_from_path(path).format == Format.TRANSCRIPT
    empty = tmp_path / "empty.tsv"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="empty"):
        document_from_path(empty)


# --- Ingesting ------------------------------------------------------------------------------


def test_each_lines_speaker_becomes_its_claims_speaker(editor):
    result = source_ingest(actor=editor, text=DEBATE, format=Format.TRANSCRIPT)
    source = result.source
    assert source.kind == SourceKind.TRANSCRIPT
    assert source.text == DEBATE  # pasted lines are stored as given
    assert source.title == "Town hall on the harbour, 3 March"
    said = speakers_of(source.pk)
    assert said, "the figures make claims"
    harbour = next(s for s in said if "$45 million" in s)
    jobs = next(s for s in said if "300 jobs" in s)
    unemployment = next(s for s in said if "12 percent" in s)
    assert said[harbour] == said[jobs] == "Ana Ruiz"
    assert said[unemployment] == "Ben Okafor"
    # Every sentence is recorded with its speaker and score, claim or not.
    statements = AttributedStatement.objects.filter(source=source)
    assert statements.count() == len(result.outcomes)
    assert all(s.score is not None and s.cue == "transcript" for s in statements)
    assert {s.role for s in statements if s.speaker.name == "Ana Ruiz"} == {"Mayor"}


def test_a_transcripts_speaker_is_the_same_speaker_across_sources(editor):
    source_ingest(actor=editor, text=DEBATE, format=Format.TRANSCRIPT)
    result = source_ingest(actor=editor, text=VTT)  # captions need no explicit kind
    ruiz = {
        o.claim.appearances.get(source=result.source).speaker for o in result.outcomes if o.claim
    }
    first = AttributedStatement.objects.filter(speaker__name="Ana Ruiz").first().speaker
    assert first in ruiz


def test_caption_claims_keep_the_turns_time_code(editor):
    result = source_ingest(actor=editor, text=SRT)
    times = {s.quote: s.timecode for s in AttributedStatement.objects.filter(source=result.source)}
    (unemployment,) = [q for q in times if "12 percent" in q]
    assert times[unemployment] == dt.timedelta(seconds=6)
    assert result.source.text.startswith("[00:00:01.000] Ana Ruiz: ")
    again = source_ingest(actor=editor, text=SRT)
    assert not again.source_created and not again.created


def test_the_report_ranks_every_sentence_by_score_with_its_speaker(
    editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = ingest_job_create(
            actor=editor,
            upload=SimpleUploadedFile("debate.vtt", VTT.encode(), content_type="text/vtt"),
        )
    job.refresh_from_db()
    assert job.status == IngestStatus.DONE and job.format == Format.TRANSCRIPT
    ranking = transcript_ranking(job)
    scores = [row.statement.score for row in ranking]
    assert scores == sorted(scores, reverse=True) and len(ranking) == 2
    assert [row.rank for row in ranking] == [1, 2]
    by_speaker = {row.statement.speaker.name: row for row in ranking}
    assert by_speaker["Ben Okafor"].time == "00:01:05.200"
    assert by_speaker["Ana Ruiz"].claim is not None  # "$45 million a year" is a figure


def test_clef_rows_ingest_with_the_debates_speakers(editor):
    result = source_ingest(actor=editor, text=clef_rows(40), format=Format.TRANSCRIPT)
    speakers = set(
        AttributedStatement.objects.filter(source=result.source).values_list(
            "speaker__name", flat=True
        )
    )
    assert {"Todd", "Maddow"} <= speakers
    assert "(APPLAUSE)" not in " ".join(o.candidate.statement for o in result.outcomes)


def test_an_unreadable_transcript_is_refused_when_the_job_is_created(editor):
    with pytest.raises(ValidationError) as refused:
        ingest_job_create(actor=editor, text="no speakers here at all.", format=Format.TRANSCRIPT)
    assert "No speaker-labelled lines" in refused.value.message_dict["text"][0]
    with pytest.raises(ValidationError) as refused:
        ingest_job_create(
            actor=editor,
            upload=SimpleUploadedFile("bad.srt", b"1\n00:00:01,000 --> 00:00:02,000\n\n"),
        )
    assert "no lines" in refused.value.message_dict["upload"][0]


def test_the_command_ingests_a_transcript_file_and_prints_speakers_ranked(editor, tmp_path):
    path = tmp_path / "debate.txt"
    path.write_text(DEBATE, encoding="utf-8")
    out = StringIO()
    call_command("ingest", str(path), "--kind", "transcript", "--user", editor.username, stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line[:4].replace(".", "").isdigit()]
    scores = [float(line.split()[0]) for line in lines]
    assert scores == sorted(scores, reverse=True)
    assert any("Ana Ruiz: " in line and "$45 million" in line for line in lines)
    empty = tmp_path / "empty.vtt"
    empty.write_text("WEBVTT\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no lines"):
        call_command("ingest", str(empty), "--user", editor.username, stdout=StringIO())
