"""Who may take a claim: one rule (``verification.eligibility``), asked by every door.

Each case below runs through both paths: an editor's pick (``assignment_create``: the admin's
assign screen and the API's ``assign`` call it) and automatic assignment
(``claim_auto_assign``). The rule is the same but for one parameter, the choice: automatic
assignment also passes over anyone who held the claim before (an earlier round, or an
assignment that expired or was withdrawn), where an editor may pick them deliberately.

The claim is in research in its second round and needs two reviewers; ``candidate`` is the
person the case is about, ``bystander`` a reviewer anybody may pick (so automatic assignment
has run and chosen, and the round always has a place for the candidate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from claims.exceptions import WorkflowConflict
from claims.models import Claim, ClaimState
from tests import factories
from tests.api.conftest import client_for
from tests.conftest import person
from verification import services
from verification.eligibility import Choice, Refusal, reviewers_eligible
from verification.models import Assignment, AssignmentState, Availability, WorkflowEvent
from verification.services.auto_assign import claim_auto_assign

pytestmark = pytest.mark.django_db

S, D, E, W, OFFERED = (
    AssignmentState.SUBMITTED,
    AssignmentState.DECLINED,
    AssignmentState.EXPIRED,
    AssignmentState.WITHDRAWN,
    AssignmentState.OFFERED,
)


def held(state: str, review_round: int) -> Callable[[Claim, object], None]:
    """The candidate had an assignment on the claim in ``review_round``, now in ``state``."""

    def setup(claim: Claim, candidate) -> None:
        Assignment.objects.create(
            claim=claim,
            reviewer=candidate,
            review_round=review_round,
            state=state,
            due_at=timezone.now() + dt.timedelta(days=1),
        )

    return setup


def away(claim: Claim, candidate) -> None:
    candidate.reviewer_profile.availability = Availability.AWAY
    candidate.reviewer_profile.save()


def at_capacity(claim: Claim, candidate) -> None:
    candidate.reviewer_profile.capacity = 1
    candidate.reviewer_profile.save()
    held(OFFERED, 1)(factories.ClaimFactory(), candidate)  # open work on another claim


def submitted_it(claim: Claim, candidate) -> None:
    Claim.objects.filter(pk=claim.pk).update(submitted_by=candidate)


def left_the_reviewers(claim: Claim, candidate) -> None:
    candidate.groups.clear()


def deactivated(claim: Claim, candidate) -> None:
    candidate.is_active = False
    candidate.save()


# case → (setup, the refusal for an editor's pick, the refusal for automatic assignment)
CASES: dict[str, tuple[Callable[[Claim, object], None], Refusal | None, Refusal | None]] = {
    "never held it": (lambda claim, candidate: None, None, None),
    "reviewed it in an earlier round": (held(S, 1), None, Refusal.HELD_BEFORE),
    "declined it in an earlier round": (held(D, 1), None, Refusal.HELD_BEFORE),
    "let it expire in an earlier round": (held(E, 1), None, Refusal.HELD_BEFORE),
    "let it expire in this round": (held(E, 2), None, Refusal.HELD_BEFORE),
    "had it withdrawn in this round": (held(W, 2), None, Refusal.HELD_BEFORE),
    "declined it in this round": (held(D, 2), Refusal.DONE_THIS_ROUND, Refusal.DONE_THIS_ROUND),
    "reviewed it in this round": (held(S, 2), Refusal.DONE_THIS_ROUND, Refusal.DONE_THIS_ROUND),
    "has it open": (held(OFFERED, 2), Refusal.HAS_IT_OPEN, Refusal.HAS_IT_OPEN),
    "is away": (away, Refusal.AWAY, Refusal.AWAY),
    "is at capacity": (at_capacity, Refusal.AT_CAPACITY, Refusal.AT_CAPACITY),
    "submitted it": (submitted_it, Refusal.SUBMITTER, Refusal.SUBMITTER),
    "is no longer a reviewer": (left_the_reviewers, Refusal.NOT_REVIEWER, Refusal.NOT_REVIEWER),
    "is deactivated": (deactivated, Refusal.NOT_REVIEWER, Refusal.NOT_REVIEWER),
}


bystander = person(factories.ReviewerFactory, "bystander")
candidate = person(factories.ReviewerFactory, "candidate")


def second_round_claim(editor) -> Claim:
    claim = factories.ClaimFactory(submitted_by=editor)
    Claim.objects.filter(pk=claim.pk).update(
        state=ClaimState.IN_RESEARCH, review_round=2, required_reviews=2
    )
    return Claim.objects.get(pk=claim.pk)


def case_claim(case: str, editor, candidate) -> Claim:
    """A second-round claim, with ``candidate`` in the case's situation (both fresh from the
    database)."""
    claim = second_round_claim(editor)
    CASES[case][0](claim, candidate)
    claim.refresh_from_db()
    candidate.refresh_from_db()
    return claim


def verdict_for(claim: Claim, person, choice: Choice):
    [verdict] = reviewers_eligible(claim, choice=choice, reviewers=[person])
    return verdict


@pytest.mark.parametrize("case", CASES)
def test_an_editors_pick(case, editor, candidate, bystander):
    _setup, expected, _automatic = CASES[case]
    claim = case_claim(case, editor, candidate)
    verdict = verdict_for(claim, candidate, Choice.EDITOR)
    assert verdict.refusal == expected
    before = (Assignment.objects.count(), WorkflowEvent.objects.count())

    if expected is None:
        made = services.assignment_create(actor=editor, claim=claim, reviewer=candidate)
        assert (made.reviewer, made.review_round, made.state) == (candidate, 2, OFFERED)
        return
    error = WorkflowConflict if expected == Refusal.HAS_IT_OPEN else ValidationError
    with pytest.raises(error) as refused:
        services.assignment_create(actor=editor, claim=claim, reviewer=candidate)

    assert verdict.message in str(refused.value)
    assert (Assignment.objects.count(), WorkflowEvent.objects.count()) == before


@pytest.mark.parametrize("case", CASES)
def test_automatic_assignment(case, editor, candidate, bystander):
    _setup, _editor, expected = CASES[case]
    claim = case_claim(case, editor, candidate)
    assert verdict_for(claim, candidate, Choice.AUTOMATIC).refusal == expected

    chosen = {a.reviewer.username for a in claim_auto_assign(claim_id=claim.pk)}

    assert "bystander" in chosen
    assert ("candidate" in chosen) == (expected is None)


def test_the_send_back_offers_the_new_round_to_the_last_rounds_reviewers_as_an_editor_would(
    claim_in_review, other_editor
):
    last_round = set(Assignment.objects.filter(claim=claim_in_review).values_list("reviewer"))

    services.claim_send_back(actor=other_editor, claim=claim_in_review, note="Find the table.")

    offered = Assignment.objects.filter(claim=claim_in_review, review_round=2)
    assert set(offered.values_list("reviewer")) == last_round
    assert {a.assigned_by for a in offered} == {other_editor}


def test_the_reasons_name_the_person_the_claim_and_the_load(editor, candidate):
    claim = second_round_claim(editor)
    at_capacity(claim, candidate)

    verdict = verdict_for(claim, candidate, Choice.EDITOR)

    assert verdict.message == "candidate is at capacity (1 of 1 open)."
    held(D, 2)(claim, candidate)
    verdict = verdict_for(claim, candidate, Choice.EDITOR)
    assert (
        verdict.message
        == f"candidate already reviewed or declined claim #{claim.pk} in this round."
    )


def test_the_api_lists_who_may_take_a_claim_and_why_not(editor, candidate, bystander):
    claim = second_round_claim(editor)
    held(D, 2)(claim, candidate)

    response = client_for(editor).get("/api/v1/assignments/eligible/", {"claim": claim.pk})

    assert response.status_code == 200
    rows = {row["reviewer_username"]: row for row in response.json()}
    assert set(rows) == {"bystander", "candidate"}
    assert rows["bystander"] == {
        "reviewer": bystander.pk,
        "reviewer_username": "bystander",
        "eligible": True,
        "reason": None,
        "message": "",
        "open_assignments": 0,
        "capacity": 3,
    }
    assert (rows["candidate"]["eligible"], rows["candidate"]["reason"]) == (
        False,
        "done_this_round",
    )
    assert rows["candidate"]["message"] == verdict_for(claim, candidate, Choice.EDITOR).message


@pytest.mark.parametrize(
    ("who", "query", "status"),
    [
        ("reviewer", "claim={claim}", 403),
        ("editor", "", 400),
        ("editor", "claim=not-a-number", 400),
        ("editor", "claim=987654321", 400),
        ("editor", "claim=99999999999999999999", 400),
    ],
)
def test_the_api_list_is_for_editors_and_needs_a_claim(who, query, status, request, editor):
    claim = second_round_claim(editor)
    user = request.getfixturevalue(who)

    response = client_for(user).get(f"/api/v1/assignments/eligible/?{query.format(claim=claim.pk)}")

    assert response.status_code == status
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_the_assign_screen_offers_the_eligible_and_greys_out_the_others_with_the_reason(
    client, editor, candidate, bystander
):
    claim = second_round_claim(editor)
    away(claim, candidate)
    client.force_login(editor)
    url = reverse("admin:claims_claim_assign", args=[claim.pk])

    page = client.get(url).content.decode()

    assert f'<option value="{bystander.pk}">bystander (0/3 open)</option>' in page
    assert (
        f'<option value="{candidate.pk}" disabled>candidate (0/3 open): candidate is away.</option>'
        in page
    )

    # A refused pick posted anyway is refused by the service, with the same reason.
    refused = client.post(url, {"reviewer": candidate.pk}).content.decode()

    assert "candidate is away." in refused
    assert not Assignment.objects.filter(claim=claim).exists()
    client.post(url, {"reviewer": bystander.pk})
    assert Assignment.objects.get(claim=claim).reviewer == bystander
