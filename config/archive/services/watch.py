"""Watching the pages open and published claims cite: re-fetched on a schedule that backs off
while a page stays as it was, reported once when it changes beyond a threshold or goes away.

A change is one :class:`PageChange` row, written under the page's lock with an event in each
citing claim's history and one email per person (the outbox, keyed on the change and the
person): however often and by however many workers the job runs, each change is told once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from claims.extraction.sentences import split_sentences
from claims.models import Claim, ClaimState
from config.archive.emails import email_source_changed
from config.archive.files import file_read, sha256
from config.archive.models import ArchiveStatus, ChangeKind, Page, PageChange, Snapshot, WatchState
from config.archive.services.capture import page_fetch, snapshot_store
from config.fetch import Fetched, FetchError
from verification.models import Assignment, AssignmentState, WorkflowAction, WorkflowEvent

WATCHED_STATES = (
    ClaimState.TRIAGED,
    ClaimState.IN_RESEARCH,
    ClaimState.IN_REVIEW,
    ClaimState.PUBLISHED,
)


class Check(enum.Enum):
    STEADY = "steady"  # as last seen
    MINOR = "minor"  # changed, below the threshold
    CHANGED = "changed"
    FAILED = "failed"  # missing or unreachable, not yet gone
    GONE = "gone"
    NOTHING_TO_DO = "nothing to do"


def claims_citing(page: Page) -> QuerySet[Claim]:
    """The watched claims that cite ``page`` through their evidence or one of their sources."""
    cited = Q(evidence__citations__page=page) | Q(appearances__source__citations__page=page)
    ids = Claim.objects.filter(cited, state__in=WATCHED_STATES).values("pk")
    return Claim.objects.filter(pk__in=ids).order_by("pk")


def pages_to_check(*, now: dt.datetime | None = None, limit: int | None = None) -> list[int]:
    """Archived pages due for a check that a watched claim cites, the most overdue first."""
    now = now or timezone.now()
    cited = Q(citations__evidence__claim__state__in=WATCHED_STATES) | Q(
        citations__source__appearances__claim__state__in=WATCHED_STATES
    )
    due = Page.objects.filter(
        cited,
        status__in=[ArchiveStatus.ARCHIVED, ArchiveStatus.PARTIAL],
        compared__isnull=False,
        next_check_at__lte=now,
    ).distinct()
    limit = limit or settings.ARCHIVE_WATCH_BATCH
    return list(due.order_by("next_check_at").values_list("pk", flat=True)[:limit])


@dataclass(frozen=True)
class TextDiff:
    share: float  # of the sentences before and after, the part removed or added
    removed: list[str]
    added: list[str]


def text_diff(before: str, after: str) -> TextDiff:
    """A sentence-by-sentence diff of two extracted texts (the sentences ingestion splits)."""
    old = [s.text for s in split_sentences(before)]
    new = [s.text for s in split_sentences(after)]
    removed: list[str] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed.extend(old[i1:i2])
            added.extend(new[j1:j2])
    total = len(old) + len(new)
    return TextDiff((len(removed) + len(added)) / total if total else 0.0, removed, added)


def _lease(page_id: int, now: dt.datetime) -> Page | None:
    """Take a due check with a conditional UPDATE (its next check moved past the fetch): two
    workers never check the page at once, and a dead worker's check comes due again."""
    lease = now + dt.timedelta(seconds=settings.ARCHIVE_TIMEOUT + 60)
    taken = Page.objects.filter(pk=page_id, next_check_at__lte=now).update(next_check_at=lease)
    return Page.objects.select_related("compared").get(pk=page_id) if taken else None


def page_check(*, page_id: int, now: dt.datetime | None = None) -> Check:
    """Re-fetch one page that is due and compare it with the copy last compared.

    1. Take the check (:func:`_lease`) and fetch the page, 4xx and 5xx answers included.
    2. Missing or unreachable: one failed check more; ``ARCHIVE_GONE_AFTER`` in a row: gone.
    3. The same body as the newest snapshot: steady, the next check twice as late (capped).
    4. A new body: stored, its text diffed with the compared copy's; beyond
       ``ARCHIVE_CHANGE_THRESHOLD`` the change is reported and becomes the compared copy.
    """
    now = now or timezone.now()
    page = _lease(page_id, now)
    if page is None or page.compared is None:
        return Check.NOTHING_TO_DO
    try:
        fetched = page_fetch(page.url, errors=True)
    except FetchError as error:
        return _missing(page, str(error), now)
    if fetched.status >= 400:
        return _missing(page, f"{fetched.url} answered HTTP {fetched.status}.", now)
    newest = page.snapshots.order_by("-fetched_at", "-id").first()
    if newest is not None and newest.body_sha256 == sha256(fetched.body):
        return _steady(page, now)
    return _compare(page, fetched, now)


def _schedule(page: Page, now: dt.datetime, every: int, **fields: object) -> None:
    Page.objects.filter(pk=page.pk).update(
        check_every=every,
        next_check_at=now + dt.timedelta(seconds=every),
        last_checked_at=now,
        **fields,
    )


