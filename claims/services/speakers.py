"""Speakers across articles, and every statement an article attributes to one.

:func:`speakers_resolve` finds the speaker an article names by the desk's aliases, so "Joe
Biden", "Biden" and "President Biden" are one speaker; :func:`statements_record` stores each
attributed sentence with its speaker, claim or not.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from claims.history import signed_in
from claims.models import (
    AliasKind,
    AttributedStatement,
    Attribution,
    Source,
    Speaker,
    SpeakerAlias,
    SpeakerKind,
    name_key,
)
from claims.services.records import SpeakerRef
from claims.services.sources import speaker_aliases_add, speaker_key, speakers_get_or_create

# A speaker as an article names it: the same as a record's.
SpeakerName = SpeakerRef


@dataclass(frozen=True)
class StatementData:
    """One attributed sentence: its exact span of the source's text, and who said it."""

    start: int
    end: int
    quote: str
    speaker: SpeakerName
    attribution: str = Attribution.SAID
    cue: str = ""
    quoted: bool = False
    score: float | None = None  # check-worthiness, 0–1
    timecode: dt.timedelta | None = None  # a caption's turn start


def speakers_resolve(names: Sequence[SpeakerName]) -> list[Speaker]:
    """The stored speaker for each name, in order, matched across articles.

    1. Fold each name (:func:`~claims.models.name_key`: case, accents, leading titles) and look
       every key up among the aliases, one query.
    2. A full name is the speaker that has it as an alias (the oldest, if several do).
    3. A lone surname ("Biden", "President Biden") is the one person with that surname, if the
       desk knows exactly one; a full name is also the one speaker so far known only by its
       surname, and that full name becomes its alias.
    4. The rest are created through :func:`~claims.services.speakers_get_or_create` (one row
       per name and role), which records their aliases.
    """
    keys = {n: name_key(n.name) for n in names}
    wanted = set(keys.values()) | {k.split()[-1] for k in keys.values() if k}
    by_key: dict[tuple[str, str], set[int]] = defaultdict(set)
    for alias in SpeakerAlias.objects.filter(key__in=wanted).only("speaker_id", "key", "kind"):
        by_key[alias.key, alias.kind].add(alias.speaker_id)
    chosen: dict[SpeakerName, int] = {}
    renamed: list[tuple[int, str]] = []
    for named, key in keys.items():
        if not key:
            continue
        tokens = key.split()
        exact = by_key.get((key, AliasKind.NAME), set())
        surname = by_key.get((key, AliasKind.SURNAME), set()) if len(tokens) == 1 else set()
        if exact:
            chosen[named] = min(exact)
        elif len(surname) == 1:
            chosen[named] = next(iter(surname))
        elif len(tokens) > 1 and named.kind == SpeakerKind.PERSON:
            known_by_surname = by_key.get((tokens[-1], AliasKind.NAME), set())
            if len(known_by_surname) == 1:
                chosen[named] = next(iter(known_by_surname))
                renamed.append((chosen[named], named.name))
    stored = Speaker.objects.in_bulk(set(chosen.values()))
    chosen = {n: pk for n, pk in chosen.items() if pk in stored}
    if renamed:
        speaker_aliases_add([], [(stored[pk], name) for pk, name in renamed if pk in stored])
    new = [n for n in names if n not in chosen and keys[n]]
    created = speakers_get_or_create((n.name, n.role, n.kind) for n in new)
    return [
        stored[chosen[n]] if n in chosen else created[speaker_key(n.name, n.role)] for n in names
    ]


def statements_record(
    *, actor: AbstractBaseUser | None, source: Source, statements: Sequence[StatementData]
) -> dict[SpeakerName, Speaker]:
    """Store each attributed sentence of ``source`` with its speaker, together with any new
    speakers; the speaker each name resolved to. A span already recorded is left as it is."""
    names = list(dict.fromkeys(s.speaker for s in statements))
    for statement in statements:
        if source.text[statement.start : statement.end] != statement.quote:
            raise ValueError(f"The quote is not the source's text at {statement.start}.")
    with transaction.atomic():
        speakers = dict(zip(names, speakers_resolve(names), strict=True))
        AttributedStatement.objects.bulk_create(
            [
                AttributedStatement(
                    source=source,
                    speaker=speakers[s.speaker],
                    quote=s.quote,
                    start=s.start,
                    end=s.end,
                    attribution=s.attribution,
                    role=s.speaker.role[:300],
                    cue=s.cue[:20],
                    quoted=s.quoted,
                    score=s.score,
                    timecode=s.timecode,
                    created_by=signed_in(actor),
                )
                for s in statements
            ],
            ignore_conflicts=True,
        )
    return speakers
