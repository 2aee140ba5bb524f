"""A claim's timeline: everything that happened to it, in time order, for its admin page.

Merged from four records, each read in one query whatever its length:

- the workflow events of the claim and its assignments (who moved what, from what, to what,
  and why);
- the change history (django-simple-history) of the claim and of its appearances, evidence,
  reviews and assignments, each row with the fields that changed since the row before;
- ingestion's matches (``ClaimMatch``) that concern the claim, and the desk's decisions on them.

A history row written by the same move as an event (a triage saves the claim with its new
state and required reviews) is folded into that event, so each move reads as one entry.

Blind review holds here as on the rest of the page: a person who may not yet see the claim's
verdict (``verification.selectors.can_see_verdicts``) sees no change of the consensus fields,
and sees other reviewers' reviews (``reviews_visible_to``) and assignments
(``assignments_visible_to``) only where the rest of the desk's pages show them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import localize
from django.utils.text import Truncator

from claims.models import (
    Appearance,
    Claim,
    ClaimMatch,
    ClaimState,
    MatchOutcome,
    Source,
    Speaker,
)
from claims.selectors import claim_matches
from verification.models import Assignment, AssignmentState, Evidence, Review
from verification.selectors import assignments_visible_to, can_see_verdicts, reviews_visible_to

# How far apart a history row and the event of the same move may be written.
SAME_MOVE = dt.timedelta(seconds=5)
HISTORY_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
EMPTY = (None, "")
# The claim's verdict, hidden from a reviewer until their own review of the round is in.
VERDICT_FIELDS = frozenset(
    {"consensus_rating", "consensus_confidence", "agreement", "published_rating"}
    | {"published_summary"}
)


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
        (
            "title",
            "url",
            "document_ref",
            "publisher",
            "excerpt",
            "stance",
            "source_reliability",
            "credibility",
            "origin_key",
        ),
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


def claim_timeline(claim: Claim, user: AbstractBaseUser | AnonymousUser) -> list[Entry]:
    """Everything that happened to ``claim``, oldest first, as ``user`` may see it.

    1. Read the events and each model's history rows (only the reviews and assignments the
       person may see, and only those assignments' events), and the matches: a fixed number of
       queries.
    2. Name every user, source and speaker the rows refer to (three more queries).
    3. Turn each history row into the changes since the row before, leaving out the verdict
       where it is hidden, and fold the row into the event of the same move where there is one.
    4. Add the matches and their decisions, and sort.
    """
    hidden = frozenset() if can_see_verdicts(user, claim) else VERDICT_FIELDS
    assignments = assignments_visible_to(user).filter(claim=claim).values("pk")
    events = list(
        claim.events.filter(Q(assignment__isnull=True) | Q(assignment__in=assignments))
        .select_related("actor", "assignment__reviewer")
        .order_by("created_at", "id")
    )
    appearance_ids = Appearance.history.filter(claim_id=claim.pk).values("id")
    rows = {
        "claim": claim.history.all(),
        "appearance": Appearance.history.filter(id__in=appearance_ids),
        "evidence": Evidence.history.filter(claim_id=claim.pk),
        "review": Review.history.filter(
            id__in=reviews_visible_to(user).filter(claim=claim).values("pk")
        ),
        "assignment": Assignment.history.filter(id__in=assignments),
    }
    history = {
        name: list(queryset.select_related("history_user").order_by("history_date", "history_id"))
        for name, queryset in rows.items()
    }
    matches = list(claim_matches(claim))
    names = _Names.of(history)

    folded = _Folder(events, names)
    entries: list[Entry] = []
    for name, records in history.items():
        spec = TRACKED[name]
        for record, changes in _diffs(records, spec.fields):
            visible = [c for c in changes if c[0] not in hidden]
            if record.history_type == "~" and not visible:
                continue  # nothing this person may see changed (or only the timestamp)
            entry = _history_entry(name, spec, record, visible, names)
            if not folded.into_event(name, record, changes, entry):
                entries.append(entry)
    entries.extend(folded.entries)
    entries.extend(_match_entries(claim, matches))
    entries.sort(key=lambda e: e.at)
    return entries


# --- History rows -----------------------------------------------------------------------------

RawChange = tuple[str, Any, Any]  # field name, old value, new value


def _diffs(records: Sequence[Any], fields: Sequence[str]) -> Iterable[tuple[Any, list[RawChange]]]:
    """Each history row with what changed since the same object's row before it."""
    previous: dict[Any, Any] = {}
    for record in records:
        before = previous.get(record.id)
        if before is None or record.history_type == "+":
            changes = []
        else:
            changes = [
                (name, _raw(before, name), _raw(record, name))
                for name in fields
                if _raw(before, name) != _raw(record, name)
            ]
        previous[record.id] = record
        yield record, changes


def _raw(record: Any, name: str) -> Any:
    return getattr(record, record._meta.get_field(name).attname)


