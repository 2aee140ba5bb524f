"""A claim's timeline for its admin page: its workflow events, the change history of the claim
and its appearances, evidence, reviews and assignments (:mod:`~verification.timeline.entries`),
and ingestion's matches with the desk's decisions, in time order.

A history row written by the same move as an event (a triage saves the claim with its new
state) is folded into that event, so each move reads as one entry. Blind review holds here as
on the rest of the page: no consensus changes before ``can_see_verdicts``, and only the
reviews and assignments ``reviews_visible_to`` / ``assignments_visible_to`` show.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils.text import Truncator

from claims.models import Appearance, Claim, ClaimMatch, ClaimState, MatchOutcome
from claims.selectors import claim_matches
from verification.models import Assignment, AssignmentState, Evidence, Review
from verification.selectors import assignments_visible_to, can_see_verdicts, reviews_visible_to
from verification.timeline.entries import (
    TRACKED,
    Change,
    Entry,
    Names,
    RawChange,
    diffs,
    history_entry,
)

__all__ = ["Change", "Entry", "claim_timeline"]

# The claim's verdict, hidden from a reviewer until their own review of the round is in.
VERDICT_FIELDS = frozenset(
    {"consensus_rating", "consensus_confidence", "agreement", "published_rating"}
    | {"published_summary"}
)
# How far apart a history row and the event of the same move may be written.
SAME_MOVE = dt.timedelta(seconds=5)


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
    names = Names.of(history)

    folded = EventFolder(events)
    entries: list[Entry] = []
    for name, records in history.items():
        spec = TRACKED[name]
        for record, changes in diffs(records, spec.fields):
            visible = [c for c in changes if c[0] not in hidden]
            if record.history_type == "~" and not visible:
                continue  # nothing this person may see changed (or only the timestamp)
            entry = history_entry(name, spec, record, visible, names)
            if not folded.into_event(name, record, changes, entry):
                entries.append(entry)
    entries.extend(folded.entries)
    entries.extend(match_entries(claim, matches))
    entries.sort(key=lambda e: e.at)
    return entries


class EventFolder:
    """The workflow events as entries, each able to take in the history row of its move."""

    def __init__(self, events: Sequence[Any]) -> None:
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


def match_entries(claim: Claim, matches: Sequence[ClaimMatch]) -> list[Entry]:
    """Ingestion's matches that concern ``claim``, and the desk's decisions on them."""
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
