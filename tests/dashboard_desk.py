"""The small desk the overview's tests (``test_dashboard_*``: figures, links, filters, query
counts, charts, roles) are about: built through the services, with known times. Eight claims,
one in each corner of the workflow, two reviewers and the submitter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from claims.models import Claim, Priority, Rating, Topic
from tests import factories
from tests.conftest import add_evidence, submit_review
from verification import services
from verification.dashboard.scope import DeskScope
from verification.models import Assignment, WorkflowAction, WorkflowEvent

DAY = dt.timedelta(days=1)


@dataclass
class Desk:
    """The desk's rows by name, and ``now``: the instant every time is set relative to."""

    now: dt.datetime
    editor: object
    r1: object
    r2: object
    submitter: object
    aid: Topic
    war: Topic
    claims: dict[str, Claim] = field(default_factory=dict)
    assignments: dict[str, Assignment] = field(default_factory=dict)

    def pks(self, *names: str) -> set[int]:
        return {self.claims[name].pk for name in names}

    def scope(self, **filters) -> DeskScope:
        return DeskScope(now=self.now, **filters)


def _at(model, pk: int, **times: dt.datetime) -> None:
    model.objects.filter(pk=pk).update(**times)


def _event_at(claim: Claim, action: str, when: dt.datetime) -> None:
    WorkflowEvent.objects.filter(claim=claim, action=action).update(created_at=when)


def _review(desk: Desk, name: str, key: str, reviewer, rating: str) -> None:
    """``reviewer`` accepts assignment ``key`` of claim ``name``, cites evidence, reviews."""
    claim = desk.claims[name]
    assignment = desk.assignments[key]
    services.assignment_accept(actor=reviewer, assignment=assignment)
    evidence = add_evidence(
        reviewer,
        claim,
        f"Record for {name} by {reviewer}",
        f"https://records.example/{name}/{reviewer.pk}",
        source_reliability="B",
        credibility=2,
    )
    submit_review(
        reviewer,
        Assignment.objects.get(pk=assignment.pk),
        rating,
        "moderate",
        f"{rating} on the record.",
        [evidence],
    )


def build_desk() -> Desk:
    """Claims (created … days ago): A new (aid, 10), B new (war, 2), C triaged (aid, 6),
    D dismissed (1), E in research (war, 8; r1 overdue, r2 offered), F in review (aid, 4; r2
    reviewed), G published (aid, 30; triaged 28, r1 "true" offered 27 reviewed 25, published 20),
    H published (war, 40; triaged 38; r1 "mostly true" offered 37 reviewed 36, r2 "false"
    offered 37 reviewed 33; published 6 with the editor's rating "false" over a "mixed"
    consensus)."""
    now = timezone.now()
    editor = factories.EditorFactory(username="dash-editor")
    signer = factories.EditorFactory(username="dash-signer")
    r1 = factories.ReviewerFactory(username="dash-r1")
    r2 = factories.ReviewerFactory(username="dash-r2")
    submitter = factories.ReviewerFactory(username="dash-submitter")
    aid = factories.TopicFactory(name="Military aid", slug="military-aid")
    war = factories.TopicFactory(name="Ukraine war", slug="ukraine-war")
    desk = Desk(now=now, editor=editor, r1=r1, r2=r2, submitter=submitter, aid=aid, war=war)
    topics = {"A": aid, "B": war, "C": aid, "E": war, "F": aid, "G": aid, "H": war}
    for name in "ABCDEFGH":
        priority = Priority.HIGH if name in "EH" else Priority.NORMAL
        claim = factories.ClaimFactory(
            statement=f"Claim {name} states a checkable figure.",
            submitted_by=submitter,
            priority=priority,
        )
        if name in topics:
            claim.topics.add(topics[name])
        desk.claims[name] = claim

    def move(name: str, service, **kwargs) -> None:
        desk.claims[name] = service(actor=editor, claim=desk.claims[name], **kwargs)

    def assign(key: str, name: str, reviewer) -> None:
        desk.assignments[key] = services.assignment_create(
            actor=editor, claim=desk.claims[name], reviewer=reviewer
        )

    move("D", services.claim_dismiss, reason="An opinion.")
    for name in "CEFGH":
        move(name, services.claim_triage)
    assign("E1", "E", r1)
    services.assignment_accept(actor=r1, assignment=desk.assignments["E1"])
    assign("E2", "E", r2)
    assign("F2", "F", r2)
    _review(desk, "F", "F2", r2, Rating.MOSTLY_TRUE)
    assign("G1", "G", r1)
    _review(desk, "G", "G1", r1, Rating.TRUE)
    assign("H1", "H", r1)
    assign("H2", "H", r2)
    _review(desk, "H", "H1", r1, Rating.MOSTLY_TRUE)
    _review(desk, "H", "H2", r2, Rating.FALSE)
    for name in "GH":
        desk.claims[name] = services.claim_publish(actor=signer, claim=desk.claims[name])

    # Times, set after the fact: the services stamp "now".
    created = {"A": 10, "B": 2, "C": 6, "D": 1, "E": 8, "F": 4, "G": 30, "H": 40}
    for name, days in created.items():
        _at(Claim, desk.claims[name].pk, created_at=now - days * DAY)
    _event_at(desk.claims["G"], WorkflowAction.TRIAGE, now - 28 * DAY)
    _event_at(desk.claims["H"], WorkflowAction.TRIAGE, now - 38 * DAY)
    _event_at(desk.claims["F"], WorkflowAction.SUBMIT_FOR_SIGNOFF, now - 1 * DAY)
    _at(Claim, desk.claims["G"].pk, published_at=now - 20 * DAY)
    _at(Claim, desk.claims["H"].pk, published_at=now - 6 * DAY)
    Claim.objects.filter(pk=desk.claims["H"].pk).update(
        consensus_rating=Rating.MIXED, published_rating=Rating.FALSE
    )
    Claim.objects.filter(pk=desk.claims["G"].pk).update(published_rating="")
    assignment_times = {
        # key: (offered, due, closed) in days before now
        "E1": (5, 1, None),
        "E2": (1, -2, None),
        "F2": (3, -1, 1),
        "G1": (27, -20, 25),
        "H1": (37, -30, 36),
        "H2": (37, -30, 33),
    }
    for key, (offered, due, closed) in assignment_times.items():
        _at(
            Assignment,
            desk.assignments[key].pk,
            created_at=now - offered * DAY,
            due_at=now - due * DAY,
            closed_at=None if closed is None else now - closed * DAY,
        )
    for name in desk.claims:
        desk.claims[name] = Claim.objects.get(pk=desk.claims[name].pk)
    return desk
