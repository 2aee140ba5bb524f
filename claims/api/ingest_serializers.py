"""Ingest jobs and ingestion's matches as the API shows them, and what an ingest request takes.
A job's result is read from what the desk holds now, not from a copy kept on the job."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.api.serializers import QuantitySerializer, SpeakerSerializer
from claims.extraction.jobs import UPLOAD_FORMATS
from claims.models import (
    Appearance,
    Attribution,
    ClaimMatch,
    ClaimState,
    IngestJob,
    IngestKind,
    SourceKind,
)
from claims.selectors import (
    CandidateOutcome,
    RankedSentence,
    candidate_outcome,
    ingest_job_appearances,
    transcript_ranking,
)
from config.api.fields import InputSerializer, username_field

# How the API reads what it is given (``kind``): the source kinds ingestion tells apart.
READ_AS = [
    (SourceKind.ARTICLE.value, SourceKind.ARTICLE.label),
    (SourceKind.TRANSCRIPT.value, SourceKind.TRANSCRIPT.label),
]

# --- Input ------------------------------------------------------------------------------------


class IngestMetadataSerializer(InputSerializer):
    """What the caller knows of the article; empty fields are read from the document."""

    title = serializers.CharField(max_length=500, allow_blank=True, default="")
    publisher = serializers.CharField(max_length=200, allow_blank=True, default="")
    author = serializers.CharField(max_length=200, allow_blank=True, default="")
    published_on = serializers.DateField(allow_null=True, default=None)
    kind = serializers.ChoiceField(
        choices=READ_AS,
        required=False,
        help_text="`transcript`: read the text as a transcript (`SPEAKER: text` lines, CLEF "
        "TSV/CSV rows, WebVTT or SRT captions), each line's speaker becoming its claims' "
        "speaker. By default a .vtt, .srt, .tsv or .csv file, or pasted captions, are read as "
        "a transcript, anything else as an article.",
    )


class IngestInputSerializer(IngestMetadataSerializer):
    """An article as JSON: its text, or its URL (exactly one)."""

    text = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text="The article: plain text, Markdown or HTML (HTML is reduced to its text).",
    )
    url = serializers.URLField(
        required=False,
        max_length=2000,
        help_text="An http(s) address; a worker fetches it, with a timeout and a size limit.",
    )


class IngestUploadSerializer(IngestMetadataSerializer):
    """An article as a multipart upload."""

    file = serializers.FileField(
        help_text=f"A text, Markdown, HTML or transcript file ({UPLOAD_FORMATS}), UTF-8; or a "
        "part typed text/plain, text/markdown, text/html, text/vtt, text/csv or "
        "text/tab-separated-values."
    )


# --- Matches ----------------------------------------------------------------------------------


class MatchBriefSerializer(serializers.ModelSerializer):
    """A match as a job's result lists it: which existing claim, how alike, what was decided."""

    existing_statement = serializers.CharField(source="existing.statement", read_only=True)
    existing_state = serializers.ChoiceField(
        source="existing.state", choices=ClaimState.choices, read_only=True
    )
    decided_by = username_field("The editor who confirmed or rejected it.")

    class Meta:
        model = ClaimMatch
        fields = [
            "id",
            "existing",
            "existing_statement",
            "existing_state",
            "score",
            "words",
            "shared_figures",
            "outcome",
            "decided_by",
            "decided_at",
        ]


class ClaimMatchSerializer(MatchBriefSerializer):
    """An appearance ingestion found like an existing claim: a suggestion for the desk to
    confirm or reject, or an automatic attachment, and what was decided."""

    claim = serializers.IntegerField(
        source="appearance.claim_id",
        read_only=True,
        help_text="The claim the appearance belongs to now (the existing claim once confirmed).",
    )
    source = serializers.IntegerField(source="appearance.source_id", read_only=True)
    source_title = serializers.CharField(source="appearance.source.title", read_only=True)
    quote = serializers.CharField(source="appearance.quote", read_only=True)

    class Meta(MatchBriefSerializer.Meta):
        fields = [
            "id",
            "appearance",
            "claim",
            "source",
            "source_title",
            "quote",
            *MatchBriefSerializer.Meta.fields[1:],
            "created_at",
        ]


# --- Jobs -------------------------------------------------------------------------------------


