"""Browser tests: Playwright for Python driving Debian's Chromium, headless, against a live server.

The server is pytest-django's ``live_server`` (a thread of this process, on the test database),
so every browser test is a transactional test: what the test seeds is committed for the server
to see, and the tables are emptied afterwards. Celery runs eagerly in the test settings, so a
triage in the browser assigns reviewers inside the server's request, and emails land in
``django.core.mail.outbox``.

No browser is downloaded: the tests launch the system's ``/usr/bin/chromium`` (``.ci/run``
installs it). Without it the tests skip locally and fail under CI (``CI=true``).

Screenshots of each screen go to ``var/screenshots/`` (ignored by git), or to
``$SCREENSHOT_DIR``; with ``SAVE_DOCS_SCREENSHOTS=1`` the ones the README shows are also copied
to ``docs/screenshots/``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from claims import services as claims_services
from claims.models import Attribution, Claim, ClaimState, Confidence, Priority, Rating, Topic
from tests import factories
from verification import services as verification_services
from verification.models import Assignment, Evidence, Stance

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Chromium's own background traffic (updates, sync, field trials) is switched off: the tests
# must run offline, and the sandbox needs privileges a CI container does not give.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# 1280 wide: the README's screenshots are read at that width.
VIEWPORT = {"width": 1280, "height": 900}
# A page of the admin answers in milliseconds; a step that waits longer than this is broken.
STEP_TIMEOUT_MS = 10_000
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", REPO_ROOT / "var" / "screenshots"))
DOCS_SCREENSHOT_DIR = REPO_ROOT / "docs" / "screenshots"
# The screens the README shows, by the name the tests give their screenshots.
DOCS_SCREENSHOTS = {"overview", "signoff"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "browser: drives Debian's Chromium through Playwright; fails, never skips, under CI",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _unavailable(message: str) -> None:
    """A missing browser is an error in CI (the run must not pass without these tests) and a
    reason to skip on a laptop without Chromium."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole run; each test gets a fresh context from it."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing: pip install -r requirements-dev.txt")
    if not CHROMIUM.is_file():
        _unavailable(f"no Chromium at {CHROMIUM}; install Debian's: apt-get install chromium")
    # Playwright's sync API drives the browser from an asyncio event loop that it keeps
    # running in this thread (inside a greenlet) from here until the session ends. Django sees
    # that loop and refuses every ORM call in the thread ("SynchronousOnlyOperation"): the
    # tests' own, and those of the fixtures that set up and empty the database, in this test
    # and in any test that runs after it. They are plain synchronous calls made between
    # browser steps, never from a coroutine, and the live server answers from threads of its
    # own, so the check is switched off for exactly as long as the loop exists.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        try:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        except Error as error:
            _unavailable(f"Chromium at {CHROMIUM} did not start: {error}")
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A tab in a context of its own (no cookies shared between tests), 1280 pixels wide."""
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    tab = context.new_page()
    # A server error shows as a page without the expected controls, and the step waiting for
    # them times out; name the error so that the failure says what really happened.
    server_errors: list[str] = []
    tab.on(
        "response",
        lambda response: (
            server_errors.append(f"{response.status} {response.url}")
            if response.status >= 500
            else None
        ),
    )
    yield tab
    context.close()
    assert not server_errors, f"the server failed: {server_errors}"


def log_in(page: Any, username: str, password: str = "pass") -> None:
    """Sign in through the admin's login form, as a person would (after signing out whoever
    was signed in: the desk's people take turns in one tab)."""
    page.context.clear_cookies()
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    if "/admin/login/" in page.url:
        errors = page.locator(".errornote, .errorlist").all_inner_texts()
        raise AssertionError(f"could not log in as {username!r}: {errors}")


