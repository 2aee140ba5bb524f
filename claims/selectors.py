"""Reads of claims, shaped for lists and pages without N+1 queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import F, Prefetch, Q, QuerySet

from claims.extraction.transcripts import timecode
from claims.models import (
    Appearance,
    AttributedStatement,
    Claim,
    ClaimMatch,
    IngestJob,
    MatchOutcome,
    Quantity,
    SourceKind,
    Topic,
)


def claim_list() -> QuerySet[Claim]:
    """Claims as the API shows them, a page in four queries: the submitter's and publisher's
    usernames annotated, topics, figures and appearances prefetched into ``shown_*`` lists
    (``to_attr``: filling a relation's cache builds a queryset per claim, which cost more than
    the rest on a page of 50). What is not shown is not read."""
    appearances = (
        Appearance.objects.select_related("source", "speaker")
        .only(
            "claim",
            "source__title",
            "quote",
            "start",
            "end",
            "speaker__name",
            "speaker__kind",
            "speaker__role",
            "attribution",
            "note",
            "created_at",
        )
        .order_by(*Appearance._meta.ordering, "id")
    )
    return Claim.objects.annotate(
        submitted_by_username=F("submitted_by__username"),
        published_by_username=F("published_by__username"),
    ).prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name", "slug"), to_attr="shown_topics"),
        Prefetch("quantities", queryset=Quantity.objects.all(), to_attr="shown_quantities"),
        Prefetch("appearances", queryset=appearances, to_attr="shown_appearances"),
    )


def claim_matches_list() -> QuerySet[ClaimMatch]:
    """Matches with both sides and the decision, ready to show: the appearance (its claim,
    source and speaker) and the existing claim it was matched to."""
    return ClaimMatch.objects.select_related(
        "appearance__claim",
        "appearance__source",
        "appearance__speaker",
        "appearance__created_by",
        "existing",
        "decided_by",
    ).defer("appearance__source__text")


def claim_matches(claim: Claim) -> QuerySet[ClaimMatch]:
    """Ingestion's matches that concern ``claim``, both ways (its appearances, now or before a
    confirmed duplicate moved them, and other claims' matched to it), best first."""
    return claim_matches_list().filter(concerning_claim(claim.pk))


def concerning_claim(claim_id: int) -> Q:
    """The matches of :func:`claim_matches`, as a filter on ``ClaimMatch``."""
    ever_its_own = Appearance.history.filter(claim_id=claim_id).values("id")
    return (
        Q(appearance__claim_id=claim_id)
        | Q(existing_id=claim_id)
        | Q(appearance_id__in=ever_its_own)
    )


def ingest_job_appearances(job: IngestJob) -> list[Appearance]:
    """Each appearance in a job's source, in the article's order, with its claim, speaker and
    matches (five queries); empty until the job has stored its source."""
    if job.source_id is None:
        return []
    matches = ClaimMatch.objects.select_related("existing", "decided_by")
    return list(
        Appearance.objects.filter(source_id=job.source_id)
        .select_related("claim", "speaker")
        .prefetch_related(
            "claim__quantities",
            Prefetch("matches", queryset=matches),
        )
        .order_by("start", "end", "id")
    )


class CandidateOutcome(models.TextChoices):
    """What an ingest job did with a sentence the desk holds from its article."""

    CREATED = "created", "A new claim in state new, made by this job"
    ATTACHED = "attached", "A new appearance of an existing claim, made by this job"
    ALREADY = "already", "Extracted before this job (the same article was ingested before)"


def candidate_outcome(appearance: Appearance, job: IngestJob) -> str:
    """Read from the rows (and the prefetched matches of :func:`ingest_job_appearances`): older
    than the job, extracted before; with an "attached" match, attached; else created."""
    if appearance.created_at < job.created_at:
        return CandidateOutcome.ALREADY
    if any(m.outcome == MatchOutcome.ATTACHED for m in appearance.matches.all()):
        return CandidateOutcome.ATTACHED
    return CandidateOutcome.CREATED


@dataclass(frozen=True)
class RankedSentence:
    """A transcript's sentence in the ingestion report: what was said, by whom, its score and
    time code (on ``statement``), and the claim it is an appearance of, if it became one."""

    rank: int
    statement: AttributedStatement
    claim: Claim | None

    @property
    def time(self) -> str:
        """The turn's time code ("00:01:05.200"), or "" outside captions."""
        return timecode(self.statement.timecode)


def transcript_ranking(job: IngestJob) -> list[RankedSentence]:
    """A transcript job's attributed sentences, most check-worthy first (ties in order), each
    with its speaker and the claim at its span (two queries); empty for an article, or until
    the job has stored its source."""
    if job.source_id is None or job.source.kind != SourceKind.TRANSCRIPT:
        return []
    statements = (
        AttributedStatement.objects.filter(source_id=job.source_id)
        .select_related("speaker")
        .order_by(F("score").desc(nulls_last=True), "start", "id")
    )
    claims = {
        (a.start, a.end): a.claim
        for a in Appearance.objects.filter(source_id=job.source_id)
        .select_related("claim")
        .only("start", "end", "claim__id", "claim__state", "claim__statement")
    }
    return [
        RankedSentence(rank, statement, claims.get((statement.start, statement.end)))
        for rank, statement in enumerate(statements, start=1)
    ]