def _history_entry(
    name: str, spec: Tracked, record: Any, changes: list[RawChange], names: _Names
) -> Entry:
    if record.history_type == "+":
        changes = [(f, None, _raw(record, f)) for f in spec.created if _raw(record, f) not in EMPTY]
    return Entry(
        at=record.history_date,
        actor=names.user(record.history_user_id),
        subject=_subject(name, record, names),
        action=HISTORY_ACTIONS.get(record.history_type, record.history_type),
        kind="history",
        changes=[names.change(spec.model, *change) for change in changes],
    )


def _subject(name: str, record: Any, names: _Names) -> str:
    if name == "claim":
        return "Claim"
    if name == "appearance":
        return f"Appearance in “{names.source(record.source_id)}”"
    if name == "evidence":
        return f"Evidence “{Truncator(record.title).chars(60)}”"
    if name == "review":
        return f"Review by {names.user(record.reviewer_id)}"
    return f"Assignment of {names.user(record.reviewer_id)}"


class _Folder:
    """The workflow events as entries, each able to take in the history row of its move."""

    def __init__(self, events: Sequence[Any], names: _Names) -> None:
        self.entries: list[Entry] = []
        self._open: dict[tuple, list[tuple[Any, Entry]]] = defaultdict(list)
        for event in events:
            assignment = event.assignment
            entry = Entry(
                at=event.created_at,
                actor=event.actor.get_username() if event.actor else "",
                subject=(
                    f"Assignment of {assignment.reviewer.get_username()}"
                    if assignment is not None
                    else "Claim"
                ),
                action=event.get_action_display(),
                kind="event",
                note=event.note,
            )
            if event.from_state or event.to_state:
                states = AssignmentState if assignment is not None else ClaimState
                entry.changes.append(
                    Change(
                        "state", _label(states, event.from_state), _label(states, event.to_state)
                    )
                )
            self.entries.append(entry)
            key = ("assignment", event.assignment_id) if assignment else ("claim", None)
            self._open[(*key, event.from_state, event.to_state)].append((event, entry))
        self._names = names

    def into_event(self, name: str, record: Any, changes: list[RawChange], row: Entry) -> bool:
        """Fold a claim's or an assignment's history row into the event of the same move."""
        if name not in ("claim", "assignment"):
            return False
        if record.history_type == "+":
            states = ("", record.state)
        else:
            moved = [c for c in changes if c[0] == "state"]
            if not moved:
                return False
            states = (moved[0][1], moved[0][2])
        key = (name, record.id if name == "assignment" else None, *states)
        for index, (event, entry) in enumerate(self._open.get(key, [])):
            if abs(event.created_at - record.history_date) <= SAME_MOVE:
                del self._open[key][index]
                if record.history_type != "+":
                    entry.changes.extend(c for c in row.changes if c.field != "state")
                return True
        return False


def _label(choices: type[models.TextChoices], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value or "—"


# --- Matches ----------------------------------------------------------------------------------


def _match_entries(claim: Claim, matches: Sequence[ClaimMatch]) -> list[Entry]:
    entries = []
    for match in matches:
        appearance = match.appearance
        where = f"Appearance in “{Truncator(appearance.source.title).chars(60)}”"
        if match.existing_id == claim.pk and appearance.claim_id != claim.pk:
            where += f" (claim #{appearance.claim_id})"
        target = "this claim" if match.existing_id == claim.pk else f"claim #{match.existing_id}"
        first = (
            f"Attached automatically to {target}"
            if match.outcome == MatchOutcome.ATTACHED
            else f"Suggested as a likely duplicate of {target}"
        )
        creator = appearance.created_by.get_username() if appearance.created_by else ""
        note = (
            f"Similarity {match.score:.2f} (words {match.words:.2f}, "
            f"{match.shared_figures} figure(s) in common)."
        )
        entries.append(Entry(match.created_at, creator, where, first, "match", note))
        if match.decided_at is not None:
            decision = (
                f"Confirmed: a duplicate of {target}"
                if match.outcome == MatchOutcome.CONFIRMED
                else f"Rejected: not a duplicate of {target}"
            )
            decider = match.decided_by.get_username() if match.decided_by else ""
            entries.append(Entry(match.decided_at, decider, where, decision, "match"))
    return entries


# --- Names ------------------------------------------------------------------------------------


class _Names:
    """What the history rows' ids stand for (users, sources, speakers), read once."""

    def __init__(
        self, users: dict[int, str], sources: dict[int, str], speakers: dict[int, str]
    ) -> None:
        self._users, self._sources, self._speakers = users, sources, speakers

    @classmethod
    def of(cls, history: dict[str, list[Any]]) -> _Names:
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
        users = dict(
            user_model.objects.filter(pk__in=ids[user_model]).values_list(
                "pk", user_model.USERNAME_FIELD
            )
        )
        sources = dict(Source.objects.filter(pk__in=ids[Source]).values_list("pk", "title"))
        speakers = {s.pk: str(s) for s in Speaker.objects.filter(pk__in=ids[Speaker])}
        return cls(users, sources, speakers)

    def user(self, pk: int | None) -> str:
        return self._users.get(pk, f"user #{pk}") if pk is not None else ""

    def source(self, pk: int | None) -> str:
        return Truncator(self._sources.get(pk, f"source #{pk}")).chars(60)

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
                return self._speakers.get(value, f"speaker #{value}")
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
