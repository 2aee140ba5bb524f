"""``manage.py demo_data``: the demo desk, its story's claims, and that it can be run again.

The seed article is read at test time from ``../shared/seed/article.md``; none of its text is
written here.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from claims.models import (
    Appearance,
    Claim,
    ClaimState,
    Period,
    QuantityKind,
    Source,
    SourceKind,
    SpeakerKind,
)
from claims.roles import Role
from claims.services import validate_span
from verification import demo
from verification.calibration import CalibrationPeriod, calibration
from verification.models import Assignment, Evidence, Review, ReviewerProfile, WorkflowAction

ARTICLE = Path(settings.BASE_DIR).parent / "shared" / "seed" / "article.md"
# Folders that are not the project's own text: the virtualenv, run-time data, tool caches.
NOT_PROJECT = {".venv", "var", ".git", "node_modules", "staticfiles", "__pycache__"}
SCANNED_SUFFIXES = {".py", ".html", ".txt", ".md"}


def run_demo(**options) -> str:
    out = StringIO()
    call_command("demo_data", stdout=out, **options)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows of every installed model, history and join tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


@pytest.fixture
def demo_loaded(db) -> str:
    return run_demo()


def claim_with(text: str) -> Claim:
    return Claim.objects.get(statement__contains=text)


# --- Idempotency ----------------------------------------------------------------------------


def test_running_demo_data_twice_adds_and_changes_nothing(db):
    run_demo()
    first = row_counts()
    states = dict(Claim.objects.values_list("statement", "state"))
    output = run_demo()
    assert row_counts() == first
    assert dict(Claim.objects.values_list("statement", "state")) == states
    assert f"0 claim(s) created, {len(demo.STORY)} claim(s) already present" in output


def test_demo_data_leaves_an_existing_claim_alone(db):
    run_demo()
    claim = claim_with("20 months")
    Claim.objects.filter(pk=claim.pk).update(priority="urgent")
    run_demo()
    claim.refresh_from_db()
    assert claim.priority == "urgent"
    assert Claim.objects.filter(statement=claim.statement).count() == 1


# --- The people -----------------------------------------------------------------------------


def test_demo_creates_admin_two_editors_and_three_reviewers_who_can_log_in(demo_loaded):
    User = get_user_model()
    for spec in demo.DEMO_USERS:
        user = User.objects.get(username=spec.username)
        assert user.is_staff
        # As the login form asks: with its request (django-axes refuses a check without one).
        login = RequestFactory().post("/admin/login/")
        assert authenticate(login, username=spec.username, password=spec.password) == user
    assert User.objects.get(username="admin").is_superuser
    editors = User.objects.filter(groups__name=Role.EDITOR)
    reviewers = User.objects.filter(groups__name=Role.REVIEWER)
    assert editors.count() == 2
    assert reviewers.count() == 3
    assert not editors.filter(is_superuser=True).exists()


def test_each_reviewer_has_a_profile_with_different_expertise(demo_loaded):
    profiles = ReviewerProfile.objects.filter(user__groups__name=Role.REVIEWER)
    expertise = [frozenset(p.expertise.values_list("slug", flat=True)) for p in profiles]
    assert len(expertise) == 3
    assert all(expertise)
    assert len(set(expertise)) == 3
    assert not ReviewerProfile.objects.filter(user__groups__name=Role.EDITOR).exists()


def test_demo_prints_the_admin_address_and_every_login(demo_loaded):
    assert "http://127.0.0.1:8000/admin/" in demo_loaded
    for spec in demo.DEMO_USERS:
        assert re.search(rf"^\s+{spec.username}\s+{re.escape(spec.password)}\s", demo_loaded, re.M)


# --- The story's claims and where they stand ------------------------------------------------


def test_demo_claims_cover_every_workflow_state(demo_loaded):
    assert set(Claim.objects.values_list("state", flat=True)) == set(ClaimState.values)


def test_published_claim_has_a_consensus_and_was_signed_off_by_an_editor_who_did_not_review(
    demo_loaded,
):
    published = Claim.objects.filter(state=ClaimState.PUBLISHED)
    assert published.exists()
    for claim in published:
        reviewers = set(claim.reviews.values_list("reviewer_id", flat=True))
        assert claim.consensus_rating and claim.consensus_confidence
        assert claim.published_by is not None
        assert claim.published_by.groups.filter(name=Role.EDITOR).exists()
        assert claim.published_by_id not in reviewers
        assert claim.events.filter(action=WorkflowAction.PUBLISH).count() == 1
        assert claim.history.count() > 1


def test_the_3_8_billion_claim_is_published_with_two_agreeing_reviews(demo_loaded):
    claim = claim_with("$3.8 billion")
    assert claim.state == ClaimState.PUBLISHED
    assert claim.published_by.username == demo.SIGNOFF_EDITOR.username
    assert list(claim.reviews.values_list("rating", flat=True)) == ["true", "true"]
    assert claim.consensus_rating == "true"
    assert [e.action for e in claim.events.all()].count(WorkflowAction.REVIEW) == 2


def test_one_claim_waits_for_sign_off_with_two_reviewers_who_disagree(demo_loaded):
    claim = Claim.objects.get(state=ClaimState.IN_REVIEW)
    ratings = list(
        Review.objects.filter(claim=claim, review_round=claim.review_round).values_list(
            "rating", flat=True
        )
    )
    assert len(ratings) == 2
    assert len(set(ratings)) == 2
    assert claim.consensus_rating
    assert claim.agreement is not None
    assert claim.agreement < 1


def test_claims_in_research_have_assignments_and_graded_evidence(demo_loaded):
    in_research = Claim.objects.filter(state=ClaimState.IN_RESEARCH)
    assert in_research.count() >= 2
    for claim in in_research:
        assert claim.assignments.filter(state__in=["offered", "accepted"]).exists()
    graded = Evidence.objects.filter(claim__state=ClaimState.IN_RESEARCH)
    assert graded.exists()
    assert all(e.source_reliability in "ABCDEF" and 1 <= e.credibility <= 6 for e in graded)


def test_dismissed_claim_has_its_reason_on_record(demo_loaded):
    claim = Claim.objects.get(state=ClaimState.DISMISSED)
    event = claim.events.get(action=WorkflowAction.DISMISS)
    assert event.note.strip()
    assert event.actor.groups.filter(name=Role.EDITOR).exists()


def test_assignments_match_reviewer_expertise_and_never_go_to_the_submitter(demo_loaded):
    assignments = Assignment.objects.select_related("claim", "reviewer")
    assert assignments.exists()
    for assignment in assignments:
        claim_topics = set(assignment.claim.topics.values_list("pk", flat=True))
        expertise = set(assignment.reviewer.reviewer_profile.expertise.values_list("pk", flat=True))
        assert claim_topics & expertise, assignment
        assert assignment.reviewer_id != assignment.claim.submitted_by_id
    # The story has reviewers submit claims too, so the rule is exercised, not vacuous.
    reviewer_submitted = Claim.objects.filter(submitted_by__groups__name=Role.REVIEWER)
    assert reviewer_submitted.filter(assignments__isnull=False).exists()


def test_the_3_8_billion_claim_states_3_8e9_usd_per_year_exactly(demo_loaded):
    quantity = claim_with("$3.8 billion").quantities.get()
    assert quantity.value == Decimal("3800000000")
    assert quantity.unit == "USD"
    assert quantity.period == Period.YEAR
    assert quantity.kind == QuantityKind.MONEY
    assert quantity.approximate is False


def test_the_gaza_ministry_figures_are_approximate_and_hedged(demo_loaded):
    claim = claim_with("Gaza health ministry")
    values = {q.value: q for q in claim.quantities.all()}
    assert set(values) == {Decimal(10000), Decimal(4000)}
    assert all(q.approximate for q in values.values())
    appearance = claim.appearances.get()
    assert appearance.speaker.kind == SpeakerKind.ORGANISATION
    assert appearance.speaker.name == "Gaza health ministry"
    assert "Hamas" in appearance.speaker.role
    assert "confirmed" in appearance.note


def test_reprints_of_the_ministry_count_share_one_evidence_origin(demo_loaded):
    evidence = Evidence.objects.filter(claim=claim_with("Gaza health ministry"))
    assert evidence.count() == 2
    assert evidence.values("origin_key").distinct().count() == 1


def test_the_other_story_figures_are_stored_with_their_units(demo_loaded):
    def figures(text: str) -> set[tuple[Decimal, str, str]]:
        return {(q.value, q.unit, q.kind) for q in claim_with(text).quantities.all()}

    assert figures("1,400 people") == {(Decimal(1400), "people", QuantityKind.COUNT)}
    assert figures("20 months") == {(Decimal(20), "months", QuantityKind.DURATION)}
    assert figures("Moulton") == {(Decimal(4), "tours", QuantityKind.COUNT)}
    assert figures("2,000-pound") == {
        (Decimal(1000), "lb", QuantityKind.WEIGHT),
        (Decimal(2000), "lb", QuantityKind.WEIGHT),
    }
    assert claim_with("Jon Finan").state == ClaimState.PUBLISHED
    assert claim_with("Jon Finan").consensus_rating == "false"
    assert claim_with("ATACMS").appearances.get().speaker.kind == SpeakerKind.ORGANISATION


def test_named_speakers_carry_their_roles(demo_loaded):
    roles = dict(
        Appearance.objects.filter(speaker__isnull=False).values_list(
            "speaker__name", "speaker__role"
        )
    )
    assert roles["John F. Kirby"] == "spokesman for the National Security Council"
    for name in ("Seth Moulton", "Valery Zaluzhny", "Douglas Lute", "Jon Finan"):
        assert roles[name]


# --- Appearances and the seed article -------------------------------------------------------


def test_every_appearance_reproduces_its_quote_in_its_source(demo_loaded):
    appearances = Appearance.objects.select_related("source")
    assert appearances.count() >= len(demo.STORY)
    for appearance in appearances:
        validate_span(
            source=appearance.source,
            quote=appearance.quote,
            start=appearance.start,
            end=appearance.end,
        )


def test_the_briefing_is_marked_as_the_desks_own_summary(demo_loaded):
    briefing = Source.objects.get(url=demo.BRIEFING_URL)
    assert briefing.kind == SourceKind.REPORT
    assert "desk's own summary" in briefing.text
    assert briefing.url.startswith("https://desk.example/")


@pytest.mark.skipif(not ARTICLE.exists(), reason=f"no seed article at {ARTICLE}")
def test_the_seed_article_is_stored_with_two_figures_quoted_in_whole_sentences(demo_loaded):
    article = Source.objects.get(kind=SourceKind.ARTICLE)
    assert article.text == ARTICLE.read_text(encoding="utf-8")
    for claim_text, figure in (("$3.8 billion", "3.8 billion"), ("1,400 people", "1,400")):
        appearance = claim_with(claim_text).appearances.get(source=article)
        assert figure in appearance.quote
        assert appearance.quote[0].isupper()
        assert appearance.quote.endswith((".", "!", "?"))
        assert "\n\n" not in appearance.quote


def test_a_missing_seed_article_is_skipped_with_a_notice(db, tmp_path):
    output = run_demo(article=tmp_path / "absent.md")
    assert "Seed article not found" in output
    assert not Source.objects.filter(kind=SourceKind.ARTICLE).exists()
    assert Claim.objects.count() == len(demo.STORY)


def test_an_unreadable_seed_article_is_skipped_and_the_demo_still_loads(db, tmp_path):
    garbled = tmp_path / "article.md"
    garbled.write_bytes(b"# Title\n\nNot UTF-8: \xff\xfe\xfa.\n")
    output = run_demo(article=garbled)
    assert "could not be read" in output
    assert not Source.objects.filter(kind=SourceKind.ARTICLE).exists()
    assert Claim.objects.count() == len(demo.STORY)


def test_a_seed_article_without_the_figures_is_stored_and_the_figures_are_skipped(db, tmp_path):
    other = tmp_path / "article.md"
    other.write_text("# Another story\n\n**By A. Writer**\n\nNothing of note happened.\n")
    output = run_demo(article=other)
    article = Source.objects.get(kind=SourceKind.ARTICLE)
    assert (article.title, article.author) == ("Another story", "A. Writer")
    assert not article.appearances.exists()
    assert "No match" in output


# --- Nothing of the article is copied into the project --------------------------------------

_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})


def _plain(text: str) -> str:
    """Markdown links to their words, escapes and typographic quotes undone, spaces folded."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("\\$", "$")
    return " ".join(text.translate(_FOLD).split()).lower()


