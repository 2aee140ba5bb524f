"""Where a claim was made and by whom: the sources, the speakers, and each appearance (the
verbatim quote at its exact character span in a source's text)."""

from __future__ import annotations

import hashlib
import unicodedata

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from simple_history.models import HistoricalRecords

from claims.models.claims import Claim, user_field


class SourceKind(models.TextChoices):
    ARTICLE = "article", "Article"
    TRANSCRIPT = "transcript", "Transcript"
    SOCIAL_POST = "social_post", "Social media post"
    REPORT = "report", "Report"
    OTHER = "other", "Other"


def content_hash_of(text: str) -> str:
    """SHA-256 of the text after Unicode NFC normalisation and whitespace folding.

    Two copies of an article that differ only in line wrapping or trailing spaces hash alike,
    so the same text is never stored twice.
    """
    folded = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


class Source(models.Model):
    """A document claims appear in: an article, a transcript, a social post, a report."""

    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.ARTICLE)
    url = models.URLField(max_length=2000, unique=True, null=True, blank=True)
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=16, default="en")
    text = models.TextField(blank=True)
    # NULL when there is no text (a URL-only source), so the unique index ignores those rows.
    content_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = user_field()

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") & ~Q(content_hash=""), name="source_no_empty_keys"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SpeakerKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"


class Speaker(models.Model):
    """A person or organisation a claim is attributed to, with the role the source gives."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SpeakerKind.choices, default=SpeakerKind.PERSON)
    role = models.CharField(
        max_length=300, blank=True, help_text="Role or affiliation, as the source gives it."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "role"], name="speaker_unique_name_role"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


class Attribution(models.TextChoices):
    SAID = "said", "The speaker said it"
    REPORTED = "reported", "The source reports it"
    ASSERTED = "asserted", "The author asserts it"


class Appearance(models.Model):
    """One place a claim was made: the verbatim quote at an exact span of a source's text."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="appearances")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="appearances")
    quote = models.TextField()
    start = models.PositiveIntegerField(help_text="Offset of the quote's first character.")
    end = models.PositiveIntegerField(help_text="Offset just past the quote's last character.")
    speaker = models.ForeignKey(
        Speaker, null=True, blank=True, on_delete=models.PROTECT, related_name="appearances"
    )
    attribution = models.CharField(max_length=10, choices=Attribution.choices)
    note = models.TextField(
        blank=True, help_text='Hedges the source attaches ("impossible to confirm").'
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = user_field()
    history = HistoricalRecords()

    class Meta:
        ordering = ["source_id", "start"]
        constraints = [
            # The span's length must be the quote's; that the characters match is checked in
            # claims.services, which can read the source's text.
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("quote")), name="appearance_span_matches_quote"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="appearance_span_nonempty"
            ),
            models.UniqueConstraint(
                fields=["claim", "source", "start", "end"], name="appearance_unique_span"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} [{self.start}:{self.end}]"
