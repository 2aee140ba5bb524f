"""A claim's timeline: everything that happened to it, in time order, for its admin page.

Merged from four records, each read in one query whatever its length:

- the workflow events of the claim and its assignments (who moved what, from what, to what,
  and why): :mod:`~verification.timeline.events`;
- the change history (django-simple-history) of the claim and of its appearances, evidence,
  reviews and assignments, each row with the fields that changed since the row before
  (:mod:`~verification.timeline.history`; the fields followed are in
  :mod:`~verification.timeline.entries`, and the ids are named by
  :mod:`~verification.timeline.names`);
- ingestion's matches (``ClaimMatch``) that concern the claim, and the desk's decisions on them:
  :mod:`~verification.timeline.matches`.

A history row written by the same move as an event (a triage saves the claim with its new
state and required reviews) is folded into that event, so each move reads as one entry.

Blind review holds here as on the rest of the page: a person who may not yet see the claim's
verdict (``verification.selectors.can_see_verdicts``) sees no change of the consensus fields,
and sees other reviewers' reviews (``reviews_visible_to``) and assignments
(``assignments_visible_to``) only where the rest of the desk's pages show them.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from claims.models import Appearance, Claim
from claims.selectors import claim_matches
from verification.models import Assignment, Evidence, Review
from verification.selectors import assignments_visible_to, can_see_verdicts, reviews_visible_to
from verification.timeline.entries import TRACKED, Change, Entry
from verification.timeline.events import EventFolder
from verification.timeline.history import diffs, history_entry
from verification.timeline.matches import match_entries
from verification.timeline.names import Names

__all__ = ["Change", "Entry", "claim_timeline"]

# The claim's verdict, hidden from a reviewer until their own review of the round is in.
VERDICT_FIELDS = frozenset(
    {"consensus_rating", "consensus_confidence", "agreement", "published_rating"}
    | {"published_summary"}
)


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

    folded = EventFolder(events, names)
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