def _project_text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8", errors="ignore")
    # Join what source code splits: backslash continuations and adjacent string literals.
    raw = re.sub(r"\\\n", "", raw)
    raw = re.sub(r"([\"'])\s*\n\s*[rbfu]?([\"'])", "", raw)
    return _plain(raw)


def project_files() -> list[Path]:
    root = Path(settings.BASE_DIR)
    return [
        path
        for path in root.rglob("*")
        if path.suffix in SCANNED_SUFFIXES
        and path.is_file()
        and not NOT_PROJECT.intersection(path.relative_to(root).parts)
    ]


def article_sentences() -> list[str]:
    text = _plain(ARTICLE.read_text(encoding="utf-8"))
    pieces = re.split(r"(?<=[.!?])\"?\s+", text)
    return [piece for piece in pieces if len(piece.split()) >= 8]


@pytest.fixture
def article_present() -> None:
    if not ARTICLE.exists():
        pytest.skip(f"no seed article at {ARTICLE}")


def test_project_files_are_found_for_the_copy_check():
    names = {path.name for path in project_files()}
    assert {"briefing.py", "test_demo_data.py", "manage.py"} <= names
    assert not any(".venv" in path.parts for path in project_files())


def test_no_sentence_of_the_seed_article_is_copied_into_the_project(article_present):
    sentences = article_sentences()
    assert len(sentences) > 20  # the split found the article's sentences
    copied = Counter()
    for path in project_files():
        text = _project_text(path)
        for sentence in sentences:
            if sentence in text:
                copied[f"{path}: {sentence[:60]}…"] += 1
    assert not copied, sorted(copied)


