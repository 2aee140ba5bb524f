"""Ingestion's matches that concern a claim, and the desk's decisions on them, as timeline
entries."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.text import Truncator

from claims.models import Claim, ClaimMatch, MatchOutcome
from verification.timeline.entries import Entry


def match_entries(claim: Claim, matches: Sequence[ClaimMatch]) -> list[Entry]:
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
