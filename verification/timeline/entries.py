"""The timeline's lines, the fields of each model's history it follows, what the history rows'
ids stand for, and each history row as the changes since the same object's row before it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.formats import localize
from django.utils.text import Truncator

from claims.models import Claim, Source, Speaker
from verification.models.evidence import EVIDENCE_DETAILS

RawChange = tuple[str, Any, Any]  # field name, old value, new value
HISTORY_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class Change:
    field: str  # the field's verbose name
    old: str
    new: str


@dataclass
class Entry:
    """One line of the timeline."""

    at: dt.datetime
    actor: str  # a username; empty when the system acted
    subject: str  # "Claim", "Assignment of amara", "Evidence “Budget table”"
    action: str  # "Triaged", "changed", "Suggested as a likely duplicate of claim #4"
    kind: str  # "event", "history" or "match", for the page's styling
    note: str = ""
    changes: list[Change] = field(default_factory=list)


@dataclass(frozen=True)
class Tracked:
    """How one model's history reads on the timeline."""

    label: str  # app_label.Model
    fields: tuple[str, ...]  # compared between consecutive rows
    created: tuple[str, ...]  # shown when a row is created

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


TRACKED = {
    "claim": Tracked(
        "claims.Claim",
        (
            "statement",
            "priority",
            "state",
            "required_reviews",
            "review_round",
            "checkworthiness",
            "consensus_rating",
            "consensus_confidence",
            "agreement",
            "published_at",
            "published_by",
            "published_rating",
            "published_summary",
        ),
        ("statement", "priority"),
    ),
    "appearance": Tracked(
        "claims.Appearance",
        ("claim", "source", "quote", "start", "end", "speaker", "attribution", "note"),
        ("quote", "speaker", "attribution"),
    ),
    "evidence": Tracked(
        "verification.Evidence",
        EVIDENCE_DETAILS,
        ("stance", "source_reliability", "credibility", "url"),
    ),
    "review": Tracked(
        "verification.Review", ("rating", "confidence", "rationale"), ("rating", "confidence")
    ),
    "assignment": Tracked(
        "verification.Assignment",
        ("reviewer", "state", "due_at", "reason", "reminders_sent"),
        ("state", "due_at"),
    ),
}


@dataclass(frozen=True)
class Names:
    """What the history rows' ids stand for (users, sources, speakers), read once."""

    users: dict[int, str]
    sources: dict[int, str]
    speakers: dict[int, str]

    @classmethod
    def of(cls, history: dict[str, list[Any]]) -> Names:
        user_model = get_user_model()
        ids: dict[type[models.Model], set[int]] = defaultdict(set)
        for name, records in history.items():
            spec = TRACKED[name]
            relations = [
                f for f in (spec.model._meta.get_field(n) for n in spec.fields) if f.is_relation
            ]
            for record in records:
                if record.history_user_id is not None:
                    ids[user_model].add(record.history_user_id)
                for relation in relations:
                    value = getattr(record, relation.attname)
                    if value is not None:
                        ids[relation.related_model].add(value)
        users = user_model.objects.filter(pk__in=ids[user_model])
        return cls(
            dict(users.values_list("pk", user_model.USERNAME_FIELD)),
            dict(Source.objects.filter(pk__in=ids[Source]).values_list("pk", "title")),
            {s.pk: str(s) for s in Speaker.objects.filter(pk__in=ids[Speaker])},
        )

    def user(self, pk: int | None) -> str:
        return self.users.get(pk, f"user #{pk}") if pk is not None else ""

    def source(self, pk: int | None) -> str:
        return Truncator(self.sources.get(pk, f"source #{pk}")).chars(60)

    def change(self, model: type[models.Model], name: str, old: Any, new: Any) -> Change:
        model_field = model._meta.get_field(name)
        return Change(
            str(model_field.verbose_name),
            self.value(model_field, old),
            self.value(model_field, new),
        )

    def value(self, model_field: models.Field, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if model_field.is_relation:
            related = model_field.related_model
            if related is Source:
                return self.source(value)
            if related is Speaker:
                return self.speakers.get(value, f"speaker #{value}")
            if related is Claim:
                return f"claim #{value}"
            return self.user(value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, dt.datetime):
            return localize(timezone.localtime(value))
        if isinstance(value, float):
            return f"{value:.2f}"
        return Truncator(str(value)).chars(160)


def diffs(records: Sequence[Any], fields: Sequence[str]) -> Iterable[tuple[Any, list[RawChange]]]:
    """Each history row with what changed since the same object's row before it."""
    previous: dict[Any, Any] = {}
    for record in records:
        before = previous.get(record.id)
        changes = []
        if before is not None and record.history_type != "+":
            changes = [
                (name, _raw(before, name), _raw(record, name))
                for name in fields
                if _raw(before, name) != _raw(record, name)
            ]
        previous[record.id] = record
        yield record, changes


def _raw(record: Any, name: str) -> Any:
    return getattr(record, record._meta.get_field(name).attname)


def history_entry(
    name: str, spec: Tracked, record: Any, changes: list[RawChange], names: Names
) -> Entry:
    if record.history_type == "+":
        changes = [
            (f, None, _raw(record, f)) for f in spec.created if _raw(record, f) not in (None, "")
        ]
    return Entry(
        at=record.history_date,
        actor=names.user(record.history_user_id),
        subject=_subject(name, record, names),
        action=HISTORY_ACTIONS.get(record.history_type, record.history_type),
        kind="history",
        changes=[names.change(spec.model, *change) for change in changes],
    )


def _subject(name: str, record: Any, names: Names) -> str:
    if name == "claim":
        return "Claim"
    if name == "appearance":
        return f"Appearance in “{names.source(record.source_id)}”"
    if name == "evidence":
        return f"Evidence “{Truncator(record.title).chars(60)}”"
    if name == "review":
        return f"Review by {names.user(record.reviewer_id)}"
    return f"Assignment of {names.user(record.reviewer_id)}"
