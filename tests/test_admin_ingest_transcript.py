"""The admin's ingest page reads pasted text as a transcript when asked, and the job's page ranks
the transcript's sentences by score with speaker, time code and claim; a transcript with no
speaker is a form error on the page, never a server error."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import IngestJob, IngestStatus, SourceKind

pytestmark = pytest.mark.django_db

DEBATE = """ANA RUIZ: The city will spend $45 million a year on the harbour.
BEN OKAFOR: Thank you.
"""

SRT = """1
00:01:02,500 --> 00:01:05,000
ANA RUIZ: The city will spend $45 million

2
00:01:05,000 --> 00:01:07,000
a year on the harbour.
"""


def post(client, data, capture):
    with capture(execute=True):
        return client.post(reverse("admin:claims_ingestjob_ingest"), data)


def test_pasted_lines_read_as_a_transcript_are_ranked_on_the_jobs_page(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)

    response = post(
        client, {"text": DEBATE, "kind": "transcript"}, django_capture_on_commit_callbacks
    )

    job = IngestJob.objects.get()
    assert response.status_code == 302 and job.status == IngestStatus.DONE
    assert job.source.kind == SourceKind.TRANSCRIPT
    page = client.get(response.url)
    ranking = page.context["ranking"]
    assert [row.statement.speaker.name for row in ranking] == ["Ana Ruiz", "Ben Okafor"]
    html = page.content.decode()
    assert 'id="ranking"' in html and "not a claim" in html
    assert reverse("admin:claims_claim_change", args=[ranking[0].claim.pk]) in html


def test_an_uploaded_srt_file_shows_its_time_codes(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    upload = SimpleUploadedFile("harbour.srt", SRT.encode(), content_type="application/x-subrip")

    response = post(client, {"upload": upload}, django_capture_on_commit_callbacks)

    page = client.get(response.url)
    (row,) = page.context["ranking"]
    assert row.time == "00:01:02.500" and "00:01:02.500" in page.content.decode()


def test_an_article_has_no_ranking_table(client, editor, django_capture_on_commit_callbacks):
    client.force_login(editor)
    text = "Fares rose by 8 percent in March, the operator said.\n"
    response = post(client, {"text": text}, django_capture_on_commit_callbacks)
    page = client.get(response.url)
    assert page.context["ranking"] == [] and 'id="ranking"' not in page.content.decode()


def test_a_transcript_without_a_speaker_is_a_form_error(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)

    response = post(
        client,
        {"text": "nobody is named here.", "kind": "transcript"},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 200
    assert "No speaker-labelled lines" in response.content.decode()
    assert not IngestJob.objects.exists()
