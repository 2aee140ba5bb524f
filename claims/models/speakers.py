"""Who said what, across articles: a speaker's aliases (:class:`SpeakerAlias`, keyed by
:func:`name_key`, so the next article's "Biden" finds the same speaker) and every sentence an
article attributes to someone (:class:`AttributedStatement`), claim or not.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length

from claims.models.claims import user_field
from claims.models.sources import Attribution, Source, Speaker

# Words in front of a name that are not part of it ("President Biden", "Dr. Kessler").
_TITLE_WORDS = frozenset(
    [
        "president",
        "vice",
        "prime",
        "minister",
        "secretary",
        "general",
        "gen",
        "lt",
        "adm",
        "admiral",
        "col",
        "colonel",
        "representative",
        "rep",
        "senator",
        "sen",
        "governor",
        "gov",
        "mayor",
        "chancellor",
        "ambassador",
        "judge",
        "justice",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "sr",
        "sra",
        "dra",
        "presidente",
        "presidenta",
        "ministro",
        "ministra",
        "governador",
        "governadora",
        "prefeito",
        "prefeita",
        "alcalde",
        "alcaldesa",
        "gobernador",
        "gobernadora",
        "deputado",
        "deputada",
        "diputado",
        "diputada",
        "senador",
        "senadora",
        "the",
        "o",
        "a",
        "el",
        "la",
        "sir",
        "dame",
        "lord",
    ]
)


def name_key(name: str) -> str:
    """A name as speakers are matched by: accents, case, punctuation and leading titles gone
    ("President Joe Biden" → "joe biden"; "Ramón Ibarra" → "ramon ibarra")."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    tokens = re.sub(r"[^\w\s-]", " ", folded).replace("’", " ").split()
    while len(tokens) > 1 and tokens[0] in _TITLE_WORDS:
        tokens.pop(0)
    return " ".join(tokens)[:200]


class AliasKind(models.TextChoices):
    NAME = "name", "Full name"
    SURNAME = "surname", "Surname"  # used only while it points at one speaker


class SpeakerAlias(models.Model):
    """A name a speaker is called by, as :func:`name_key` folds it."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    key = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=AliasKind.choices, default=AliasKind.NAME)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["speaker", "key"], name="speaker_alias_unique"),
            models.CheckConstraint(condition=~Q(key=""), name="speaker_alias_nonempty"),
        ]
        # speaker_resolve looks a batch of keys up: WHERE key IN (…).
        indexes = [models.Index(fields=["key"], name="speaker_alias_key")]

    def __str__(self) -> str:
        return self.key


class AttributedStatement(models.Model):
    """A sentence of a source that the source attributes to a speaker, at its exact span."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="statements")
    speaker = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="statements")
    quote = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    attribution = models.CharField(
        max_length=10, choices=Attribution.choices, default=Attribution.SAID
    )
    role = models.CharField(max_length=300, blank=True, help_text="The role this source gives.")
    cue = models.CharField(max_length=20, blank=True, help_text="How the speaker was found.")
    quoted = models.BooleanField(default=False, help_text="In quotation marks.")
    # The ingestion report ranks a transcript's sentences by these, claims or not.
    score = models.FloatField(null=True, blank=True, help_text="Check-worthiness, 0–1.")
    timecode = models.DurationField(
        null=True, blank=True, help_text="Where the turn starts in the recording (captions)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = user_field()

    class Meta:
        ordering = ["source_id", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "start", "end"], name="statement_unique_span"
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("quote")), name="statement_span_matches_quote"
            ),
        ]
        # "Everything X said": a speaker's statements, newest source first.
        indexes = [models.Index(fields=["speaker", "source"], name="statement_speaker_source")]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.quote[:60]}"
