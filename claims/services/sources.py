"""Rows many claims share: sources, speakers and topics, each stored once.

Each kind is found or created a batch at a time (one query to look up, one insert for the
missing rows); the one-at-a-time functions are the same code with a batch of one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from claims.history import signed_in
from claims.models import (
    AliasKind,
    Source,
    SourceKind,
    Speaker,
    SpeakerAlias,
    SpeakerKind,
    Topic,
    content_hash_of,
    name_key,
)
from claims.signals import sources_created

TOPIC_SLUG_MAX = Topic._meta.get_field("slug").max_length

# (name, role): what makes a speaker the same speaker.
SpeakerKey = tuple[str, str]


@dataclass
class SourceResult:
    source: Source
    created: bool


def source_build(
    *,
    actor: AbstractBaseUser | None,
    title: str,
    text: str = "",
    url: str | None = None,
    kind: str = SourceKind.ARTICLE,
    publisher: str = "",
    author: str = "",
    published_on: dt.date | None = None,
    language: str = "en",
) -> Source:
    """A source as :func:`sources_get_or_create` stores it, field-validated, not saved; its
    text hashed whitespace-folded (``content_hash_of``), so line wrapping makes no new source."""
    url = url or None
    source = Source(
        title=title.strip(),
        text=text,
        url=url,
        kind=kind,
        publisher=publisher,
        author=author,
        published_on=published_on,
        language=language,
        content_hash=content_hash_of(text) if text.strip() else None,
        created_by=signed_in(actor),
    )
    # The creator is the signed-in actor: no query to check that row exists.
    source.full_clean(exclude=["created_by"], validate_unique=False, validate_constraints=False)
    return source


def sources_get_or_create(sources: Sequence[Source]) -> list[SourceResult]:
    """Store each built source (:func:`source_build`) once; one result per source, in order.

    1. A source whose text hash (else URL) is stored, or repeats an earlier one of the batch,
       is that row, untouched (``created=False``).
    2. The rest are inserted together. If a concurrent writer stored one meanwhile, the unique
       index refuses: the batch is stored a source at a time, and the loser finds the winner.
    """
    hashes = {s.content_hash for s in sources if s.content_hash}
    urls = {s.url for s in sources if s.url}
    by_hash = {s.content_hash: s for s in Source.objects.filter(content_hash__in=hashes)}
    by_url = {s.url: s for s in Source.objects.filter(url__in=urls)} if urls else {}
    results: list[SourceResult] = []
    new: list[Source] = []
    for built in sources:
        found = by_hash.get(built.content_hash) if built.content_hash else None
        if found is None and built.url:
            found = by_url.get(built.url)
        if found is not None:
            results.append(SourceResult(found, created=False))
            continue
        new.append(built)
        results.append(SourceResult(built, created=True))
        if built.content_hash:
            by_hash[built.content_hash] = built
        if built.url:
            by_url[built.url] = built
    if not new:
        return results
    try:
        with transaction.atomic():
            Source.objects.bulk_create(new)
            sources_created.send(sender=Source, sources=new)
    except IntegrityError:
        if len(sources) > 1:
            return [sources_get_or_create([built])[0] for built in sources]
        built = sources[0]
        existing = _source_lookup(url=built.url, content_hash=built.content_hash)
        if existing is None:
            raise
        return [SourceResult(existing, created=False)]
    return results


def _source_lookup(*, url: str | None, content_hash: str | None) -> Source | None:
    """The stored source with this text (else this URL): the winner of a lost race."""
    if content_hash:
        found = Source.objects.filter(content_hash=content_hash).first()
        if found:
            return found
    if url:
        return Source.objects.filter(url=url).first()
    return None


def source_get_or_create(*, actor: AbstractBaseUser | None, **given: Any) -> SourceResult:
    """Store a source once (:func:`source_build`'s ``given``): the same text or URL returns the
    existing row."""
    return sources_get_or_create([source_build(actor=actor, **given)])[0]


def speaker_key(name: str, role: str = "") -> SpeakerKey:
    """``(name, role)`` whitespace-folded, as a speaker is stored and found."""
    return " ".join(name.split()), " ".join(role.split())


def speakers_get_or_create(wanted: Iterable[tuple[str, str, str]]) -> dict[SpeakerKey, Speaker]:
    """Speakers by :func:`speaker_key` of each ``(name, role, kind)``, the missing ones created
    with the first kind given: "John Kirby, NSC spokesman" is found, not duplicated."""
    kinds: dict[SpeakerKey, str] = {}
    for name, role, kind in wanted:
        key = speaker_key(name, role)
        if not key[0]:
            raise ValidationError({"name": "A speaker needs a name."})
        kinds.setdefault(key, kind)
    if not kinds:
        return {}
    found = _speakers_stored(kinds)
    # In key order: two imports creating some of the same speakers at once take the unique
    # index's locks in the same order, so one waits for the other, never both.
    missing = [
        Speaker(name=name, role=role, kind=kinds[name, role])
        for name, role in sorted(kinds)
        if (name, role) not in found
    ]
    if missing:
        for speaker in missing:
            speaker.full_clean(validate_unique=False, validate_constraints=False)
        Speaker.objects.bulk_create(missing, ignore_conflicts=True)
        found |= _speakers_stored(kinds)
        speaker_aliases_add([found[s.name, s.role] for s in missing])
    return found


def speaker_alias_keys(name: str, kind: str) -> list[tuple[str, str]]:
    """``(key, kind)`` of the aliases a speaker called ``name`` gets: the name as
    :func:`~claims.models.name_key` folds it, and a person's surname ("Biden")."""
    key = name_key(name)
    if not key:
        return []
    keys = [(key, AliasKind.NAME)]
    tokens = key.split()
    if kind == SpeakerKind.PERSON and len(tokens) > 1:
        keys.append((tokens[-1], AliasKind.SURNAME))
    return keys


def speaker_aliases_add(
    speakers: Iterable[Speaker], extra: Iterable[tuple[Speaker, str]] = ()
) -> None:
    """Record each speaker's own aliases, and ``extra`` (speaker, another name it was called
    by); an alias already recorded is left as it is."""
    rows = [
        SpeakerAlias(speaker=speaker, key=key, kind=kind)
        for speaker in speakers
        for key, kind in speaker_alias_keys(speaker.name, speaker.kind)
    ]
    rows += [
        SpeakerAlias(speaker=speaker, key=key, kind=AliasKind.NAME)
        for speaker, name in extra
        if (key := name_key(name))
    ]
    if rows:
        SpeakerAlias.objects.bulk_create(rows, ignore_conflicts=True)


def _speakers_stored(keys: dict[SpeakerKey, str]) -> dict[SpeakerKey, Speaker]:
    names = {name for name, _ in keys}
    stored = Speaker.objects.filter(name__in=names)
    return {(s.name, s.role): s for s in stored if (s.name, s.role) in keys}


def speaker_get_or_create(*, name: str, role: str = "", kind: str = SpeakerKind.PERSON) -> Speaker:
    """One row per (name, role): "John Kirby, NSC spokesman" is found, not duplicated."""
    return speakers_get_or_create([(name, role, kind)])[speaker_key(name, role)]


@lru_cache(maxsize=4096)
def topic_key(name: str) -> tuple[str, str]:
    """``(slug, name)`` of a topic as it is stored, the name whitespace-folded; the slug is
    empty for a name with nothing to slug. Cached: an import names the same topics over and
    over, and ``slugify`` is dear."""
    name = " ".join(name.split())
    slug = slugify(name)
    if len(slug) > TOPIC_SLUG_MAX:
        raise ValidationError({"topics": f"The topic name {name[:40]!r}… is too long."})
    return slug, name


def topics_get_or_create(names: Iterable[str]) -> list[Topic]:
    """The topics of ``names`` in their order, found by slug ("Military aid" and "military
    AID" are one), the missing ones created under the first name given; a name with nothing
    to slug ("—") is skipped."""
    keys = [key for key in map(topic_key, names) if key[0]]
    first: dict[str, str] = {}
    for slug, name in keys:
        first.setdefault(slug, name)
    stored = {t.slug: t for t in Topic.objects.filter(slug__in=first)} if first else {}
    # In slug order, as in speakers_get_or_create.
    missing = [Topic(slug=s, name=first[s]) for s in sorted(first) if s not in stored]
    if missing:
        for topic in missing:
            topic.full_clean(validate_unique=False)
        Topic.objects.bulk_create(missing, ignore_conflicts=True)
        stored |= {t.slug: t for t in Topic.objects.filter(slug__in=[t.slug for t in missing])}
    return [stored[slug] for slug, _ in keys]