def _answered(page: Page, now: dt.datetime, every: int, **fields: object) -> None:
    """The page answered: its run of failed checks ends, and a page thought gone is back."""
    back = WatchState.STEADY if page.watch == WatchState.GONE else page.watch
    _schedule(page, now, every, **{"failed_checks": 0, "watch": back, **fields})


def _steady(page: Page, now: dt.datetime) -> Check:
    every = min(
        max(page.check_every * 2, settings.ARCHIVE_WATCH_MIN_SECONDS),
        settings.ARCHIVE_WATCH_MAX_SECONDS,
    )
    _answered(page, now, every)
    return Check.STEADY


def _missing(page: Page, reason: str, now: dt.datetime) -> Check:
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(pk=page.pk)
        failed = locked.failed_checks + 1
        gone = failed >= settings.ARCHIVE_GONE_AFTER and locked.watch != WatchState.GONE
        _schedule(locked, now, settings.ARCHIVE_WATCH_MIN_SECONDS, failed_checks=failed)
        if not gone:
            return Check.FAILED
        Page.objects.filter(pk=locked.pk).update(watch=WatchState.GONE)
        change = PageChange.objects.create(
            page=locked, kind=ChangeKind.GONE, before=locked.compared, reason=reason
        )
        change_notify(change=change)
    return Check.GONE


def _compare(page: Page, fetched: Fetched, now: dt.datetime) -> Check:
    snapshot = snapshot_store(page=page, requested=page.url, fetched=fetched, now=now)
    before = _text(page.compared)
    readable = snapshot.text_key and page.compared.text_key  # no text on a side: no diff
    diff = text_diff(before, _text(snapshot)) if readable else None
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(pk=page.pk)
        snapshot.save()
        every = settings.ARCHIVE_WATCH_MIN_SECONDS
        if diff is None or diff.share <= settings.ARCHIVE_CHANGE_THRESHOLD:
            _answered(locked, now, every)
            return Check.MINOR
        change = PageChange.objects.create(
            page=locked,
            kind=ChangeKind.CHANGED,
            before=locked.compared,
            after=snapshot,
            changed_share=round(diff.share, 4),
            removed=diff.removed,
            added=diff.added,
        )
        _answered(locked, now, every, watch=WatchState.CHANGED, compared=snapshot)
        change_notify(change=change)
    return Check.CHANGED


def _text(snapshot: Snapshot | None) -> str:
    if snapshot is None or not snapshot.text_key:
        return ""
    return file_read(snapshot.text_key).decode("utf-8")


# Reviewers who still hold a claim or reviewed it; not those who declined or were relieved.
_REVIEWERS = (AssignmentState.OFFERED, AssignmentState.ACCEPTED, AssignmentState.SUBMITTED)


def claim_people(claims: list[Claim]) -> dict[int, list[Claim]]:
    """Who is told about each claim, by user id: the editor who published (or triaged) it and
    its reviewers."""
    told: dict[int, list[Claim]] = defaultdict(list)
    by_id = {claim.pk: claim for claim in claims}
    triaged = WorkflowEvent.objects.filter(
        claim__in=claims, action=WorkflowAction.TRIAGE, actor__isnull=False
    ).order_by("created_at")
    editors = {event.claim_id: event.actor_id for event in triaged}
    for claim in claims:
        editor = claim.published_by_id or editors.get(claim.pk)
        if editor is not None:
            told[editor].append(claim)
    for claim_id, reviewer_id in (
        Assignment.objects.filter(claim__in=claims, state__in=_REVIEWERS)
        .values_list("claim_id", "reviewer_id")
        .distinct()
    ):
        if by_id[claim_id] not in told[reviewer_id]:
            told[reviewer_id].append(by_id[claim_id])
    return told


def change_notify(*, change: PageChange) -> None:
    """Record ``change`` in the history of every watched claim citing its page and queue one
    email per person, inside the transaction that wrote the change."""
    claims = list(claims_citing(change.page))
    gone = change.kind == ChangeKind.GONE
    note = (
        f"{change.page.url} is gone: {change.reason}"
        if gone
        else f"{change.page.url} changed: {len(change.removed)} sentence(s) removed, "
        f"{len(change.added)} added ({change.changed_share:.0%} of its text)."
    )
    WorkflowEvent.objects.bulk_create(
        WorkflowEvent(
            claim=claim,
            action=WorkflowAction.SOURCE_GONE if gone else WorkflowAction.SOURCE_CHANGED,
            from_state=claim.state,
            to_state=claim.state,
            note=note,
        )
        for claim in claims
    )
    told = claim_people(claims)
    users: dict[int, AbstractBaseUser] = get_user_model().objects.in_bulk(list(told))
    for user_id, their_claims in sorted(told.items()):
        user = users.get(user_id)
        if user is not None and user.is_active:
            email_source_changed(change=change, user=user, claims=their_claims)