def test_no_ten_word_run_of_the_seed_article_is_copied_into_the_project(article_present):
    def words(text: str) -> list[str]:
        return re.findall(r"[\w$]+(?:[.,'-][\w]+)*", text)

    article_words = words(_plain(ARTICLE.read_text(encoding="utf-8")))
    runs = {tuple(article_words[i : i + 10]) for i in range(len(article_words) - 9)}
    copied = []
    for path in project_files():
        tokens = words(_project_text(path))
        copied += [
            f"{path}: {' '.join(tokens[i : i + 10])}"
            for i in range(len(tokens) - 9)
            if tuple(tokens[i : i + 10]) in runs
        ]
    assert not copied, copied[:5]


def test_correcting_the_demos_published_claim_shows_on_its_page_and_in_its_jsonld(
    demo_loaded, client
):
    """What `make run` offers: an editor of the demo corrects the published claim on the
    *Correct the verdict* screen, and the public page and its JSON-LD show the correction."""
    claim = claim_with("$3.8 billion")
    client.force_login(get_user_model().objects.get(username=demo.SIGNOFF_EDITOR.username))
    url = f"/admin/claims/claim/{claim.pk}/correct/"
    assert client.get(url).status_code == 200

    done = client.post(
        url,
        {
            "kind": "correction",
            "rating": "mostly_true",
            "summary": "The figure is the yearly average of a ten-year agreement.",
            "note": "The $3.8 billion is an average over ten years, not a fixed yearly sum.",
        },
    )

    assert done.status_code == 302, done.content[:500]
    page = client.get(f"/fact-checks/{claim.pk}/").content.decode()
    assert "Our rating: Mostly true" in page
    assert "an average over ten years" in page
    assert "Earlier verdict: True" in page
    jsonld = client.get(f"/api/v1/claimreview/{claim.pk}/").json()
    assert jsonld["reviewRating"]["alternateName"] == "Mostly true"
    assert "dateModified" in jsonld
    assert "Earlier rating: True." in jsonld["reviewBody"]


def test_the_aid_reviewers_calibration_shows_figures_above_the_default_minimum(demo_loaded):
    """The earlier checks give amara's page figures at the default minimum of five claims."""
    amara = get_user_model().objects.get(username=demo.AID_REVIEWER.username)
    figures = calibration(CalibrationPeriod.default(), reviewer_id=amara.pk)

    assert figures.min_claims == 5
    desk, others = figures.against_desk, figures.against_others
    assert not desk.withheld and not desk.alpha_withheld and desk.alpha is not None
    assert not others.withheld and others.alpha is not None
    low, moderate, high = figures.reliability
    assert low.claims == 0
    assert moderate.withheld and moderate.claims == 3  # too few: shown as withheld
    assert high.claims == 8 and high.upheld == 7  # one overruled by the editor
    assert high.reading == "over-confident"
