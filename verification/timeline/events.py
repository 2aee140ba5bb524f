"""Workflow events as timeline entries, each able to take in the history row of its move (a
triage saves the claim with its new state and required reviews: one entry, not two)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import models

from claims.models import ClaimState
from verification.models import AssignmentState
from verification.timeline.entries import Change, Entry, RawChange
from verification.timeline.names import Names

# How far apart a history row and the event of the same move may be written.
SAME_MOVE = dt.timedelta(seconds=5)


class EventFolder:
    """The workflow events as entries, each able to take in the history row of its move."""

    def __init__(self, events: Sequence[Any], names: Names) -> None:
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
