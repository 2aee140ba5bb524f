"""History rows (django-simple-history) as timeline entries: each row with the fields that
changed since the same object's row before it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.text import Truncator

from verification.timeline.entries import Entry, RawChange, Tracked
from verification.timeline.names import Names

HISTORY_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
EMPTY = (None, "")


def diffs(records: Sequence[Any], fields: Sequence[str]) -> Iterable[tuple[Any, list[RawChange]]]:
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


def history_entry(
    name: str, spec: Tracked, record: Any, changes: list[RawChange], names: Names
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