def screenshot(page: Any, name: str, *, until: Any = None) -> Path:
    """Save the whole page as ``<name>.png`` for a person to look at, or only down to the top
    of the element ``until``. The README's screens are copied to ``docs/screenshots/`` too
    when ``SAVE_DOCS_SCREENSHOTS=1``."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    clip = None
    if until is not None:
        bottom = until.evaluate("(el) => el.getBoundingClientRect().top + window.scrollY")
        clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": bottom}
    page.screenshot(path=str(path), full_page=True, clip=clip)
    if name in DOCS_SCREENSHOTS and os.environ.get("SAVE_DOCS_SCREENSHOTS") == "1":
        DOCS_SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_SCREENSHOT_DIR / f"{name}.png")
    return path


def claims_in_state(page: Any, state: str) -> Any:
    """The overview's count of claims in ``state`` (a state's label): a link to the list."""
    by_state = page.get_by_role("table", name=re.compile("^Claims by state"))
    return by_state.get_by_role("row", name=re.compile(rf"^{state}\b")).get_by_role("link").first


# A field is labelled by a <label> with words (or an image's alt text) in it, an aria-label,
# or aria-labelledby naming elements with words in them. Hidden fields and buttons (named by
# their value or content) need none.
_UNLABELLED_FIELDS_JS = """
(elements) => {
  const words = (el) => !!el && !!(el.textContent.trim() || el.querySelector("img[alt]"));
  const labelled = (el) =>
    Array.from(el.labels || []).some(words)
    || !!(el.getAttribute("aria-label") || "").trim()
    || (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean)
         .some((id) => words(document.getElementById(id)));
  return elements
    .filter((el) => !["hidden", "submit", "button", "reset", "image"].includes(el.type))
    .filter((el) => el.getClientRects().length > 0)
    .filter((el) => !labelled(el))
    .map((el) => el.outerHTML.slice(0, el.outerHTML.indexOf(">") + 1));
}
"""


def unlabelled_fields(page: Any) -> list[str]:
    """Every visible input, select and textarea on the page that has no accessible label
    (a <label>, ``aria-label`` or ``aria-labelledby``), each as its opening tag."""
    return page.locator("input, select, textarea").evaluate_all(_UNLABELLED_FIELDS_JS)


@dataclass(frozen=True)
class Desk:
    """The people and the claim the browser stories start from."""

    editor: Any
    other_editor: Any
    reviewer: Any
    second_reviewer: Any
    claim: Claim
    topic: Topic


@pytest.fixture
def desk(live_server: Any) -> Desk:
    """Two editors, two reviewers with expertise, and one new claim quoted from a source.

    The claim is about the economy, which is the first reviewer's field and not the second's,
    so automatic assignment offers it to the first; its normal priority needs one review.
    """
    economy = factories.TopicFactory(name="Economy")
    health = factories.TopicFactory(name="Health")
    editor = factories.EditorFactory(username="editor", first_name="Edna", last_name="Ito")
    other_editor = factories.EditorFactory(username="editor2", first_name="Omar", last_name="Reyes")
    reviewer = factories.ReviewerFactory(username="reviewer", email="reviewer@desk.example")
    reviewer.reviewer_profile.expertise.set([economy])
    second_reviewer = factories.ReviewerFactory(username="reviewer2")
    second_reviewer.reviewer_profile.expertise.set([health])
    source = factories.SourceFactory(
        title="Budget day interview",
        text="Budget day. The minister said the aid was worth 3.8 billion dollars a year.",
    )
    quote = "the aid was worth 3.8 billion dollars a year"
    claim = claims_services.claim_create(
        actor=editor,
        statement="The aid is worth 3.8 billion dollars a year.",
        priority=Priority.NORMAL,
        topics=[economy],
        appearances=[
            claims_services.AppearanceData(
                source=source,
                quote=quote,
                start=source.text.index(quote),
                speaker=factories.SpeakerFactory(name="Ann Minister", role="finance minister"),
                attribution=Attribution.SAID,
            )
        ],
    )
    return Desk(editor, other_editor, reviewer, second_reviewer, claim, economy)


def triage_and_accept(desk: Desk, claim: Claim | None = None) -> Assignment:
    """Move a claim as the browser story does, through the services: the editor triages it,
    automatic assignment (eager Celery, on commit) offers it to the reviewer, who accepts."""
    claim = claim or desk.claim
    verification_services.claim_triage(actor=desk.editor, claim=claim)
    assignment = Assignment.objects.get(claim=claim, reviewer=desk.reviewer)
    return verification_services.assignment_accept(actor=desk.reviewer, assignment=assignment)


def add_graded_evidence(desk: Desk, claim: Claim, title: str = "Budget table") -> Evidence:
    return verification_services.evidence_add(
        actor=desk.reviewer,
        claim=claim,
        title=title,
        url=f"https://records.example/{title.lower().replace(' ', '-')}",
        stance=Stance.SUPPORTS,
        source_reliability="A",
        credibility=2,
    )


def review_with_evidence(desk: Desk, assignment: Assignment) -> Claim:
    """The reviewer cites graded evidence in a "mostly true" review; the claim (one review
    needed) goes to sign-off."""
    evidence = add_graded_evidence(desk, assignment.claim)
    verification_services.review_submit(
        actor=desk.reviewer,
        assignment=assignment,
        rating=Rating.MOSTLY_TRUE,
        confidence=Confidence.HIGH,
        rationale="The budget table gives 3.7 billion a year.",
        evidence=[evidence],
    )
    return Claim.objects.get(pk=assignment.claim_id)


@dataclass(frozen=True)
class BusyDesk:
    """A desk with claims in every state, for the screens that summarise many of them."""

    desk: Desk
    disputed: Claim  # in review; two reviewers who disagree
    counts: dict[str, int]  # claims by state label, as the overview shows them


def _review_every_assignment(desk: Desk, claim: Claim, ratings: list[str]) -> Claim:
    """Each assigned reviewer accepts and rates the claim, citing one evidence item."""
    evidence = add_graded_evidence(desk, claim, title=f"Record for claim {claim.pk}")
    assignments = Assignment.objects.filter(claim=claim).order_by("pk")
    assert len(assignments) == len(ratings), "automatic assignment gave another number"
    for assignment, rating in zip(assignments, ratings, strict=True):
        verification_services.assignment_accept(actor=assignment.reviewer, assignment=assignment)
        verification_services.review_submit(
            actor=assignment.reviewer,
            assignment=assignment,
            rating=rating,
            confidence=Confidence.HIGH,
            rationale=f"Rated {rating} on the record.",
            evidence=[evidence],
        )
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def busy_desk(desk: Desk) -> BusyDesk:
    """Besides ``desk``'s new claim: one more new claim, a dismissed one, one in research,
    two published (one on health) and a high-priority one in review whose two reviewers
    disagree (true against mostly true)."""
    health = Topic.objects.get(name="Health")

    def claim(statement: str, *, topic: Topic = desk.topic, priority: str = Priority.NORMAL):
        return claims_services.claim_create(
            actor=desk.editor, statement=statement, priority=priority, topics=[topic]
        )

    def triage(item: Claim) -> Claim:
        return verification_services.claim_triage(actor=desk.editor, claim=item)

    claim("Exports doubled since 2019.")
    verification_services.claim_dismiss(
        actor=desk.editor, claim=claim("Our city is the best."), reason="An opinion."
    )
    triage(claim("Fuel duty brings in 25 billion a year."))
    for statement, topic, rating in [
        ("The deficit halved in four years.", desk.topic, Rating.MOSTLY_FALSE),
        ("Waiting lists fell by 10 percent.", health, Rating.TRUE),
    ]:
        reviewed = _review_every_assignment(desk, triage(claim(statement, topic=topic)), [rating])
        verification_services.claim_publish(actor=desk.other_editor, claim=reviewed)
    disputed = triage(claim("Wages rose faster than prices.", priority=Priority.HIGH))
    disputed = _review_every_assignment(desk, disputed, [Rating.TRUE, Rating.MOSTLY_TRUE])
    counts = {
        "New": 2,
        "Triaged": 0,
        "Dismissed": 1,
        "In research": 1,
        "In review": 1,
        "Published": 2,
    }
    actual = Counter(Claim.objects.values_list("state", flat=True))
    assert {ClaimState(state).label: n for state, n in actual.items()} == {
        label: n for label, n in counts.items() if n
    }
    return BusyDesk(desk=desk, disputed=disputed, counts=counts)
