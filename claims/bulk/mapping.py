"""Column mappings: which column of a file holds which part of a claim (:data:`MAPPINGS`).

- ``default``: header names, the columns :mod:`claims.bulk.export` writes, so an export imports
  back (``statement`` required; the desk's workflow columns are not imported: an imported claim
  starts "new").
- ``liar``: the LIAR data set's TSV (no header, no CSV quoting): 1 the id, 2 the label, 3 the
  statement, 4 the subjects (topics), 5 the speaker's slug, 6 their job, 14 the context. The
  label is PolitiFact's verdict, an external review (a label outside LIAR's six rejects the
  row).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

from claims.claimreview.ratings import LIAR_LABELS, read_rating
from claims.models import Attribution, ExternalReviewOrigin, Rating, SourceKind, SpeakerKind
from claims.services.external_reviews import ExternalVerdict
from claims.services.records import ImportedClaim, PlaceRef, SpeakerRef
from config.untrusted import load_json

Column = str | int


class RowError(Exception):
    """The row cannot become a claim; the message says why."""


@dataclass(frozen=True)
class ColumnMapping:
    """Columns are header names (CSV with a header row, JSON Lines keys) or 0-based positions
    (headerless files). ``None`` means the file has no such column."""

    name: str
    statement: Column
    quote: Column | None = None
    priority: Column | None = None
    topics: Column | None = None
    topic_separator: str = ";"
    speaker: Column | None = None
    speaker_role: Column | None = None
    speaker_kind: Column | None = None
    source_url: Column | None = None
    source_title: Column | None = None
    source_publisher: Column | None = None
    source_date: Column | None = None
    rating: Column | None = None
    rating_publisher: Column | None = None
    rating_url: Column | None = None
    rating_date: Column | None = None
    external_id: Column | None = None
    appearances: Column | None = None  # a list of places (the export's shape)
    external_reviews: Column | None = None  # a list of verdicts (the export's shape)
    # Fixed values and reading rules.
    publisher: str = ""  # whose verdicts the rating column holds, when no column says
    publisher_url: str = ""
    rating_labels: Mapping[str, Rating] | None = None  # strict labels; None: read any words
    slugs: bool = False  # speaker and topic cells are slugs ("barack-obama")
    header: bool = True
    delimiter: str = ","
    quoting: int = csv.QUOTE_MINIMAL
    required: tuple[str, ...] = field(default=())


# The export's columns, each under its own name.
DEFAULT = ColumnMapping(
    name="default",
    required=("statement",),
    **{f.name: f.name for f in fields(ColumnMapping) if f.type.startswith("Column")},
)

LIAR = ColumnMapping(
    name="liar",
    statement=2,
    rating=1,
    topics=3,
    topic_separator=",",
    speaker=4,
    speaker_role=5,
    source_title=13,
    external_id=0,
    publisher="PolitiFact",
    publisher_url="https://www.politifact.com/",
    rating_labels=LIAR_LABELS,
    slugs=True,
    header=False,
    delimiter="\t",
    quoting=csv.QUOTE_NONE,
)

MAPPINGS: dict[str, ColumnMapping] = {m.name: m for m in (DEFAULT, LIAR)}


def _cell(values: dict[str, Any] | list[str], column: Column | None) -> Any:
    if column is None:
        return None
    if isinstance(values, dict):
        return values.get(column) if isinstance(column, str) else None
    if isinstance(column, int) and column < len(values):
        return values[column]
    return None


def _str(value: Any) -> str:
    if type(value) is str:  # nearly every cell: skip the checks below
        return " ".join(value.split())
    if value is None or isinstance(value, dict | list):
        return ""
    return " ".join(str(value).split())


@lru_cache(maxsize=4096)
def _deslug(value: str) -> str:
    """ "barack-obama" → "Barack Obama" (cached: a data set names the same few hundred)."""
    return " ".join(part.capitalize() for part in value.replace("_", "-").split("-") if part)


def _date(value: Any, what: str) -> dt.date | None:
    text = _str(value)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise RowError(f"{what} {text!r} is not a date (YYYY-MM-DD).") from None


def _nested(value: Any, what: str) -> list[dict[str, Any]]:
    """A list of objects: as is from JSON Lines, or JSON text in a CSV cell."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = load_json(value)
        except json.JSONDecodeError as error:
            raise RowError(f"The {what} cell is not JSON: {error}.") from None
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise RowError(f"The {what} cell is not a list of objects.")
    return value


def _topics(mapping: ColumnMapping, value: Any) -> list[str]:
    if isinstance(value, list):
        names = [_str(v) for v in value]
    else:
        names = [part.strip() for part in _str(value).split(mapping.topic_separator)]
    if mapping.slugs:
        names = [_deslug(name).capitalize() for name in names]
    return [name for name in names if name]


def _speaker(name: str, role: str, kind: str, *, slugs: bool) -> SpeakerRef | None:
    if not name:
        return None
    if kind and kind not in SpeakerKind.values:
        raise RowError(f"Speaker kind {kind!r} is not one of {SpeakerKind.values}.")
    return SpeakerRef(
        name=_deslug(name) if slugs else name, role=role, kind=kind or SpeakerKind.PERSON
    )


