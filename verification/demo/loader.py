"""Loading the demo desk through the services, creating only what is missing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction

from claims.extraction.sentences import sentence_around
from claims.models import Claim, Source, SourceKind, Speaker, Topic
from claims.roles import ensure_roles
from claims.services import (
    AppearanceData,
    claim_create,
    source_get_or_create,
    speaker_get_or_create,
    topics_get_or_create,
)
from claims.services.external_reviews import ExternalVerdict, external_review_record
from verification import services as workflow
from verification.demo.briefing import (
    BRIEFING_DATE,
    BRIEFING_PUBLISHER,
    BRIEFING_TEXT,
    BRIEFING_TITLE,
    BRIEFING_URL,
)
from verification.demo.people import DEMO_USERS, EDITOR, SPEAKERS, DemoUser
from verification.demo.specs import (
    AddEvidence,
    ArticleFigure,
    Assign,
    ClaimStory,
    Dismiss,
    OtherVerdict,
    Publish,
    QuoteSpec,
    Step,
    SubmitReview,
    Triage,
)
from verification.demo.story import STORY
from verification.demo.story.earlier import EARLIER_TEXT, EARLIER_TITLE, EARLIER_URL
from verification.models import Evidence, ReviewerProfile


def seed_article_path() -> Path:
    """``../shared/seed/article.md`` relative to the project root."""
    return Path(settings.BASE_DIR).parent / "shared" / "seed" / "article.md"


def _parse_article(text: str) -> dict[str, str]:
    """Title, author and publisher from the article's Markdown head, where it has them."""
    meta = {"title": "", "author": "", "publisher": ""}
    heading = re.search(r"^#\s+(.+?)\s*$", text, re.MULTILINE)
    if heading:
        meta["title"] = heading.group(1)
    for bold in re.finditer(r"^\*\*(.+?)\*\*\s*$", text, re.MULTILINE):
        value = bold.group(1).strip()
        if value.lower().startswith("by "):
            meta["author"] = meta["author"] or value[3:].strip()
        elif not meta["publisher"]:
            meta["publisher"] = value
    return meta


@dataclass
class DemoReport:
    """What a run did, for the command to print."""

    created_users: list[str] = field(default_factory=list)
    created_claims: list[str] = field(default_factory=list)
    skipped_claims: int = 0
    notes: list[str] = field(default_factory=list)


def load_demo(*, article_path: Path | None = None) -> DemoReport:
    """Load the demo desk, creating only what is missing. Safe to run any number of times.

    1. Make sure the role groups exist, then the demo users (with their groups, and a reviewer
       profile with expertise for each reviewer). Existing accounts keep their passwords.
    2. Store the desk's briefing as a source, and the seed article too when it is on disk.
    3. For each claim of the story that is not stored yet (matched by its exact statement):
       create it with its quantities and appearances, then walk it through its workflow steps,
       each with the service a person would use. A claim already present is left alone.
    All of it happens in one transaction: a failure leaves the database as it was.
    """
    report = DemoReport()
    with transaction.atomic():
        ensure_roles()
        users = {spec.username: _user_ensure(spec, report) for spec in DEMO_USERS}
        editor = users[EDITOR.username]
        sources = {
            "briefing": _desk_report(
                editor,
                title=BRIEFING_TITLE,
                text=BRIEFING_TEXT,
                url=BRIEFING_URL,
                author=f"{EDITOR.first_name} {EDITOR.last_name}",
            ),
            "earlier": _desk_report(
                editor, title=EARLIER_TITLE, text=EARLIER_TEXT, url=EARLIER_URL
            ),
        }
        article = _article_source(article_path or seed_article_path(), users, report)
        for story in STORY:
            if Claim.objects.filter(statement=story.statement).exists():
                report.skipped_claims += 1
                continue
            _claim_tell(story, users=users, sources=sources, article=article, report=report)
            report.created_claims.append(story.statement)
    return report


def _user_ensure(spec: DemoUser, report: DemoReport) -> AbstractBaseUser:
    User = get_user_model()
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        create = User.objects.create_superuser if spec.superuser else User.objects.create_user
        user = create(
            username=spec.username,
            email=spec.email,
            password=spec.password,
            first_name=spec.first_name,
            last_name=spec.last_name,
            is_staff=True,
        )
        report.created_users.append(spec.username)
    elif not user.is_staff:
        # Without it the demo logins could not open the admin.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if spec.roles:
        user.groups.add(*Group.objects.filter(name__in=spec.roles))
    if spec.expertise:
        profile, _ = ReviewerProfile.objects.get_or_create(user=user)
        profile.expertise.add(*topics_get_or_create(spec.expertise))
    return user


def _desk_report(actor: AbstractBaseUser, **fields: str) -> Source:
    """One of the desk's own reports (the briefing, the earlier checks' digest), stored once;
    ``fields``: its title, text, URL and author."""
    return source_get_or_create(
        actor=actor,
        kind=SourceKind.REPORT,
        publisher=BRIEFING_PUBLISHER,
        published_on=BRIEFING_DATE,
        **fields,
    ).source


