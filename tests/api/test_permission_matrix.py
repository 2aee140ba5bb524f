"""Who may do what: every endpoint and method of /api/v1/, for every role, with the status each
must get. A row is (endpoint, method, expected statuses for anonymous, outsider, reviewer,
editor, admin). The reviewer is the one the fixtures assigned (``reviewer``); the editor did
not review the claim in review, so may publish it.

Anonymous callers get 401 everywhere here (their only door is the public ClaimReview output),
outsiders 403; the schema and its documentation are public.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests import factories
from tests.api.conftest import ROLES, client_for

pytestmark = pytest.mark.django_db

ANON, OUT = 401, 403


@dataclass(frozen=True)
class Cell:
    method: str
    path: str  # formatted with the fixtures named in ``needs``
    expected: tuple[int, int, int, int, int]  # by ROLES
    needs: tuple[str, ...] = ()
    body: Callable[[dict[str, Any]], dict[str, Any]] | dict[str, Any] | None = None
    if_match: bool = False  # send the resource's current ETag
    extra: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


READ = (ANON, OUT, 200, 200, 200)
EDITORS = (ANON, OUT, 403, 200, 200)
EDITORS_CREATE = (ANON, OUT, 403, 201, 201)
DESK_CREATE = (ANON, OUT, 201, 201, 201)
ASSIGNEE = (ANON, OUT, 200, 403, 403)
NOT_ALLOWED = (ANON, OUT, 405, 405, 405)
PUBLIC = (200, 200, 200, 200, 200)


def _evidence_body(objs: dict[str, Any]) -> dict[str, Any]:
    return {
        "claim": objs["claim_in_research"].pk,
        "title": "Budget table",
        "url": "https://records.example/table",
        "stance": "supports",
        "source_reliability": "B",
        "credibility": 2,
    }


def _claim_body(objs: dict[str, Any]) -> dict[str, Any]:
    source = factories.SourceFactory()
    return {
        "statement": "A checkable figure.",
        "appearances": [{"source": source.pk, "quote": source.text[:20], "start": 0}],
    }


UNVERIFIABLE = {"rating": "unverifiable", "confidence": "low", "rationale": "No records."}

MATRIX: list[Cell] = [
    # Reads.
    *(
        Cell("get", f"/api/v1/{name}/", READ)
        for name in (
            "topics",
            "speakers",
            "statements",
            "sources",
            "claims",
            "evidence",
            "assignments",
            "reviews",
            "reviewer-profiles",
            "events",
        )
    ),
    Cell("get", "/api/v1/topics/{topic.pk}/", READ, ("topic",)),
    Cell("get", "/api/v1/speakers/{speaker.pk}/", READ, ("speaker",)),
    Cell("get", "/api/v1/sources/{source.pk}/", READ, ("source",)),
    Cell("get", "/api/v1/claims/{new_claim.pk}/", READ, ("new_claim",)),
    Cell("get", "/api/v1/claims/{new_claim.pk}/history/", READ, ("new_claim",)),
    Cell("get", "/api/v1/evidence/{evidence.pk}/", READ, ("evidence",)),
    Cell("get", "/api/v1/assignments/{assignment.pk}/", READ, ("assignment",)),
    Cell("get", "/api/v1/reviews/{review.pk}/", READ, ("review",)),
    Cell("get", "/api/v1/reviewer-profiles/{profile.pk}/", READ, ("profile",)),
    Cell("get", "/api/v1/events/{event.pk}/", READ, ("event",)),
    Cell("get", "/api/v1/stats/", EDITORS),
    # Capture.
    Cell("post", "/api/v1/topics/", EDITORS_CREATE, body={"name": "Ceasefire talks"}),
    Cell("post", "/api/v1/speakers/", DESK_CREATE, body={"name": "John Kirby", "role": "NSC"}),
    Cell("post", "/api/v1/sources/", DESK_CREATE, body={"title": "Notes", "text": "Some text."}),
    Cell("post", "/api/v1/claims/", DESK_CREATE, body=_claim_body),
    Cell(
        "patch",
        "/api/v1/claims/{new_claim.pk}/",
        EDITORS,
        ("new_claim",),
        {"priority": "high"},
        if_match=True,
    ),
    Cell(
        "put",
        "/api/v1/claims/{new_claim.pk}/",
        EDITORS,
        ("new_claim",),
        {"statement": "Reworded.", "priority": "low", "topics": []},
        if_match=True,
    ),
    Cell("delete", "/api/v1/claims/{new_claim.pk}/", NOT_ALLOWED, ("new_claim",)),
    Cell("put", "/api/v1/sources/{source.pk}/", NOT_ALLOWED, ("source",), {"title": "x"}),
    Cell("delete", "/api/v1/evidence/{evidence.pk}/", NOT_ALLOWED, ("evidence",)),
    Cell("post", "/api/v1/evidence/", DESK_CREATE, ("claim_in_research",), _evidence_body),
    # Claim moves.
    Cell("post", "/api/v1/claims/{new_claim.pk}/triage/", EDITORS, ("new_claim",)),
    Cell(
        "post",
        "/api/v1/claims/{new_claim.pk}/dismiss/",
        EDITORS,
        ("new_claim",),
        {"reason": "Opinion."},
    ),
    Cell("post", "/api/v1/claims/{dismissed_claim.pk}/restore/", EDITORS, ("dismissed_claim",)),
    Cell(
        "post",
        "/api/v1/claims/{triaged_claim.pk}/assign/",
        EDITORS_CREATE,
        ("triaged_claim", "second_reviewer"),
        lambda objs: {"reviewer": objs["second_reviewer"].pk},
    ),
    Cell(
        "post",
        "/api/v1/claims/{claim_in_review.pk}/send-back/",
        EDITORS,
        ("claim_in_review",),
        {"note": "Cite the budget line."},
    ),
    Cell("post", "/api/v1/claims/{claim_in_review.pk}/publish/", EDITORS, ("claim_in_review",)),
    Cell(
        "post",
        "/api/v1/claims/{published_claim.pk}/reopen/",
        EDITORS,
        ("published_claim",),
        {"reason": "New figures."},
    ),
    # Assignment moves and reviews.
    Cell("post", "/api/v1/assignments/{assignment.pk}/accept/", ASSIGNEE, ("assignment",)),
    Cell("post", "/api/v1/assignments/{assignment.pk}/decline/", ASSIGNEE, ("assignment",)),
    Cell(
        "post",
        "/api/v1/assignments/{assignment.pk}/withdraw/",
        EDITORS,
        ("assignment",),
        {"reason": "Reassigning."},
    ),
    Cell(
        "post",
        "/api/v1/assignments/{assignment.pk}/review/",
        (ANON, OUT, 201, 403, 403),
        ("assignment",),
        UNVERIFIABLE,
    ),
    Cell(
        "post",
        "/api/v1/reviews/",
        (ANON, OUT, 201, 403, 403),
        ("assignment",),
        lambda objs: {"assignment": objs["assignment"].pk, **UNVERIFIABLE},
    ),
    Cell("put", "/api/v1/assignments/{assignment.pk}/", NOT_ALLOWED, ("assignment",), {}),
    # Reviewer profiles: one's own, someone else's, a new one.
    Cell(
        "patch",
        "/api/v1/reviewer-profiles/{profile.pk}/",
        (ANON, OUT, 200, 200, 200),
        ("profile",),
        {"capacity": 5},
        if_match=True,
    ),
    Cell(
        "patch",
        "/api/v1/reviewer-profiles/{other_profile.pk}/",
        (ANON, OUT, 403, 200, 200),
        ("other_profile",),
        {"availability": "away"},
        if_match=True,
    ),
    Cell(
        "post",
        "/api/v1/reviewer-profiles/",
        EDITORS_CREATE,
        body=lambda objs: {"user": factories.UserFactory().pk, "capacity": 2},
    ),
    # Documentation is public.
    Cell("get", "/api/schema/", PUBLIC),
    Cell("get", "/api/docs/", PUBLIC),
]


@pytest.fixture
def topic(db):
    return factories.TopicFactory()


@pytest.fixture
def speaker(db):
    return factories.SpeakerFactory()


@pytest.fixture
def source(db):
    return factories.SourceFactory()


@pytest.fixture
def review(claim_in_review):
    return claim_in_review.reviews.get()


@pytest.fixture
def profile(reviewer):
    return reviewer.reviewer_profile


@pytest.fixture
def other_profile(second_reviewer):
    return second_reviewer.reviewer_profile


@pytest.fixture
def event(new_claim):
    return new_claim.events.get()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("cell", MATRIX, ids=str)
def test_each_role_gets_the_expected_status_at_each_endpoint(
    cell: Cell, role: str, role_user, request, editor
):
    objs = {name: request.getfixturevalue(name) for name in cell.needs}
    user = role_user(role)  # after the fixtures, so that a role's user is the fixtures' one
    path = cell.path.format(**objs)
    body = cell.body(objs) if callable(cell.body) else cell.body
    headers = {}
    if cell.if_match:
        headers["HTTP_IF_MATCH"] = client_for(editor).get(path)["ETag"]
    response = getattr(client_for(user), cell.method)(path, body, format="json", **headers)
    expected = cell.expected[ROLES.index(role)]
    assert response.status_code == expected, (role, str(cell), response.content[:300])
    if expected >= 400:
        assert set(response.json()["error"]) == {"code", "message", "fields"}
