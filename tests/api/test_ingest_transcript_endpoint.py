"""POST /api/v1/ingest/ takes a transcript (``kind: transcript`` for pasted lines, or a .vtt,
.srt, .tsv or .csv upload) and the job's result ranks its sentences by score, with speaker, time
code and claim; an empty or unreadable transcript is a 400 in the API's error shape."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import AttributedStatement, IngestJob, IngestStatus, Source, SourceKind

pytestmark = pytest.mark.django_db

INGEST = "/api/v1/ingest/"

DEBATE = """MODERATOR: Let us begin with the harbour.
ANA RUIZ: The city will spend $45 million a year on the harbour.
I think that is the right thing to do.
BEN OKAFOR: Unemployment in the port district rose to 12 percent last year.
(APPLAUSE)
MODERATOR: Thank you both.
"""

VTT = """WEBVTT

00:00:02.000 --> 00:00:05.000
<v Ana Ruiz>The city will spend $45 million

00:00:05.000 --> 00:00:08.000
<v Ana Ruiz>a year on the harbour.

00:00:09.500 --> 00:00:12.000
<v Ben Okafor>Thank you.
"""


@pytest.fixture
def as_editor(api, editor):
    return api(editor)


@pytest.fixture
def ingest(as_editor, django_capture_on_commit_callbacks):
    def post(data, format: str = "json"):
        with django_capture_on_commit_callbacks(execute=True):
            return as_editor.post(INGEST, data, format=format)

    return post


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def test_pasted_lines_with_kind_transcript_rank_every_sentence_with_its_speaker(ingest, as_editor):
    response = ingest({"text": DEBATE, "kind": "transcript", "title": "Harbour debate"})
    assert response.status_code == 202

    job = as_editor.get(f"{INGEST}{response.json()['id']}/").json()

    assert job["status"] == IngestStatus.DONE and job["format"] == "transcript"
    assert Source.objects.get().kind == SourceKind.TRANSCRIPT
    sentences = job["result"]["sentences"]
    assert len(sentences) == AttributedStatement.objects.count() == 5
    assert [s["rank"] for s in sentences] == [1, 2, 3, 4, 5]
    scores = [s["score"] for s in sentences]
    assert scores == sorted(scores, reverse=True)
    by_text = {s["quote"]: s for s in sentences}
    money = by_text["The city will spend $45 million a year on the harbour."]
    assert money["speaker"]["name"] == "Ana Ruiz" and money["became_claim"] is True
    assert money["claim"] in {c["claim"] for c in job["result"]["candidates"]}
    thanks = by_text["Thank you both."]
    assert thanks["speaker"]["name"] == "Moderator"
    assert (thanks["became_claim"], thanks["claim"], thanks["time"]) == (False, None, None)
    candidate = next(c for c in job["result"]["candidates"] if c["claim"] == money["claim"])
    assert candidate["speaker"]["name"] == "Ana Ruiz" and candidate["attribution"] == "said"


def test_an_uploaded_webvtt_file_merges_cues_and_shows_their_time_codes(ingest, as_editor):
    upload = SimpleUploadedFile("harbour.vtt", VTT.encode(), content_type="text/vtt")
    job_id = ingest({"file": upload}, format="multipart").json()["id"]

    sentences = as_editor.get(f"{INGEST}{job_id}/").json()["result"]["sentences"]

    by_speaker = {s["speaker"]["name"]: s for s in sentences}
    assert by_speaker["Ana Ruiz"]["quote"] == (
        "The city will spend $45 million a year on the harbour."
    )
    assert by_speaker["Ana Ruiz"]["time"] == "00:00:02.000"
    assert by_speaker["Ben Okafor"]["time"] == "00:00:09.500"


def test_an_articles_result_has_no_sentence_ranking(ingest, as_editor):
    job_id = ingest({"text": "Fares rose by 8 percent in March, the operator said.\n"}).json()["id"]
    assert as_editor.get(f"{INGEST}{job_id}/").json()["result"]["sentences"] is None


@pytest.mark.parametrize(
    "data, format, field",
    [
        ({"text": "nobody is named in this text.", "kind": "transcript"}, "json", "text"),
        ({"text": "(APPLAUSE)\n[CROSSTALK]\n", "kind": "transcript"}, "json", "text"),
        ({"text": "WEBVTT\n\nNOTE no cues\n"}, "json", "text"),
        (
            {"file": SimpleUploadedFile("empty.srt", b"1\n00:00:01,000 --> 00:00:02,000\n\n")},
            "multipart",
            "file",
        ),
        (
            {"file": SimpleUploadedFile("rows.tsv", b"line_number\tspeaker\n1\tTODD\n")},
            "multipart",
            "file",
        ),
    ],
)
def test_an_empty_or_unreadable_transcript_is_a_400_naming_the_field(ingest, data, format, field):
    response = ingest(data, format=format)

    assert response.status_code == 400
    error = error_of(response)
    assert field in error["fields"] and error["fields"][field][0]
    assert not IngestJob.objects.exists()


def test_an_unknown_kind_is_a_400(ingest):
    response = ingest({"text": DEBATE, "kind": "podcast"})
    assert response.status_code == 400 and "kind" in error_of(response)["fields"]
