"""The timeline's lines, and which fields of each model's history it follows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

from verification.models.evidence import EVIDENCE_DETAILS

RawChange = tuple[str, Any, Any]  # field name, old value, new value


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