def _verdict(mapping: ColumnMapping, values: Any) -> ExternalVerdict | None:
    label = _str(_cell(values, mapping.rating))
    if mapping.rating_labels is not None:
        if not label:
            raise RowError("The row has no label.")
        if label not in mapping.rating_labels:
            raise RowError(f"The label {label!r} is not one of {', '.join(mapping.rating_labels)}.")
        rating = mapping.rating_labels[label]
    elif not label:
        return None
    else:
        rating = read_rating(label).rating
    publisher = _str(_cell(values, mapping.rating_publisher)) or mapping.publisher
    if not publisher:
        raise RowError("The row has a rating but not whose it is (rating_publisher).")
    return ExternalVerdict(
        publisher=publisher,
        publisher_url=mapping.publisher_url,
        rating_text=label,
        rating=rating,
        origin=ExternalReviewOrigin.BULK,
        url=_str(_cell(values, mapping.rating_url)),
        external_id=_str(_cell(values, mapping.external_id)),
        published_on=_date(_cell(values, mapping.rating_date), "The rating date"),
    )


def _exported_verdict(entry: dict[str, Any]) -> ExternalVerdict:
    rating_text = _str(entry.get("rating_text"))
    rating = _str(entry.get("rating"))
    if rating not in Rating.values:
        rating = read_rating(rating_text or rating).rating
    publisher = _str(entry.get("publisher"))
    if not publisher:
        raise RowError("An external review names no publisher.")
    return ExternalVerdict(
        publisher=publisher,
        publisher_url=_str(entry.get("publisher_url")),
        rating_text=rating_text or Rating(rating).label,
        rating=rating,
        origin=ExternalReviewOrigin.BULK,
        url=_str(entry.get("url")),
        external_id=_str(entry.get("external_id")),
        title=_str(entry.get("title")),
        language=_str(entry.get("language")),
        published_on=_date(entry.get("published_on"), "An external review's date"),
    )


def _exported_place(entry: dict[str, Any]) -> PlaceRef:
    speaker = entry.get("speaker") if isinstance(entry.get("speaker"), dict) else {}
    attribution = _str(entry.get("attribution")) or Attribution.SAID
    if attribution not in Attribution.values:
        raise RowError(f"Attribution {attribution!r} is not one of {Attribution.values}.")
    kind = _str(entry.get("kind"))
    return PlaceRef(
        url=_str(entry.get("url")),
        title=_str(entry.get("title")),
        publisher=_str(entry.get("publisher")),
        published_on=_date(entry.get("published_on"), "An appearance's date"),
        kind=kind if kind in SourceKind.values else "",
        speaker=_speaker(
            _str(speaker.get("name")),
            _str(speaker.get("role")),
            _str(speaker.get("kind")),
            slugs=False,
        ),
        quote=_str(entry.get("quote")),
        attribution=attribution,
    )


def read_row(mapping: ColumnMapping, values: dict[str, Any] | list[str]) -> ImportedClaim:
    """One row → a record (``claims.services.records``); ``RowError`` says why it cannot be."""
    statement = _str(_cell(values, mapping.statement))
    if not statement:
        raise RowError("The row has no statement.")
    verdicts = [v for v in [_verdict(mapping, values)] if v is not None]
    verdicts += [
        _exported_verdict(e)
        for e in _nested(_cell(values, mapping.external_reviews), "external_reviews")
    ]
    places = [
        _exported_place(e) for e in _nested(_cell(values, mapping.appearances), "appearances")
    ]
    if not places:
        speaker = _speaker(
            _str(_cell(values, mapping.speaker)),
            _str(_cell(values, mapping.speaker_role)),
            _str(_cell(values, mapping.speaker_kind)),
            slugs=mapping.slugs,
        )
        url = _str(_cell(values, mapping.source_url))
        title = _str(_cell(values, mapping.source_title))
        if url or title or speaker is not None:
            places.append(
                PlaceRef(
                    url=url,
                    title=title or ("" if url else "Venue not recorded"),
                    publisher=_str(_cell(values, mapping.source_publisher)),
                    published_on=_date(_cell(values, mapping.source_date), "The source date"),
                    kind="" if url else SourceKind.OTHER,
                    speaker=speaker,
                )
            )
    first = verdicts[0] if verdicts else None
    return ImportedClaim(
        statement=statement,
        quote=_str(_cell(values, mapping.quote)),
        priority=_str(_cell(values, mapping.priority)),
        topics=_topics(mapping, _cell(values, mapping.topics)),
        places=places,
        verdicts=verdicts,
        recorded_by=first.publisher if first else "the imported file",
        reference=record_reference(first) if first else "",
    )


def record_reference(verdict: ExternalVerdict) -> str:
    """Where a verdict can be found: its URL, else the publisher's id for it."""
    if verdict.url:
        return verdict.url
    return f"{verdict.publisher} {verdict.external_id}".strip()
