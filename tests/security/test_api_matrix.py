"""Who may do what: every endpoint and method of /api/v1/, for every role, with the status each
must get. A row is (endpoint, method, expected statuses for anonymous, outsider, reviewer,
editor, admin). The reviewer is the one the fixtures assigned (``reviewer``); the editor did
not review the claim in review, so may publish it.

Anonymous callers get 401 everywhere here but the public ClaimReview output, the schema, its
documentation and the browsable API's sign-in page; outsiders 403. A route of the API without a
row here fails ``test_every_route_of_the_api_has_its_row_in_the_matrix``.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, resolve

from claims.bulk import import_job_create, import_job_run
from claims.extraction.ingest import source_ingest
from claims.models import AttributedStatement, IngestJob, IngestKind, SpeakerAlias
from config.accounts.models import ApiToken
from config.archive.services.capture import page_cite
from config.webhooks.models import Delivery
from config.webhooks.services.endpoints import endpoint_create
from tests import factories
from tests.api.conftest import ROLES, client_for
from tests.claimreview import claim_review, organisation, rating_named
from verification import services

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


def _profile_body(objs: dict[str, Any]) -> dict[str, Any]:
    return {"capacity": 4, "availability": "available", "reminders_enabled": True, "expertise": []}


def _claimreview_body(objs: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        **claim_review(
            "The fleet has 40 ships.",
            url="https://checkers.example/fc/1",
            rating=rating_named("False"),
            author=organisation("Checkers"),
        ),
    }


_ARTICLE = (
    "Health Minister Ana Duarte said 1,400 people were killed. "
    "Officials said aid reached $3.8 billion."
)
UNVERIFIABLE = {"rating": "unverifiable", "confidence": "low", "rationale": "No records."}
EDITORS_ONLY = (ANON, 403, 403, 200, 200)
_HOOK = {"url": "https://hooks.example/desk", "events": ["published", "corrected"]}

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
            "corrections",
        )
    ),
    Cell("get", "/api/v1/corrections/{correction.pk}/", READ, ("correction",)),
    Cell("get", "/api/v1/topics/{topic.pk}/", READ, ("topic",)),
    Cell("get", "/api/v1/speakers/{speaker.pk}/", READ, ("speaker",)),
    Cell("get", "/api/v1/speakers/{speaker.pk}/aliases/", READ, ("speaker",)),
    Cell(
        "post",
        "/api/v1/speakers/{speaker.pk}/aliases/",
        EDITORS_CREATE,
        ("speaker",),
        {"name": "The Spokesperson"},
    ),
    Cell(
        "delete",
        "/api/v1/speakers/{speaker.pk}/aliases/{speaker_nickname.pk}/",
        (ANON, OUT, 403, 204, 204),
        ("speaker", "speaker_nickname"),
    ),
    Cell(
        "post",
        "/api/v1/speakers/{speaker.pk}/merge/",
        EDITORS,
        ("speaker", "speaker_twin"),
        lambda objs: {"others": [objs["speaker_twin"].pk]},
    ),
    Cell("get", "/api/v1/sources/{source.pk}/", READ, ("source",)),
    Cell("get", "/api/v1/claims/{new_claim.pk}/", READ, ("new_claim",)),
    Cell("get", "/api/v1/claims/{new_claim.pk}/history/", READ, ("new_claim",)),
    Cell("get", "/api/v1/evidence/{evidence.pk}/", READ, ("evidence",)),
    Cell("get", "/api/v1/assignments/{assignment.pk}/", READ, ("assignment",)),
    Cell("get", "/api/v1/reviews/{review.pk}/", READ, ("review",)),
    Cell("get", "/api/v1/reviewer-profiles/{profile.pk}/", READ, ("profile",)),
    Cell("get", "/api/v1/events/{event.pk}/", READ, ("event",)),
    Cell("get", "/api/v1/statements/{statement.pk}/", READ, ("statement",)),
    Cell("get", "/api/v1/archives/?evidence={evidence.pk}", READ, ("evidence",)),
    Cell("get", "/api/v1/archives/{archived_page.pk}/", READ, ("archived_page",)),
    Cell("get", "/api/v1/stats/", EDITORS),
    # Calibration: editors read the desk's and anyone's, a reviewer only their own.
    Cell("get", "/api/v1/calibration/", EDITORS),
    Cell("get", "/api/v1/reviewers/{reviewer.pk}/calibration/", READ, ("reviewer",)),
    Cell(
        "get", "/api/v1/reviewers/{second_reviewer.pk}/calibration/", EDITORS, ("second_reviewer",)
    ),
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
    Cell(
        "post",
        "/api/v1/claims/{published_claim.pk}/correct/",
        EDITORS,
        ("published_claim",),
        {"rating": "mixed", "note": "A second source differs."},
    ),
    Cell(
        "post",
        "/api/v1/claims/{published_claim.pk}/update-verdict/",
        EDITORS,
        ("published_claim",),
        {"summary": "The budget table, page 4.", "note": "Added the page."},
    ),
    Cell(
        "post",
        "/api/v1/claims/{published_claim.pk}/withdraw/",
        EDITORS,
        ("published_claim",),
        {"note": "Satire, not a claim."},
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
    Cell(
        "put",
        "/api/v1/reviewer-profiles/{profile.pk}/",
        (ANON, OUT, 200, 200, 200),
        ("profile",),
        _profile_body,
        True,
    ),
    # Who may be offered a claim: editors.
    Cell(
        "get", "/api/v1/assignments/eligible/?claim={triaged_claim.pk}", EDITORS, ("triaged_claim",)
    ),
    # Ingestion, bulk import and export, ClaimReview import: editors only.
    Cell("get", "/api/v1/ingest/", EDITORS_ONLY),
    Cell("get", "/api/v1/ingest/{ingest_job.pk}/", EDITORS_ONLY, ("ingest_job",)),
    Cell("post", "/api/v1/ingest/", (ANON, 403, 403, 202, 202), body={"text": _ARTICLE}),
    Cell("get", "/api/v1/imports/", EDITORS_ONLY),
    Cell("get", "/api/v1/imports/{import_job.pk}/", EDITORS_ONLY, ("import_job",)),
    Cell("get", "/api/v1/imports/{import_job.pk}/rows/", EDITORS_ONLY, ("import_job",)),
    Cell(
        "post",
        "/api/v1/claims/import",
        (ANON, 403, 403, 202, 202),
        body="statement\nThe fleet has 40 ships.\n",
        extra={"content_type": "text/csv"},
    ),
    Cell("get", "/api/v1/claims/export", EDITORS_ONLY),
    Cell(
        "post",
        "/api/v1/claimreview/import",
        EDITORS_ONLY,
        body=_claimreview_body,
    ),
    # Likely duplicates: everyone on the desk reads them, editors decide.
    Cell("get", "/api/v1/claim-matches/", READ),
    Cell("get", "/api/v1/claim-matches/{match.pk}/", READ, ("match",)),
    Cell("post", "/api/v1/claim-matches/{match.pk}/confirm/", EDITORS, ("match",)),
    Cell("post", "/api/v1/claim-matches/{match.pk}/reject/", EDITORS, ("match",)),
    # API tokens: one's own (tests/security/test_api_tokens.py has whose-token cases).
    Cell("get", "/api/v1/tokens/", READ),
    Cell("post", "/api/v1/tokens/", DESK_CREATE, body={"name": "CMS sync"}),
    Cell("get", "/api/v1/tokens/{own_token.token_key}/", READ, ("own_token",)),
    Cell(
        "delete",
        "/api/v1/tokens/{own_token.token_key}/",
        (ANON, OUT, 204, 204, 204),
        ("own_token",),
    ),
    # Webhooks: editors only.
    Cell("get", "/api/v1/webhooks/", EDITORS_ONLY),
    Cell("post", "/api/v1/webhooks/", (ANON, 403, 403, 201, 201), body=_HOOK),
    Cell("get", "/api/v1/webhooks/{webhook.pk}/", EDITORS_ONLY, ("webhook",)),
    Cell("put", "/api/v1/webhooks/{webhook.pk}/", EDITORS_ONLY, ("webhook",), _HOOK),
    Cell(
        "patch",
        "/api/v1/webhooks/{webhook.pk}/",
        EDITORS_ONLY,
        ("webhook",),
        {"description": "CMS"},
    ),
    Cell("delete", "/api/v1/webhooks/{webhook.pk}/", (ANON, 403, 403, 204, 204), ("webhook",)),
    Cell("post", "/api/v1/webhooks/{webhook.pk}/enable/", EDITORS_ONLY, ("webhook",)),
    Cell("get", "/api/v1/webhooks/{webhook.pk}/deliveries/", EDITORS_ONLY, ("webhook",)),
    Cell(
        "post",
        "/api/v1/webhooks/{webhook.pk}/deliveries/{webhook_delivery.pk}/redeliver/",
        EDITORS_ONLY,
        ("webhook", "webhook_delivery"),
    ),
    # The public ClaimReview output.
    Cell("get", "/api/v1/claimreview/", PUBLIC),
    Cell("get", "/api/v1/claimreview/{published_claim.pk}/", PUBLIC, ("published_claim",)),
    # The API's index; the browsable API's sign-in and sign-out pages.
    Cell("get", "/api/v1/", READ),
    Cell("get", "/api/auth/login/", PUBLIC),
    Cell("post", "/api/auth/logout/", PUBLIC),
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
def speaker_nickname(speaker):
    return SpeakerAlias.objects.create(speaker=speaker, key="the spokesperson")


@pytest.fixture
def speaker_twin(db):
    return factories.SpeakerFactory(name="Speaker Twin")


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


@pytest.fixture
def archived_page(evidence):
    return page_cite(url="https://records.example/table", evidence=evidence)


@pytest.fixture
def correction(published_claim, editor):
    return services.claim_update(
        actor=editor, claim=published_claim, summary="Page 4.", note="Added the page."
    )


@pytest.fixture
def webhook(editor):
    return endpoint_create(actor=editor, url="https://cms.example/hooks", events=["published"])


@pytest.fixture
def webhook_delivery(webhook, published_claim):
    return Delivery.objects.get(endpoint=webhook)  # recorded as the claim was published


@pytest.fixture
def statement(editor):
    source_ingest(actor=editor, text=_ARTICLE, title="Casualties")
    return AttributedStatement.objects.get(speaker__name="Ana Duarte")


@pytest.fixture
def ingest_job(editor):
    return IngestJob.objects.create(created_by=editor, kind=IngestKind.TEXT, input=_ARTICLE)


@pytest.fixture
def import_job(editor):
    job = import_job_create(
        actor=editor,
        upload=ContentFile(b"statement\nThe fleet has 40 ships.\n", name="claims.csv"),
        file_format="csv",
        publish=False,
    )
    import_job_run(job_id=job.pk)
    return job


@pytest.fixture
def match(suggested_match):
    return suggested_match[2]


def _routes() -> set[tuple[str, str]]:
    """Every (route name, method) under /api/ that the URL configuration answers, but the
    browsable API's sign-in pages (Django's own views) and the router's ".json" twins."""

    def walk(patterns: list[Any], prefix: str) -> Any:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route, pattern

    found = set()
    for route, pattern in walk(get_resolver().url_patterns, ""):
        if not route.startswith("api/") or route.startswith("api/auth/") or "format" in route:
            continue
        view = pattern.callback
        actions = getattr(view, "actions", None)
        if actions:
            methods = set(actions) - {"head"}
        else:
            cls = view.cls if hasattr(view, "cls") else view.view_class
            names = set(cls.http_method_names) - {"options", "head", "trace"}
            methods = {m for m in names if hasattr(cls, m)}
        found |= {(pattern.name, method) for method in methods}
    return found


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("cell", MATRIX, ids=str)
def test_each_role_gets_the_expected_status_at_each_endpoint(
    cell: Cell, role: str, role_user, request, editor
):
    objs = {name: request.getfixturevalue(name) for name in cell.needs if name != "own_token"}
    user = role_user(role)  # after the fixtures, so that a role's user is the fixtures' one
    if "own_token" in cell.needs:  # a token of the caller's own (the editor's for anonymous)
        factories.api_key(user or editor, name="Own")
        objs["own_token"] = ApiToken.objects.get(name="Own")
    path = cell.path.format(**objs)
    body = cell.body(objs) if callable(cell.body) else cell.body
    headers = {}
    if cell.if_match:
        headers["HTTP_IF_MATCH"] = client_for(editor).get(path)["ETag"]
    encoding = {} if "content_type" in cell.extra else {"format": "json"}
    response = getattr(client_for(user), cell.method)(
        path, body, **encoding, **cell.extra, **headers
    )
    expected = cell.expected[ROLES.index(role)]
    assert response.status_code == expected, (role, str(cell), response.content[:300])
    if expected >= 400:
        assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_every_route_of_the_api_has_its_row_in_the_matrix() -> None:
    """A route added without a row here fails, so the matrix stays whole."""
    covered = set()
    for cell in MATRIX:
        path = string.Formatter().vformat(cell.path, (), _Anything()).split("?")[0]
        covered.add((resolve(path).url_name, cell.method))
    missing = _routes() - covered
    assert not missing, sorted(missing)


class _Anything(dict):
    """Formats any ``{fixture.attribute}`` of a cell's path as 1."""

    def __missing__(self, key: str) -> Any:
        return SimpleNamespace(pk=1, token_key="abc")