class IngestCandidateSerializer(serializers.ModelSerializer):
    """One sentence of the article the desk holds as an appearance of a claim."""

    appearance = serializers.IntegerField(source="id", read_only=True)
    outcome = serializers.SerializerMethodField()
    claim = serializers.IntegerField(source="claim_id", read_only=True)
    claim_state = serializers.ChoiceField(
        source="claim.state", choices=ClaimState.choices, read_only=True
    )
    statement = serializers.CharField(source="claim.statement", read_only=True)
    score = serializers.FloatField(
        source="claim.checkworthiness",
        read_only=True,
        allow_null=True,
        help_text="The claim's check-worthiness, 0–1.",
    )
    quantities = QuantitySerializer(source="claim.quantities", many=True, read_only=True)
    speaker = SpeakerSerializer(read_only=True, allow_null=True)
    attribution = serializers.ChoiceField(choices=Attribution.choices, read_only=True)
    matches = MatchBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Appearance
        fields = [
            "appearance",
            "outcome",
            "claim",
            "claim_state",
            "statement",
            "score",
            "quantities",
            "quote",
            "start",
            "end",
            "speaker",
            "attribution",
            "note",
            "matches",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=CandidateOutcome.choices))
    def get_outcome(self, appearance: Appearance) -> str:
        return candidate_outcome(appearance, self.context["job"])


class TranscriptSentenceSerializer(serializers.Serializer):
    """One sentence of a transcript, ranked by check-worthiness, claim or not."""

    rank = serializers.IntegerField(help_text="1 is the most check-worthy.")
    statement = serializers.IntegerField(source="statement.id", help_text="Its statement row.")
    quote = serializers.CharField(source="statement.quote")
    start = serializers.IntegerField(source="statement.start")
    end = serializers.IntegerField(source="statement.end")
    speaker = SpeakerSerializer(source="statement.speaker")
    score = serializers.FloatField(source="statement.score", allow_null=True)
    time = serializers.SerializerMethodField(
        help_text="Where its turn starts in the recording (captions), HH:MM:SS.mmm."
    )
    claim = serializers.IntegerField(source="claim.id", allow_null=True, default=None)
    claim_state = serializers.ChoiceField(
        source="claim.state", choices=ClaimState.choices, allow_null=True, default=None
    )
    became_claim = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_time(self, row: RankedSentence) -> str | None:
        return row.time or None

    @extend_schema_field(serializers.BooleanField())
    def get_became_claim(self, row: RankedSentence) -> bool:
        return row.claim is not None


class IngestResultSerializer(serializers.Serializer):
    source = serializers.IntegerField(help_text="The stored source (the same text is one source).")
    source_title = serializers.CharField()
    candidates = IngestCandidateSerializer(many=True)
    sentences = TranscriptSentenceSerializer(
        many=True,
        allow_null=True,
        help_text="A transcript's sentences, most check-worthy first, each with its speaker, "
        "score, time code and claim (if it became one); null for an article.",
    )


class IngestJobSerializer(serializers.ModelSerializer):
    """An ingest job: what was given, where the worker is, and what it made."""

    url = serializers.SerializerMethodField(help_text="The URL given; null for text or a file.")
    created_by = username_field()

    class Meta:
        model = IngestJob
        fields = [
            "id",
            "status",
            "kind",
            "url",
            "title",
            "publisher",
            "author",
            "published_on",
            "format",
            "done",
            "total",
            "created_count",
            "attached_count",
            "suggested_count",
            "skipped_count",
            "attempts",
            "error",
            "source",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, job: IngestJob) -> str | None:
        if hasattr(job, "given_url"):  # the views' queryset leaves the article text unread
            return job.given_url
        return job.input if job.kind == IngestKind.URL else None


class IngestJobDetailSerializer(IngestJobSerializer):
    result = serializers.SerializerMethodField(
        help_text="Null until the job has stored its source; then the article's sentences the "
        "desk holds, each with its claim, score, figures, speaker and matches."
    )

    class Meta(IngestJobSerializer.Meta):
        fields = [*IngestJobSerializer.Meta.fields, "result"]

    @extend_schema_field(IngestResultSerializer(allow_null=True))
    def get_result(self, job: IngestJob) -> dict[str, Any] | None:
        if job.source_id is None:
            return None
        candidates = IngestCandidateSerializer(
            ingest_job_appearances(job), many=True, context={**self.context, "job": job}
        )
        ranking = transcript_ranking(job)
        return {
            "source": job.source_id,
            "source_title": job.source.title,
            "candidates": candidates.data,
            "sentences": TranscriptSentenceSerializer(ranking, many=True).data
            if job.source.kind == SourceKind.TRANSCRIPT
            else None,
        }
