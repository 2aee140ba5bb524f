"""Who may open which page of the dashboard: every page of every model in the admin (list, add,
change, history, delete) and the desk's own screens, for anonymous, outsider (logged in, not
staff), reviewer, editor and admin. A page someone may open answers 200; staff who may not get
403; anyone else is sent to log in. A model added to the admin without a row here fails the
test, so the matrix stays whole. (The API's matrix is ``tests/security/test_api_matrix.py``.)
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from claims.bulk import import_job_create, import_job_run
from claims.extraction.ingest import source_ingest
from claims.models import ExternalReview, ExternalReviewOrigin, IngestJob, IngestKind
from config.accounts.models import ApiToken
from config.archive.files import file_store
from config.archive.models import ChangeKind, Page, PageChange, Snapshot
from config.webhooks.services.endpoints import endpoint_create
from tests import factories
from verification import services

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "reviewer", "editor", "admin")
STAFF = frozenset({"reviewer", "editor", "admin"})
EDITORS = frozenset({"editor", "admin"})
ADMIN = frozenset({"admin"})
NOBODY: frozenset[str] = frozenset()

# Model (its admin URL's app/model) → who may open its list, add, change, history and delete
# pages. "change" for someone who may only view is the read-only view of the row.
MODEL_PAGES: dict[str, tuple[frozenset[str], ...]] = {
    "claims/claim": (STAFF, STAFF, STAFF, STAFF, NOBODY),  # claims are dismissed, never deleted
    "claims/source": (STAFF, STAFF, STAFF, STAFF, ADMIN),
    "claims/speaker": (STAFF, STAFF, STAFF, STAFF, ADMIN),
    "claims/attributedstatement": (STAFF, NOBODY, STAFF, STAFF, NOBODY),  # ingestion writes
    "claims/appearance": (STAFF, EDITORS, STAFF, STAFF, ADMIN),
    "claims/topic": (STAFF, EDITORS, STAFF, STAFF, ADMIN),
    "claims/quantity": (STAFF, EDITORS, STAFF, STAFF, EDITORS),
    "claims/ingestjob": (EDITORS, NOBODY, EDITORS, EDITORS, NOBODY),
    "claims/importjob": (EDITORS, NOBODY, EDITORS, EDITORS, NOBODY),
    "claims/importrow": (EDITORS, NOBODY, EDITORS, EDITORS, NOBODY),
    "verification/assignment": (STAFF, NOBODY, STAFF, STAFF, ADMIN),
    "verification/evidence": (STAFF, STAFF, STAFF, STAFF, NOBODY),
    "verification/review": (STAFF, NOBODY, STAFF, STAFF, NOBODY),
    "verification/reviewerprofile": (STAFF, EDITORS, STAFF, STAFF, ADMIN),
    "claims/externalreview": (STAFF, NOBODY, STAFF, STAFF, NOBODY),
    "claims/correction": (STAFF, NOBODY, STAFF, STAFF, NOBODY),  # made on the claim's screen
    "verification/emaillog": (EDITORS, NOBODY, EDITORS, EDITORS, NOBODY),
    "verification/workflowevent": (STAFF, NOBODY, STAFF, STAFF, NOBODY),
    "accounts/loginevent": (ADMIN, NOBODY, ADMIN, ADMIN, NOBODY),
    "auth/user": (ADMIN, ADMIN, ADMIN, ADMIN, ADMIN),
    "auth/group": (ADMIN, ADMIN, ADMIN, ADMIN, ADMIN),
    # A token's own pages depend on whose it is: test_a_tokens_pages_open_for_its_owner_and_admins
    "accounts/apitoken": (STAFF, STAFF, None, None, None),
    "axes/accessattempt": (ADMIN, NOBODY, ADMIN, ADMIN, ADMIN),
    "axes/accesslog": (ADMIN, NOBODY, None, None, None),  # off: axes writes none
    "axes/accessfailurelog": (ADMIN, NOBODY, None, None, None),  # off too
    "otp_totp/totpdevice": (ADMIN, ADMIN, ADMIN, ADMIN, ADMIN),
    "django_celery_beat/periodictask": (ADMIN, ADMIN, ADMIN, ADMIN, ADMIN),
    "archive/page": (STAFF, NOBODY, STAFF, STAFF, ADMIN),  # what was fetched: read-only
    "archive/pagechange": (STAFF, NOBODY, STAFF, STAFF, ADMIN),
    "webhooks/endpoint": (EDITORS, EDITORS, EDITORS, EDITORS, EDITORS),
    "webhooks/delivery": (EDITORS, NOBODY, EDITORS, EDITORS, NOBODY),  # the log: read-only
    "django_celery_beat/crontabschedule": (ADMIN, ADMIN, ADMIN, ADMIN, ADMIN),
    "django_celery_beat/intervalschedule": (ADMIN, ADMIN, ADMIN, ADMIN, ADMIN),
    "django_celery_beat/solarschedule": (ADMIN, ADMIN, None, None, None),
    "django_celery_beat/clockedschedule": (ADMIN, ADMIN, None, None, None),
}
VIEWS = ("list", "add", "change", "history", "delete")


@pytest.fixture
def people(outsider, reviewer, editor) -> dict[str, Any]:
    return {
        "anonymous": None,
        "outsider": outsider,
        "reviewer": reviewer,
        "editor": editor,
        "admin": factories.UserFactory(username="admin", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def desk(
    people, editor, reviewer, second_reviewer, webhook, published_claim, unverifiable_claim
) -> dict[str, Any]:
    """A row of every model the matrix opens, and the claims and assignment the desk's own
    screens are about (the webhook's delivery is recorded as the claim is published)."""
    # On a new claim: a published claim's parts are read-only.
    new = factories.ClaimFactory()
    factories.AppearanceFactory(claim=new)
    new.topics.add(factories.TopicFactory(name="Economy"))
    source_ingest(actor=editor, text="Health Minister Ana Duarte said 1,400 people died.")
    factories.QuantityFactory(claim=new)
    IngestJob.objects.create(created_by=editor, kind=IngestKind.TEXT, input="An article.")
    imported = import_job_create(
        actor=editor,
        upload=ContentFile(b"statement\nThe fleet has 40 ships.\n", name="claims.csv"),
        file_format="csv",
        publish=False,
    )
    import_job_run(job_id=imported.pk)  # a job and its report line
    ExternalReview.objects.create(
        claim=published_claim,
        publisher="Checkers",
        rating_text="False",
        rating="false",
        origin=ExternalReviewOrigin.CLAIMREVIEW,
    )
    guess = factories.UserFactory(username="guess")
    Client().post("/admin/login/", {"username": "guess", "password": "wrong"})  # an attempt
    TOTPDevice.objects.create(user=guess, name="Phone")  # (one of the people's would ask a code)
    factories.api_key(guess)
    triaged = services.claim_triage(actor=editor, claim=factories.ClaimFactory())
    offer = services.assignment_create(actor=editor, claim=triaged, reviewer=reviewer)
    for user in people.values():
        if user is not None:
            Client().force_login(user)  # a login event, and the people's own rows
    snapshot = _archived_copy(published_claim)
    services.claim_update(
        actor=editor, claim=published_claim, summary="Page 4.", note="Added the page."
    )
    return {
        "in_review": unverifiable_claim,
        "triaged": triaged,
        "offer": offer,
        "snapshot": snapshot,
        "published": published_claim,
        "other_reviewer": second_reviewer,
    }


def _archived_copy(claim: Any) -> Snapshot:
    """An archived copy of the claim's evidence page, and a change the watch found in it."""
    cited = Page.objects.get(citations__evidence__claim=claim)
    warc, warc_sha = file_store(page_id=cited.pk, name=".warc.gz", data=b"WARC stand-in")
    text, text_sha = file_store(page_id=cited.pk, name=".txt", data=b"The budget table.")
    snapshot = Snapshot.objects.create(
        page=cited,
        fetched_at=timezone.now(),
        final_url=cited.url,
        status_code=200,
        body_sha256="0" * 64,
        body_size=10,
        warc_key=warc,
        warc_sha256=warc_sha,
        text_key=text,
        text_sha256=text_sha,
    )
    PageChange.objects.create(page=cited, kind=ChangeKind.GONE, before=snapshot, reason="404")
    return snapshot


@pytest.fixture
def webhook(editor):
    return endpoint_create(actor=editor, url="https://cms.example/hooks", events=["published"])


def open_as(user: Any, path: str) -> Any:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(path)


def expected(role: str, allowed: frozenset[str]) -> int:
    if role in allowed:
        return 200
    return 403 if role in STAFF else 302


def check(people: dict[str, Any], path: str, allowed: frozenset[str]) -> list[str]:
    wrong = []
    for role in ROLES:
        answer = open_as(people[role], path)
        want = expected(role, allowed)
        if answer.status_code != want:
            wrong.append(f"{role} {path}: {answer.status_code}, not {want}")
        elif want == 302:
            assert answer.url.startswith(reverse("admin:login")), (role, path, answer.url)
    return wrong


def test_every_model_of_the_admin_has_its_row() -> None:
    registered = {model._meta.label_lower.replace(".", "/") for model in admin.site._registry}
    assert registered == set(MODEL_PAGES)


def test_each_role_opens_the_model_pages_it_may_and_no_other(people, desk) -> None:
    wrong = []
    for label, allowed_by_view in MODEL_PAGES.items():
        app_label, model_name = label.split("/")
        model = next(
            m for m in admin.site._registry if m._meta.label_lower == f"{app_label}.{model_name}"
        )
        row = model._default_manager.order_by("pk").first()
        for view, allowed in zip(VIEWS, allowed_by_view, strict=True):
            if allowed is None:
                continue  # nothing of the kind to open
            assert view in ("list", "add") or row is not None, f"no {label} row to open"
            name = {"list": "changelist"}.get(view, view)
            args = [] if view in ("list", "add") else [row.pk]
            path = reverse(f"admin:{app_label}_{model_name}_{name}", args=args)
            wrong += check(people, path, allowed)
    assert wrong == [], "\n".join(wrong)


def test_each_role_opens_the_desk_screens_it_may_and_no_other(people, desk) -> None:
    screens = [
        (reverse("admin:index"), STAFF),
        (reverse("admin:verification_assignment_mine"), STAFF),
        # Calibration: editors read every reviewer's and the desk's, a reviewer only their own.
        (reverse("admin:calibration"), EDITORS),
        (reverse("admin:reviewer_calibration", args=[people["reviewer"].pk]), STAFF),
        (reverse("admin:reviewer_calibration", args=[desk["other_reviewer"].pk]), EDITORS),
        # Only the reviewer it was offered to writes the review of an assignment.
        (reverse("admin:verification_assignment_review", args=[desk["offer"].pk]), {"reviewer"}),
        (reverse("admin:claims_claim_signoff", args=[desk["in_review"].pk]), EDITORS),
        (reverse("admin:claims_claim_assign", args=[desk["triaged"].pk]), EDITORS),
        (reverse("admin:claims_claim_correct", args=[desk["published"].pk]), EDITORS),
        (reverse("admin:claims_ingestjob_ingest"), EDITORS),
        (reverse("accounts:two_factor"), STAFF),
        (reverse("admin:password_change"), STAFF),
        (reverse("archive:watch"), STAFF),
        (reverse("archive:text", args=[desk["snapshot"].pk]), STAFF),
        (reverse("archive:warc", args=[desk["snapshot"].pk]), EDITORS),
        (reverse("archive:bundle", args=[desk["published"].pk]), EDITORS),
    ]
    wrong = []
    for path, allowed in screens:
        wrong += check(people, path, frozenset(allowed))
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_the_public_pages_open_for_everyone(people, desk, published_claim, role) -> None:
    for path in (reverse("factcheck-detail", args=[published_claim.pk]), "/api/docs/"):
        assert open_as(people[role], path).status_code == 200, path


def test_a_tokens_pages_open_for_its_owner_and_admins(people, desk) -> None:
    """Staff see their own tokens' pages; someone else's token does not exist for them (the
    admin's answer for a row outside what one may see: back to the index); admins see all."""
    wrong = []
    for role in ("reviewer", "editor", "admin"):
        factories.api_key(people[role], name=f"{role}'s")
    for owner in ("reviewer", "editor", "admin"):
        token = ApiToken.objects.get(name=f"{owner}'s")
        for view in ("change", "history", "delete"):
            path = reverse(f"admin:accounts_apitoken_{view}", args=[token.pk])
            for role in ROLES:
                answer = open_as(people[role], path)
                if role in (owner, "admin"):
                    want = 200
                elif role in STAFF:
                    want = 302  # "does not exist", to the admin's index
                else:
                    want = 302  # to the login page
                if answer.status_code != want:
                    wrong.append(f"{role} {view} of {owner}'s token: {answer.status_code}")
                elif role in STAFF and want == 302:
                    assert answer.url == reverse("admin:index"), answer.url
    assert wrong == [], "\n".join(wrong)
