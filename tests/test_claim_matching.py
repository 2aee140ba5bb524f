"""Matching: the same claim in a second article is found; different figures are another claim.

What ingestion found is recorded as ``ClaimMatch`` rows (a suggestion for the desk, or an
automatic attachment), never in the appearance's note, which keeps the article's own hedges.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from claims.extraction.ingest import Action, source_ingest
from claims.extraction.matching import Figure, find_matches, score_pair, word_similarity
from claims.extraction.quantities import parse_quantities
from claims.models import Appearance, Claim, ClaimMatch, MatchOutcome, QuantityKind
from tests import factories
from tests.conftest import submit_review
from verification import services

pytestmark = pytest.mark.django_db

FIRST_ARTICLE = """Aid Under Scrutiny

The United States gives Israel $3.8 billion a year in security assistance, officials said. \
The regional health agency estimated that about 10,000 civilians had been killed in the \
fighting. The government reported 1,400 deaths in the attacks on the border towns.
"""

# A second paper re-reports the same figures in its own words, and gets two figures wrong.
SECOND_ARTICLE = """Pressure Mounts Over Aid

Israel receives $3.8 billion in American security assistance every year. The regional health \
agency estimated that about 10,000 civilians had been killed in the fighting so far. Critics \
say the government reported 1,200 deaths in the attacks on the border towns. A local charity \
estimated that about 12,000 civilians had been killed in the fighting.
"""


def claim_stating(text: str) -> Claim:
    return Claim.objects.get(statement__contains=text)


@pytest.fixture
def first(editor):
    return source_ingest(actor=editor, text=FIRST_ARTICLE, title="First")


@pytest.fixture
def second(first, editor):
    return source_ingest(actor=editor, text=SECOND_ARTICLE, title="Second")


def outcome_for(result, words: str):
    (outcome,) = [o for o in result.outcomes if words in o.candidate.statement]
    return outcome


def test_a_re_reported_sentence_is_attached_to_the_existing_claim(first, second):
    aid_claim = claim_stating("10,000 civilians had been killed in the fighting.")
    outcome = outcome_for(second, "killed in the fighting so far")
    assert outcome.action == Action.ATTACHED
    assert outcome.claim == aid_claim
    assert aid_claim.appearances.count() == 2
    assert {a.source.title for a in aid_claim.appearances.all()} == {"First", "Second"}


def test_an_automatic_attachment_is_recorded_as_an_attached_match(first, second):
    aid_claim = claim_stating("10,000 civilians had been killed in the fighting.")
    attached = aid_claim.appearances.get(source=second.source)
    match = ClaimMatch.objects.get(appearance=attached)
    assert (match.existing, match.outcome) == (aid_claim, MatchOutcome.ATTACHED)
    assert match.score >= 0.85 and 0 < match.words <= 1 and match.shared_figures == 1
    assert match.decided_by is None and match.decided_at is None
    assert outcome_for(second, "killed in the fighting so far").claim_match == match


def test_a_paraphrase_with_the_same_figure_is_proposed_as_a_likely_duplicate(first, second):
    original = claim_stating("gives Israel $3.8 billion a year")
    outcome = outcome_for(second, "Israel receives $3.8 billion")
    assert outcome.match is not None and outcome.match.claim == original
    assert outcome.action == Action.CREATED and outcome.claim != original
    appearance = outcome.claim.appearances.get()
    match = ClaimMatch.objects.get(appearance=appearance)
    assert (match.existing, match.outcome) == (original, MatchOutcome.SUGGESTED)
    assert (match.score, match.words) == (outcome.match.score, outcome.match.words)
    # The note keeps the article's hedges only.
    assert "duplicate" not in appearance.note.lower()


def test_different_figures_about_the_same_subject_are_not_matched(first, second):
    for words, original in (
        ("1,200 deaths", "1,400 deaths"),
        ("about 12,000 civilians", "about 10,000 civilians had been killed in the fighting."),
    ):
        outcome = outcome_for(second, words)
        assert outcome.action == Action.CREATED
        assert outcome.match is None
        assert outcome.claim != claim_stating(original)
        assert not ClaimMatch.objects.filter(appearance__claim=outcome.claim).exists()


def test_a_sentence_matching_a_published_claim_becomes_a_new_claim_suggested_as_its_duplicate(
    editor, other_editor, reviewer
):
    source_ingest(actor=editor, text=FIRST_ARTICLE, title="First")
    aid_claim = claim_stating("10,000 civilians had been killed in the fighting.")
    publish(aid_claim, editor=editor, signer=other_editor, reviewer=reviewer)

    second = source_ingest(actor=editor, text=SECOND_ARTICLE, title="Second")

    outcome = outcome_for(second, "killed in the fighting so far")
    assert outcome.action == Action.CREATED and outcome.claim != aid_claim
    match = ClaimMatch.objects.get(appearance__claim=outcome.claim)
    assert (match.existing, match.outcome) == (aid_claim, MatchOutcome.SUGGESTED)
    assert aid_claim.appearances.count() == 1  # the published claim is untouched


def publish(claim: Claim, *, editor, signer, reviewer) -> Claim:
    services.claim_triage(actor=editor, claim=claim)
    assignment = services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)
    evidence = factories.EvidenceFactory(claim=claim)
    submit_review(reviewer, assignment, "true", "high", "The agency's table says so.", [evidence])
    return services.claim_publish(actor=signer, claim=claim)


def test_the_same_article_ingested_twice_records_no_second_match(first, second, editor):
    matches = ClaimMatch.objects.count()
    claims = Claim.objects.count()
    again = source_ingest(actor=editor, text=SECOND_ARTICLE, title="Second")
    assert {o.action for o in again.outcomes} <= {Action.ALREADY, Action.NOT_PROPOSED}
    assert (ClaimMatch.objects.count(), Claim.objects.count()) == (matches, claims)


def test_matching_scores_shared_figures_up_and_rules_contradicting_figures_out():
    same = "Israel gets $3.8 billion a year in aid."
    figures = [Figure.of(q) for q in parse_quantities(same)]
    other = [Figure.of(q) for q in parse_quantities("Aid to Israel is $3.8 billion a year.")]
    wrong = [Figure.of(q) for q in parse_quantities("Aid to Israel is $3.3 billion a year.")]
    score, words, shared = score_pair(same, figures, "Aid to Israel is $3.8 billion a year.", other)
    assert shared == 1 and score > words
    assert score_pair(same, figures, "Aid to Israel is $3.3 billion a year.", wrong) is None


def test_counts_agree_on_the_number_whatever_noun_the_writer_counted():
    people = Figure(QuantityKind.COUNT, Decimal(1400), "people", "")
    israelis = Figure(QuantityKind.COUNT, Decimal(1400), "israelis", "")
    assert people.equals(israelis)
    assert not people.equals(Figure(QuantityKind.COUNT, Decimal(1200), "people", ""))


def test_word_similarity_ignores_order_case_and_function_words():
    assert word_similarity("The Senate passed the bill.", "the bill passed THE senate") == 1.0
    assert word_similarity("The Senate passed the bill.", "Rain fell on the coast.") < 0.4


def test_a_claim_worded_alike_is_found_without_any_figure(editor):
    source_ingest(
        actor=editor,
        text="Jobs Report\n\nUnemployment among young people has doubled since the factory "
        "closed, the union said in its annual report.",
    )
    matches = find_matches(
        statement="Unemployment among young people doubled after the factory closed.",
        quantities=[],
    )
    assert matches and "factory closed" in matches[0].claim.statement


@pytest.mark.postgres
def test_postgres_has_the_trigram_extension_and_index_on_claim_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() is not None
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'claims_claim_statement_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "gin_trgm_ops" in definition


def test_matching_a_second_ingest_leaves_the_first_articles_appearances_alone(first, second):
    first_source = first.source
    assert Appearance.objects.filter(source=first_source).count() == len(first.created)
