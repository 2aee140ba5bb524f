"""Every database constraint fires, so a row that bypasses the services still cannot break a rule.

Each case writes one bad row straight through the ORM and expects the database to refuse it;
a valid row written first shows the constraint does not simply refuse everything.
``test_every_constraint_declared_on_the_models_has_a_case`` fails when a model gains a
constraint that has no case here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import (
    AttributedStatement,
    Attribution,
    Claim,
    ClaimMatch,
    ClaimState,
    Correction,
    CorrectionKind,
    ExternalReview,
    ImportJob,
    ImportRow,
    MatchOutcome,
    Source,
    Speaker,
    SpeakerAlias,
    Topic,
)
from tests import factories
from verification.models import Assignment, AssignmentState, Evidence, Review, ReviewerProfile


def _appearance(**fields):
    if "source" not in fields:
        fields["source"] = factories.SourceFactory(
            text="The ministry said 1,400 people were killed."
        )
    values = {
        "quote": "1,400 people",
        "start": 18,
        "end": 30,
        "attribution": Attribution.REPORTED,
    }
    values.update(fields)
    return factories.AppearanceFactory(**values)


def _assignment(claim: Claim | None = None, reviewer=None, **fields) -> Assignment:
    return Assignment.objects.create(
        claim=claim or factories.ClaimFactory(),
        reviewer=reviewer or factories.ReviewerFactory(),
        due_at=timezone.now() + timedelta(days=1),
        **fields,
    )


def _review(**fields) -> Review:
    assignment = _assignment(state=AssignmentState.SUBMITTED)
    values = {
        "claim": assignment.claim,
        "assignment": assignment,
        "reviewer": assignment.reviewer,
        "rating": "unverifiable",
        "confidence": "low",
        "rationale": "No record could be found.",
    }
    values.update(fields)
    return Review.objects.create(**values)


def _same_twice(make: Callable[[], object]) -> Callable[[], Callable[[], object]]:
    """A uniqueness case: the first write is valid, the same write again is not."""

    def case() -> Callable[[], object]:
        make()
        return make

    return case


def _valid_then(good: Callable[[], object], bad: Callable[[], object]):
    """A check case: a valid row (so the constraint does not refuse everything), then a bad one."""

    def case() -> Callable[[], object]:
        good()
        return bad

    return case


def _external_review(claim, **fields) -> ExternalReview:
    values = {
        "publisher": "PolitiFact",
        "external_id": "1.json",
        "rating_text": "pants-fire",
        "rating": "false",
        "origin": "bulk",
    }
    return ExternalReview.objects.create(claim=claim, **{**values, **fields})


def _same_external_review_again() -> Callable[[], object]:
    first = _external_review(factories.ClaimFactory())
    return lambda: _external_review(first.claim)


def _same_import_row_again() -> Callable[[], object]:
    job = ImportJob.objects.create(file="imports/rows.csv", file_format="csv", mapping="default")
    ImportRow.objects.create(job=job, row=1, line=1, status="created")
    return lambda: ImportRow.objects.create(job=job, row=1, line=2, status="rejected")


def _second_open_assignment() -> Callable[[], object]:
    first = _assignment(state=AssignmentState.OFFERED)
    return lambda: _assignment(first.claim, first.reviewer, state=AssignmentState.ACCEPTED)


def _same_span_again() -> Callable[[], object]:
    first = _appearance()
    return lambda: _appearance(claim=first.claim, source=first.source)


def _statement(**fields) -> AttributedStatement:
    values = {
        "source": fields.pop("source", None)
        or factories.SourceFactory(text="Ana Ruiz said 200 teachers would be hired."),
        "speaker": fields.pop("speaker", None) or factories.SpeakerFactory(),
        "quote": "Ana Ruiz said",
        "start": 0,
        "end": 13,
    }
    return AttributedStatement.objects.create(**{**values, **fields})


def _same_statement_span_again() -> Callable[[], object]:
    first = _statement()
    return lambda: _statement(source=first.source)


def _same_alias_again() -> Callable[[], object]:
    speaker = Speaker.objects.create(name="Joe Biden")
    SpeakerAlias.objects.create(speaker=speaker, key="potus")
    return lambda: SpeakerAlias.objects.create(speaker=speaker, key="potus")


def _match(score: float = 0.7, appearance=None, existing=None) -> ClaimMatch:
    return ClaimMatch.objects.create(
        appearance=appearance or _appearance(),
        existing=existing or factories.ClaimFactory(),
        score=score,
        words=score,
        outcome=MatchOutcome.SUGGESTED,
    )


def _same_match_again() -> Callable[[], object]:
    first = _match()
    return lambda: _match(appearance=first.appearance, existing=first.existing)


def _correction(**fields) -> Correction:
    values = {
        "claim": factories.ClaimFactory(),
        "kind": CorrectionKind.CORRECTION,
        "previous_rating": "true",
        "rating": "mixed",
        "note": "A second source differs.",
        "review_round": 1,
    }
    values.update(fields)
    return Correction.objects.create(**values)


def _second_review_of_one_assignment() -> Callable[[], object]:
    first = _review()
    return lambda: _review_under(first.assignment)


def _review_under(assignment: Assignment) -> Review:
    return Review.objects.create(
        claim=assignment.claim,
        assignment=assignment,
        reviewer=assignment.reviewer,
        rating="unverifiable",
        confidence="low",
        rationale="A second review under the same assignment.",
    )


# What the case guards (a constraint's name, then any detail) → a function that writes the valid
# rows the case needs and returns the write the database must refuse.
CASES: dict[str, Callable[[], Callable[[], object]]] = {
    # claims
    "source_no_empty_keys (url)": _valid_then(
        lambda: factories.SourceFactory(url=None),
        lambda: factories.SourceFactory(url=""),
    ),
    "source_no_empty_keys (content hash)": _valid_then(
        lambda: factories.SourceFactory(text=""),
        lambda: factories.SourceFactory(text="", content_hash=""),
    ),
    "Source.url unique": _same_twice(
        lambda: Source.objects.create(title="Same URL", url="https://news.example/same")
    ),
    "Source.content_hash unique": _same_twice(
        lambda: Source.objects.create(title="Same text", content_hash="ab" * 32)
    ),
    "Topic.slug unique": _same_twice(lambda: Topic.objects.create(slug="aid", name="Aid")),
    "speaker_unique_name_role": _same_twice(
        lambda: Speaker.objects.create(name="John Kirby", role="NSC spokesman")
    ),
    "speaker_alias_unique": _same_alias_again,
    "speaker_alias_nonempty": _valid_then(
        lambda: SpeakerAlias.objects.create(speaker=factories.SpeakerFactory(), key="biden"),
        lambda: SpeakerAlias.objects.create(speaker=factories.SpeakerFactory(), key=""),
    ),
    "statement_unique_span": _same_statement_span_again,
    "statement_span_matches_quote": _valid_then(
        lambda: _statement(),
        lambda: _statement(end=14),
    ),
    "claim_checkworthiness_0_1 (above)": _valid_then(
        lambda: factories.ClaimFactory(checkworthiness=1.0),
        lambda: factories.ClaimFactory(checkworthiness=1.5),
    ),
    "claim_checkworthiness_0_1 (below)": _valid_then(
        lambda: factories.ClaimFactory(checkworthiness=0.0),
        lambda: factories.ClaimFactory(checkworthiness=-0.1),
    ),
    "claim_required_reviews_positive": _valid_then(
        lambda: factories.ClaimFactory(required_reviews=1),
        lambda: factories.ClaimFactory(required_reviews=0),
    ),
    "claim_published_has_date": _valid_then(
        lambda: factories.ClaimFactory(state=ClaimState.PUBLISHED, published_at=timezone.now()),
        lambda: factories.ClaimFactory(state=ClaimState.PUBLISHED, published_at=None),
    ),
    "correction_has_note": _valid_then(
        lambda: _correction(note="Wrong year."),
        lambda: _correction(note=""),
    ),
    "correction_has_rating_unless_withdrawal": _valid_then(
        lambda: _correction(kind=CorrectionKind.WITHDRAWAL, rating=""),
        lambda: _correction(kind=CorrectionKind.CORRECTION, rating=""),
    ),
    "appearance_span_matches_quote": _valid_then(
        lambda: _appearance(),
        lambda: _appearance(end=31),
    ),
    "appearance_span_nonempty": _valid_then(
        lambda: _appearance(),
        lambda: _appearance(quote="", start=18, end=18),
    ),
    "appearance_unique_span": _same_span_again,
    "match_unique_pair": _same_match_again,
    "importrow_unique_row": _same_import_row_again,
    "match_score_0_1 (above)": _valid_then(lambda: _match(1.0), lambda: _match(1.2)),
    "match_score_0_1 (below)": _valid_then(lambda: _match(0.0), lambda: _match(-0.1)),
    # verification
    "reviewer_capacity_positive": _valid_then(
        lambda: factories.ReviewerFactory(profile__capacity=1),
        # A plain create: factory_boy's get_or_create falls back to a lookup by the last call's
        # parameters on IntegrityError, which on SQLite (row ids reused) can find a row.
        lambda: ReviewerProfile.objects.create(user=factories.UserFactory(), capacity=0),
    ),
    "ReviewerProfile.user unique": _valid_then(
        lambda: factories.ReviewerFactory(username="solo"),
        lambda: ReviewerProfile.objects.create(user=factories.UserFactory(username="solo")),
    ),
    "assignment_one_open_per_reviewer": _second_open_assignment,
    "evidence_has_url_or_document": _valid_then(
        # origin_key given: the factory derives it from the URL, which these rows lack.
        lambda: factories.EvidenceFactory(url="", document_ref="Archive box 12", origin_key="a"),
        lambda: factories.EvidenceFactory(url="", document_ref="", origin_key="b"),
    ),
    "evidence_credibility_1_6 (above)": _valid_then(
        lambda: factories.EvidenceFactory(credibility=6),
        lambda: factories.EvidenceFactory(credibility=7),
    ),
    "evidence_credibility_1_6 (zero)": _valid_then(
        lambda: factories.EvidenceFactory(credibility=1),
        lambda: factories.EvidenceFactory(credibility=0),
    ),
    "evidence_reliability_a_f": _valid_then(
        lambda: factories.EvidenceFactory(source_reliability="F"),
        lambda: factories.EvidenceFactory(source_reliability="G"),
    ),
    "review_has_rationale": _valid_then(lambda: _review(), lambda: _review(rationale="")),
    "Review.assignment unique": _second_review_of_one_assignment,
    "external_review_unique_per_claim": _same_external_review_again,
    "external_review_rating_valid": _valid_then(
        lambda: _external_review(factories.ClaimFactory(), rating="unverifiable"),
        lambda: _external_review(factories.ClaimFactory(), rating="pants-fire"),
    ),
    "external_review_publisher": _valid_then(
        lambda: _external_review(factories.ClaimFactory()),
        lambda: _external_review(factories.ClaimFactory(), publisher=""),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CASES))
def test_the_database_refuses_a_row_that_breaks_the_constraint(name):
    bad = CASES[name]()

    with pytest.raises(IntegrityError), transaction.atomic():
        bad()


@pytest.mark.django_db
def test_a_reviewer_may_hold_the_same_claim_again_once_the_first_assignment_is_closed():
    # The uniqueness is partial: only open (offered, accepted) assignments count.
    claim = factories.ClaimFactory()
    reviewer = factories.ReviewerFactory()
    _assignment(claim, reviewer, state=AssignmentState.DECLINED)
    _assignment(claim, reviewer, state=AssignmentState.SUBMITTED)

    _assignment(claim, reviewer, state=AssignmentState.OFFERED)

    assert Assignment.objects.filter(claim=claim, reviewer=reviewer).count() == 3


@pytest.mark.django_db
def test_two_reviewers_may_hold_the_same_claim_open():
    claim = factories.ClaimFactory()
    _assignment(claim, factories.ReviewerFactory())
    _assignment(claim, factories.ReviewerFactory())

    assert Assignment.objects.filter(claim=claim).count() == 2


@pytest.mark.django_db
def test_evidence_with_only_a_url_is_accepted():
    evidence = factories.EvidenceFactory(url="https://records.example/x", document_ref="")

    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_every_constraint_declared_on_the_models_has_a_case():
    declared = {
        constraint.name
        for app_label in ("claims", "verification")
        for model in apps.get_app_config(app_label).get_models()
        for constraint in model._meta.constraints
    }

    assert declared - {case.split(" ")[0] for case in CASES} == set()
