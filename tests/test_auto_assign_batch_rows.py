"""A batch of automatic assignments stores exactly what assigning its claims one at a time does.

``claims_auto_assign`` chooses the reviewers of a whole batch in memory, counting each pick
towards the next, and hands every pick to ``assignments_create`` at once. The reference is the
same service one claim at a time (``claim_auto_assign``, each claim its own transaction, with
loads read afresh). On the same desk (expertise, loads, idle times, an away reviewer, a
submitter who reviews, a reviewer who declined, a high-priority claim, more demand than
places), both must choose the same reviewers and store the same rows, every column of every
table they touch (claims, history, assignments, events, emails), but ids and times.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import dateformat, timezone

from claims.models import Claim, Priority
from tests import factories
from verification import services
from verification.models import (
    Assignment,
    AssignmentState,
    Availability,
    EmailLog,
    WorkflowEvent,
)
from verification.services.auto_assign import (
    claim_auto_assign,
    claims_auto_assign,
)

pytestmark = pytest.mark.django_db


def reviewer(name: str, *, capacity: int, expertise=(), away: bool = False):
    user = factories.ReviewerFactory(
        username=name,
        profile__capacity=capacity,
        profile__availability=Availability.AWAY if away else Availability.AVAILABLE,
    )
    user.reviewer_profile.expertise.set(list(expertise))
    return user


def open_work(user, count: int) -> None:
    for _ in range(count):
        Assignment.objects.create(
            claim=factories.ClaimFactory(),
            reviewer=user,
            due_at=timezone.now() + dt.timedelta(days=3),
        )


def idle_since(user, when: dt.datetime) -> None:
    done = Assignment.objects.create(
        claim=factories.ClaimFactory(),
        reviewer=user,
        state=AssignmentState.SUBMITTED,
        due_at=when + dt.timedelta(days=3),
    )
    Assignment.objects.filter(pk=done.pk).update(created_at=when)


@pytest.fixture
def desk(editor, django_capture_on_commit_callbacks) -> list[int]:
    """Ten queued claims for eight places; returns their ids in queue order."""
    health = factories.TopicFactory(name="Health")
    defence = factories.TopicFactory(name="Defence")
    reviewer("expert", capacity=2, expertise=[health])
    reviewer("polymath", capacity=1, expertise=[health, defence])
    open_work(reviewer("busy", capacity=3), 2)
    idle_since(reviewer("idle", capacity=1), timezone.now() - dt.timedelta(days=30))
    fresh = reviewer("fresh", capacity=2)
    reviewer("away", capacity=5, away=True)
    author = reviewer("author", capacity=1)
    decliner = reviewer("decliner", capacity=1)

    def claim(n: int, *, priority=Priority.NORMAL, topics=(), by=editor) -> Claim:
        made = factories.ClaimFactory(
            statement=f"Claim {n} of the batch.", submitted_by=by, priority=priority
        )
        made.topics.set(list(topics))
        return made

    claims = [
        claim(1, topics=[health]),
        claim(2, priority=Priority.HIGH, topics=[health, defence]),
        claim(3, by=author),
        claim(4, priority=Priority.HIGH),
        *[claim(n) for n in range(5, 11)],
    ]
    factories.AppearanceFactory(claim=claims[0])
    factories.AppearanceFactory(claim=claims[1], speaker=None)
    # Triaged without running their assignment tasks (dropped, as if still on the queue).
    with django_capture_on_commit_callbacks(execute=False):
        for made in claims:
            services.claim_triage(actor=editor, claim=made)
        # Claim 4 is in research: "fresh" has it, "decliner" turned it down; one place left.
        services.assignment_create(actor=editor, claim=claims[3], reviewer=fresh)
        declined = services.assignment_create(actor=editor, claim=claims[3], reviewer=decliner)
    services.assignment_decline(actor=decliner, assignment=declined, reason="No time.")
    EmailLog.objects.all().delete()  # the manual offers' emails: not what is compared
    return [c.pk for c in claims]


def single_service(claim_ids: list[int]) -> None:
    for claim_id in claim_ids:
        claim_auto_assign(claim_id=claim_id)


def one_batch(claim_ids: list[int]) -> None:
    assert claims_auto_assign(claim_ids=claim_ids).claim_ids == set(claim_ids)


VOLATILE = {
    "id",
    "history_id",
    "created_at",
    "updated_at",
    "history_date",
    "due_at",
    "message_id",
    "next_attempt_at",
}


def stored() -> dict[str, list]:
    """Every row of every table assignment writes, every column but ids and times, references
    given as what they point at, due dates as the turnaround they give."""
    users = dict(get_user_model().objects.values_list("pk", "username"))
    claims = dict(Claim.objects.values_list("pk", "statement"))
    assignments = {
        a.pk: (claims[a.claim_id], users[a.reviewer_id], a) for a in Assignment.objects.all()
    }
    out: dict[str, list] = {}
    for model in (
        Claim,
        Claim.history.model,
        Assignment,
        Assignment.history.model,
        WorkflowEvent,
        EmailLog,
    ):
        rows = []
        for row in model._default_manager.values():
            if model is Claim.history.model:
                row["claim"] = claims[row["id"]]
            if model in (Assignment, Assignment.history.model):
                row["assignment"] = assignments[row["id"]][:2]
                row["turnaround"] = round((row["due_at"] - row["created_at"]).total_seconds())
            if model is EmailLog:
                assignment = assignments[row["assignment_id"]][2]
                assert f"assignment.{assignment.pk}@" in row["message_id"]
                row["key"] = row["key"].replace(str(assignment.pk), "#")
                for name in ("subject", "body_text", "body_html"):
                    row[name] = without_due_date(row[name], assignment.due_at)
            for name in ("claim_id",):
                if row.get(name) is not None:
                    row[name] = claims[row[name]]
            for name in ("reviewer_id", "user_id", "actor_id", "assigned_by_id", "history_user_id",
                         "submitted_by_id", "published_by_id"):  # fmt: skip
                if row.get(name) is not None:
                    row[name] = users[row[name]]
            if row.get("assignment_id") is not None:
                row["assignment_id"] = assignments[row["assignment_id"]][:2]
            rows.append(sorted((k, repr(v)) for k, v in row.items() if k not in VOLATILE))
        out[model._meta.label] = sorted(rows)
    # The order of each claim's timeline, which the comparison above does not see.
    out["timelines"] = [
        (claims[e.claim_id], e.action, e.note)
        for e in WorkflowEvent.objects.order_by("claim_id", "created_at", "pk")
    ]
    return out


def without_due_date(text: str, due_at: dt.datetime) -> str:
    """The text with the due date as the templates print it replaced by a mark: the two runs
    are a few milliseconds apart, and may fall either side of a minute."""
    local = timezone.localtime(due_at)
    for fmt in ("l j F Y, H:i T", "D j M, H:i"):
        text = text.replace(dateformat.format(local, fmt), "<due>")
    return re.sub(r"\s+", " ", text)


def stored_after(assign: Callable[[list[int]], None], claim_ids: list[int]) -> dict[str, list]:
    """What ``assign`` stores on the desk, then the desk as it was."""
    with transaction.atomic():
        assign(claim_ids)
        rows = stored()
        transaction.set_rollback(True)
    return rows


def test_a_batch_stores_exactly_the_rows_of_assigning_one_claim_at_a_time(desk):
    single = stored_after(single_service, desk)
    batch = stored_after(one_batch, desk)

    assert batch == single
    # The comparison compared something: eight places filled, three claims left waiting.
    automatic = [e for e in single["timelines"] if e[2].startswith("Assigned automatically")]
    assert len(automatic) == len(single["verification.EmailLog"]) == 8
    moved = [e for e in single["timelines"] if e[1] == "start_research"]
    assert len(moved) == 7  # claim 4: by its manual offer; 8 to 10 wait


def test_a_batch_picks_the_reviewers_successive_single_assignments_would(desk):
    def picks(assign: Callable[[list[int]], None]) -> list[tuple[str, str, str]]:
        with transaction.atomic():
            assign(desk)
            made = list(
                Assignment.objects.filter(events__note__startswith="Assigned automatically")
                .order_by("pk")
                .values_list("claim__statement", "reviewer__username", "events__note")
            )
            transaction.set_rollback(True)
        return made

    expected = picks(single_service)

    assert picks(one_batch) == expected
    assert [(claim[:8], who) for claim, who, _note in expected] == [
        ("Claim 1 ", "expert"),  # matching expertise first, then the lower id
        ("Claim 2 ", "polymath"),  # two matching topics beat one
        ("Claim 2 ", "expert"),  # a second, different reviewer
        ("Claim 3 ", "idle"),  # never the submitter ("author"); idle longest of the unloaded
        ("Claim 4 ", "author"),  # never "fresh" (has it) nor "decliner" (declined it)
        ("Claim 5 ", "decliner"),  # unloaded, where "fresh" has one open and "busy" two
        ("Claim 6 ", "fresh"),
        ("Claim 7 ", "busy"),  # the last place; claims 8 to 10 wait
    ]
