"""Triaging the seed story's claims: a real worker assigns them and mails each reviewer over SMTP.

The claims are created through the services, each quoting a sentence of the seed article that
is located at run time (``../shared/seed/article.md``; only the figure looked for is written
here). The desk's three demo reviewers have different expertise, so who must receive each
claim follows from the assignment rule (matching expertise first) whatever order the worker
takes the claims in. The test process never sends mail itself (its email backend is locmem):
everything the SMTP server receives came from the worker.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import dateformat, timezone

from claims.extraction.sentences import sentence_around
from claims.models import Attribution, Claim, Priority, SourceKind
from claims.services import (
    AppearanceData,
    claim_create,
    source_get_or_create,
    speaker_get_or_create,
    topics_get_or_create,
)
from tests import factories
from verification import services
from verification.demo import (
    AID_REVIEWER,
    MIDEAST_REVIEWER,
    SPEAKERS,
    UKRAINE_REVIEWER,
    DemoUser,
)
from verification.models import Assignment, EmailKind, EmailLog, EmailStatus

pytestmark = [
    pytest.mark.integration,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

ARTICLE = Path(settings.BASE_DIR).parent / "shared" / "seed" / "article.md"
ARTICLE_URL = "https://news.example/2023/11/leverage-in-two-wars"
REVIEWERS = (AID_REVIEWER, MIDEAST_REVIEWER, UKRAINE_REVIEWER)


@dataclass(frozen=True)
class SeedClaim:
    """A claim of the seed article: the figure that locates its sentence, and who must get it."""

    pattern: str
    statement: str
    topics: tuple[str, ...]
    priority: str
    attribution: str
    speaker: str | None  # a key of verification.demo.SPEAKERS
    reviewers: frozenset[str]  # the best-matching expertise, one per required review


SEED_CLAIMS = (
    SeedClaim(
        r"3\.8 billion a year",
        "Israel receives $3.8 billion of U.S. security assistance every year.",
        ("Military aid", "U.S. politics", "Israel-Gaza war"),
        Priority.HIGH,
        Attribution.ASSERTED,
        None,
        frozenset({AID_REVIEWER.username, MIDEAST_REVIEWER.username}),
    ),
    SeedClaim(
        r"1,400 people",
        "The attacks of October 7 killed 1,400 people.",
        ("Israel-Gaza war", "Casualty figures"),
        Priority.NORMAL,
        Attribution.REPORTED,
        "biden",
        frozenset({MIDEAST_REVIEWER.username}),
    ),
    SeedClaim(
        r"20 months of war",
        "The war in Ukraine had lasted 20 months by early November 2023.",
        ("Ukraine war",),
        Priority.LOW,
        Attribution.ASSERTED,
        None,
        frozenset({UKRAINE_REVIEWER.username}),
    ),
    SeedClaim(
        r"10,000 Palestinian civilians",
        "About 10,000 Palestinian civilians had died in Gaza, some 4,000 of them children.",
        ("Casualty figures", "Israel-Gaza war"),
        Priority.HIGH,
        Attribution.REPORTED,
        "ministry",
        frozenset({MIDEAST_REVIEWER.username, UKRAINE_REVIEWER.username}),
    ),
    SeedClaim(
        r"four tours in Iraq",
        "Seth Moulton served four tours in Iraq as a Marine.",
        ("U.S. politics",),
        Priority.NORMAL,
        Attribution.ASSERTED,
        None,
        frozenset({AID_REVIEWER.username}),
    ),
    SeedClaim(
        r"stalemate",
        "Ukraine's top commander described the war as a stalemate.",
        ("Ukraine war", "Weapons"),
        Priority.NORMAL,
        Attribution.REPORTED,
        "zaluzhny",
        frozenset({UKRAINE_REVIEWER.username}),
    ),
)
EMAILS_EXPECTED = sum(len(seed.reviewers) for seed in SEED_CLAIMS)


@pytest.fixture
def article_text() -> str:
    if not ARTICLE.exists():
        pytest.fail(f"The seed article is missing: {ARTICLE}")
    return ARTICLE.read_text(encoding="utf-8")


def _reviewer(spec: DemoUser):
    user = factories.ReviewerFactory(username=spec.username, email=spec.email)
    user.reviewer_profile.capacity = 5
    user.reviewer_profile.save()
    user.reviewer_profile.expertise.set(topics_get_or_create(spec.expertise))
    return user


def _seed_claims(article_text: str, editor) -> dict[int, SeedClaim]:
    """Create the seed claims through the services, each quoting its sentence of the article."""
    title = re.search(r"^#\s+(.+?)\s*$", article_text, re.MULTILINE).group(1)
    article = source_get_or_create(
        actor=editor, title=title, text=article_text, url=ARTICLE_URL, kind=SourceKind.ARTICLE
    ).source
    made = {}
    for seed in SEED_CLAIMS:
        found = re.search(seed.pattern, article_text)
        assert found, f"{seed.pattern!r} is not in the seed article any more"
        start, end = sentence_around(article_text, found.start(), found.end())
        speaker = None
        if seed.speaker:
            spec = SPEAKERS[seed.speaker]
            speaker = speaker_get_or_create(name=spec.name, role=spec.role, kind=spec.kind)
        claim = claim_create(
            actor=editor,
            statement=seed.statement,
            priority=seed.priority,
            topics=topics_get_or_create(seed.topics),
            appearances=[
                AppearanceData(
                    source=article,
                    quote=article_text[start:end],
                    start=start,
                    end=end,
                    speaker=speaker,
                    attribution=seed.attribution,
                )
            ],
        )
        made[claim.pk] = seed
    return made


def test_triaging_the_seed_claims_mails_each_chosen_reviewer_once_over_smtp(
    workers, smtp, article_text
):
    editor = factories.EditorFactory(username="desk-editor")
    reviewers = {spec.username: _reviewer(spec) for spec in REVIEWERS}
    seeds = _seed_claims(article_text, editor)
    workers.start()

    # 1. The editor triages; each triage publishes the claim's assignment task after commit.
    for claim in Claim.objects.filter(pk__in=seeds):
        services.claim_triage(actor=editor, claim=claim)

    # 2. The worker assigns every claim and delivers every assignment email over SMTP.
    workers.wait_until(
        lambda: (
            len(smtp.accepted) >= EMAILS_EXPECTED
            and not EmailLog.objects.exclude(status=EmailStatus.SENT).exists()
        ),
        timeout=45,
        what=f"{EMAILS_EXPECTED} assignment emails at the SMTP server",
    )

    # 3. Each claim went to the reviewers its topics call for, one email per assignment.
    assignments = list(
        Assignment.objects.select_related("claim", "reviewer").order_by("claim_id", "pk")
    )
    chosen = {
        claim_id: {a.reviewer.username for a in assignments if a.claim_id == claim_id}
        for claim_id in seeds
    }
    assert chosen == {claim_id: set(seed.reviewers) for claim_id, seed in seeds.items()}
    assert smtp.accepted_by_key() == {f"assignment:{a.pk}": 1 for a in assignments}
    assert not smtp.refused
    logs = {log.assignment_id: log for log in EmailLog.objects.all()}
    assert set(logs) == {a.pk for a in assignments}

    # 4. Each email carries what the reviewer needs, in both parts, to the right address.
    received = {message.key: message for message in smtp.accepted}
    for assignment in assignments:
        claim, reviewer = assignment.claim, assignment.reviewer
        seed = seeds[claim.pk]
        log = logs[assignment.pk]
        message = received[f"assignment:{assignment.pk}"]
        appearance = claim.appearances.select_related("source", "speaker").get()
        assert reviewer.email == reviewers[reviewer.username].email
        assert message.envelope_to == (reviewer.email,)
        assert message.message["To"] == reviewer.email
        assert message.message_id == log.message_id
        assert (log.kind, log.status, log.attempts) == (EmailKind.ASSIGNMENT, "sent", 1)

        turnaround = dt.timedelta(hours=settings.TURNAROUND_HOURS_BY_PRIORITY[seed.priority])
        assert abs(assignment.due_at - assignment.created_at - turnaround) < dt.timedelta(minutes=1)
        due = dateformat.format(timezone.localtime(assignment.due_at), "l j F Y, H:i T")
        desk = settings.DESK_URL.rstrip("/")
        admin_url = f"{desk}/admin/claims/claim/{claim.pk}/change/"
        api_url = f"{desk}/api/v1/claims/{claim.pk}/"

        assert f"Claim #{claim.pk} assigned to you" in message.subject
        text = message.text()
        for part in (
            claim.statement,
            f'Quote: "{appearance.quote}"',
            f"Source: {appearance.source.title} <{ARTICLE_URL}>",
            f"Priority: {Priority(seed.priority).label}",
            f"It is due {due}.",
            f"In the admin: {admin_url}",
            f"In the API: {api_url}",
        ):
            assert part in text, f"{part!r} missing from the email to {reviewer}:\n{text}"
        if seed.speaker:
            assert f"Speaker: {SPEAKERS[seed.speaker].name}" in text
        else:
            assert "Speaker: not named" in text

        body_html = message.html()
        for part in (
            html.escape(appearance.quote),
            f'<a href="{ARTICLE_URL}">{html.escape(appearance.source.title)}</a>',
            f'<a href="{admin_url}">',
            f'<a href="{api_url}">',
            due,
        ):
            assert part in body_html, f"{part!r} missing from the HTML email to {reviewer}"