def _article_source(
    path: Path, users: dict[str, AbstractBaseUser], report: DemoReport
) -> Source | None:
    """The seed article as a source, or None (with a note) when it cannot be read or stored.

    The article is an optional extra: nothing about it may stop the rest of the demo loading.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        report.notes.append(f"Seed article not found at {path}; skipping it.")
        return None
    except (OSError, UnicodeDecodeError) as error:
        report.notes.append(f"Seed article at {path} could not be read ({error}); skipping it.")
        return None
    if not text.strip():
        report.notes.append(f"Seed article at {path} is empty; skipping it.")
        return None
    meta = _parse_article(text)
    try:
        # A savepoint, so a refused article leaves the rest of the demo's transaction usable.
        with transaction.atomic():
            result = source_get_or_create(
                actor=users[EDITOR.username],
                title=(meta["title"] or "Seed article")[:500],
                text=text,
                kind=SourceKind.ARTICLE,
                author=meta["author"][:200],
                publisher=meta["publisher"][:200],
            )
    except ValidationError as error:
        report.notes.append(f"Seed article at {path} was refused ({error}); skipping it.")
        return None
    return result.source


def _appearance_in_briefing(briefing: Source, spec: QuoteSpec) -> AppearanceData:
    start = briefing.text.find(spec.quote)
    if start < 0 or briefing.text.find(spec.quote, start + 1) >= 0:
        # A story error, not a runtime condition: fail loudly so it is fixed here.
        raise ValueError(f"Quote must occur exactly once in {briefing.title!r}: {spec.quote!r}")
    return AppearanceData(
        source=briefing,
        quote=spec.quote,
        start=start,
        speaker=_speaker(spec.speaker),
        attribution=spec.attribution,
        note=spec.note,
    )


def _appearance_in_article(
    article: Source, figure: ArticleFigure, report: DemoReport
) -> AppearanceData | None:
    match = re.search(figure.pattern, article.text)
    if match is None:
        report.notes.append(f"No match for {figure.pattern!r} in the seed article; skipped.")
        return None
    start, end = sentence_around(article.text, match.start(), match.end())
    return AppearanceData(
        source=article,
        quote=article.text[start:end],
        start=start,
        end=end,
        speaker=_speaker(figure.speaker),
        attribution=figure.attribution,
    )


def _speaker(key: str | None) -> Speaker | None:
    if key is None:
        return None
    spec = SPEAKERS[key]
    return speaker_get_or_create(name=spec.name, role=spec.role, kind=spec.kind)


def _claim_tell(
    story: ClaimStory,
    *,
    users: dict[str, AbstractBaseUser],
    sources: dict[str, Source],
    article: Source | None,
    report: DemoReport,
) -> Claim:
    """Create one claim and walk it through its steps."""
    appearances = [_appearance_in_briefing(sources[spec.source], spec) for spec in story.quotes]
    if article is not None and story.in_article is not None:
        found = _appearance_in_article(article, story.in_article, report)
        if found is not None:
            appearances.append(found)
    claim = claim_create(
        actor=users[story.submitted_by],
        statement=story.statement,
        priority=story.priority,
        topics=topics_get_or_create(story.topics),
        quantities=story.quantities,
        appearances=appearances,
    )
    evidence: dict[str, Evidence] = {}
    for step in story.steps:
        claim = _step_apply(step, claim=claim, users=users, evidence=evidence)
    return claim


def _step_apply(
    step: Step, *, claim: Claim, users: dict[str, AbstractBaseUser], evidence: dict[str, Evidence]
) -> Claim:
    match step:
        case Triage(by=by, note=note):
            return workflow.claim_triage(actor=users[by], claim=claim, note=note)
        case Dismiss(by=by, reason=reason):
            return workflow.claim_dismiss(actor=users[by], claim=claim, reason=reason)
        case Assign(reviewer=name, accept=accept, by=by):
            reviewer = users[name]
            _check_expertise(claim, reviewer)
            assignment = workflow.assignment_create(actor=users[by], claim=claim, reviewer=reviewer)
            if accept:
                workflow.assignment_accept(actor=reviewer, assignment=assignment)
        case AddEvidence(key=key, by=by):
            details = workflow.evidence_details(step)
            evidence[key] = workflow.evidence_add(actor=users[by], claim=claim, **details)
        case SubmitReview(reviewer=name, rating=rating, confidence=confidence, cites=cites):
            workflow.review_submit(
                actor=users[name],
                assignment=claim.assignments.get(
                    reviewer=users[name], review_round=claim.review_round
                ),
                rating=rating,
                confidence=confidence,
                rationale=step.rationale,
                evidence=[evidence[key] for key in cites],
            )
        case Publish(by=by, note=note, rating=rating):
            return workflow.claim_publish(actor=users[by], claim=claim, note=note, rating=rating)
        case OtherVerdict(publisher=publisher, rating_text=words, rating=rating, url=url, by=by):
            verdict = ExternalVerdict(publisher, words, rating, url=url)
            external_review_record(actor=users[by], claim=claim, verdict=verdict)
        case _:
            raise TypeError(f"Unknown demo step: {step!r}")
    # Assignments and reviews move the claim inside their services; read where it stands now.
    claim.refresh_from_db()
    return claim


def _check_expertise(claim: Claim, reviewer: AbstractBaseUser) -> None:
    """The story assigns reviewers only to claims on their subjects; say so if it drifts."""
    if not Topic.objects.filter(claims=claim, experts__user=reviewer).exists():
        raise ValueError(
            f"{reviewer.get_username()} has no expertise in the topics of {claim.statement!r}."
        )


def login_lines() -> list[str]:
    """The admin address and the demo logins, one per line, for the command to print."""
    url = f"{settings.DESK_URL.rstrip('/')}/admin/"
    width = max(len(spec.username) for spec in DEMO_USERS)
    pwidth = max(len(spec.password) for spec in DEMO_USERS)
    return [
        f"Admin: {url}",
        *(f"  {s.username:<{width}}  {s.password:<{pwidth}}  {s.duty}" for s in DEMO_USERS),
        "Accounts that already existed keep the password they had.",
    ]
