"""claimreview_import on every file of real ClaimReview markup in ../shared/data/claimreview/.

The files are fact-checkers' pages and API records as scraped (AFP's HTML page in a JSON
wrapper with an ``@graph``, Newtral's index, a DataCommons feed item, a Google Fact Check
record). They are read where they lie, at test time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

from claims.claimreview import claimreview_import
from claims.models import (
    Appearance,
    Attribution,
    Claim,
    ClaimState,
    ExternalReview,
    ExternalReviewOrigin,
    ImportStatus,
    SourceKind,
    SpeakerKind,
)

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR).parent / "shared" / "data" / "claimreview"
FILES = sorted(p for p in DATA.iterdir() if p.suffix in (".json", ".html", ".htm", ".jsonld"))


def _import(editor, path: Path):
    return claimreview_import(actor=editor, payload=path.read_text(encoding="utf-8"))


def test_the_fixture_directory_is_there():
    assert len(FILES) >= 4, f"expected the ClaimReview fixtures in {DATA}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_item_of_every_file_is_created_matched_or_rejected_with_a_reason(editor, path):
    report = _import(editor, path)
    assert report.readable, report.problems
    for item in report.items:
        assert item.status in ImportStatus.values
        if item.status == ImportStatus.REJECTED:
            assert item.reason and item.claim is None
            assert "malformed" not in item.reason  # every fixture shape is understood
        else:
            assert item.claim is not None and not item.reason
    counts = report.counts
    assert sum(counts.values()) == len(report.items)
    # No half-made claims: every claim the import made has its verdict, and is "new".
    assert Claim.objects.count() == counts["created"]
    assert ExternalReview.objects.count() >= counts["created"]
    for claim in Claim.objects.all():
        assert claim.state == ClaimState.NEW
        assert claim.external_reviews.exists()
        assert claim.events.filter(action="create").count() == 1


def test_importing_every_file_again_matches_and_adds_nothing(editor):
    first = [_import(editor, path) for path in FILES]
    rows = (Claim.objects.count(), Appearance.objects.count(), ExternalReview.objects.count())
    again = [_import(editor, path) for path in FILES]
    assert (
        Claim.objects.count(),
        Appearance.objects.count(),
        ExternalReview.objects.count(),
    ) == rows
    for before, after in zip(first, again, strict=True):
        assert after.counts["created"] == 0
        assert after.counts["matched"] == before.counts["created"] + before.counts["matched"]
        assert [i.claim for i in after.items] == [i.claim for i in before.items]


def _load(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _afp_review() -> tuple[dict, str]:
    """The ClaimReview inside AFP's page (its one JSON-LD block holds an @graph), and the
    page's URL, read from the fixture with a parser independent of the importer's."""
    wrapper = _load("afp_raw.json")
    block = wrapper["page"].split('<script type="application/ld+json">', 1)[1]
    graph = json.loads(block.split("</script>", 1)[0])["@graph"]
    (review,) = [node for node in graph if node.get("@type") == "ClaimReview"]
    return review, wrapper["url"]


def test_afps_page_in_a_graph_reads_string_numbers_and_a_creative_work(editor):
    expected, _ = _afp_review()
    rating = expected["reviewRating"]
    assert isinstance(rating["ratingValue"], str)  # the mess this test is about
    assert expected["itemReviewed"]["@type"] == "CreativeWork"
    report = _import(editor, DATA / "afp_raw.json")
    (item,) = report.items
    assert item.status == ImportStatus.CREATED
    claim = Claim.objects.get(pk=item.claim)
    assert claim.statement == expected["claimReviewed"]
    verdict = claim.external_reviews.get()
    assert verdict.publisher == expected["author"]["name"]
    assert verdict.url == expected["url"]
    assert verdict.rating_text == rating["alternateName"]
    assert verdict.rating == "false"  # "False" in words, and 1 on a 1–5 scale
    assert (verdict.rating_value, verdict.best_rating, verdict.worst_rating) == (
        float(rating["ratingValue"]),
        float(rating["bestRating"]),
        float(rating["worstRating"]),
    )
    assert verdict.published_on.isoformat() == expected["datePublished"][:10]
    assert verdict.origin == ExternalReviewOrigin.CLAIMREVIEW
    # itemReviewed is a CreativeWork: its URL is where the claim appeared.
    work = expected["itemReviewed"]
    appearance = claim.appearances.select_related("source", "speaker").get()
    assert appearance.source.url == work["url"]
    assert appearance.source.kind == SourceKind.SOCIAL_POST
    assert appearance.source.published_on.isoformat() == work["datePublished"]
    assert appearance.speaker.name == work["author"]["name"]
    assert appearance.speaker.kind == SpeakerKind.ORGANISATION
    assert appearance.source.text[appearance.start : appearance.end] == claim.statement


def test_the_same_afp_page_given_as_html_reads_the_same(editor):
    wrapper = _load("afp_raw.json")
    report = claimreview_import(actor=editor, html=wrapper["page"], source_url=wrapper["url"])
    assert report.counts == {"created": 1, "matched": 0, "rejected": 0}
    assert Claim.objects.get().external_reviews.get().rating == "false"


SPANISH_WORDS = {"Falso": "false", "Engañoso": "mostly_false", "Verdad a medias": "mixed"}


def test_newtrals_spanish_ratings_map_to_the_desks_scale(editor):
    reviews = _load("newtral_fact_check_index_raw.json")["data"]
    report = claimreview_import(actor=editor, payload=reviews)
    assert report.counts["created"] == len(reviews) > 1
    for expected in reviews:
        verdict = ExternalReview.objects.get(url=expected["url"])
        words = expected["reviewRating"]["alternateName"]
        assert (verdict.rating_text, verdict.rating) == (words, SPANISH_WORDS[words])
        claim = verdict.claim
        # The statement is the review's words, surrounding quotation marks dropped.
        assert claim.statement in expected["claimReviewed"]
        words_given = expected["claimReviewed"].strip()
        if words_given[0] in '“"' and words_given[-1] in '”"':
            words_given = words_given[1:-1].strip()
        assert claim.statement == words_given
        appearance = claim.appearances.select_related("source", "speaker").get()
        author = expected["itemReviewed"]["author"]
        assert appearance.speaker.name == author["name"]
        assert appearance.speaker.role == " ".join(author.get("jobTitle", "").split())
        venue = expected["itemReviewed"].get("name")
        if venue:
            # Newtral names only the venue: a source without a URL, where the speaker said it.
            assert appearance.source.url is None and appearance.source.title == venue
            assert appearance.attribution == Attribution.SAID
        else:
            # No venue either: the fact check itself reports who said it.
            assert appearance.source.url == expected["url"]
            assert appearance.attribution == Attribution.REPORTED


def test_a_datacommons_item_with_a_verdict_only_in_words_keeps_the_words(editor):
    (expected,) = _load("data_commons_raw.json")["item"]
    assert "ratingValue" not in expected["reviewRating"]
    report = _import(editor, DATA / "data_commons_raw.json")
    (item,) = report.items
    assert item.status == ImportStatus.CREATED
    assert any("recorded as unverifiable" in note for note in item.notes)
    verdict = ExternalReview.objects.get()
    assert verdict.rating == "unverifiable"
    assert verdict.rating_text == " ".join(expected["reviewRating"]["alternateName"].split())
    assert verdict.publisher == expected["author"]["name"]
    appearance = Appearance.objects.select_related("speaker", "source").get()
    assert appearance.speaker.name == expected["itemReviewed"]["author"]["name"]
    assert appearance.source.url == expected["itemReviewed"]["appearance"][0]["url"]
    assert appearance.source.published_on.isoformat() == expected["itemReviewed"]["datePublished"]


def test_a_google_fact_check_record_gives_the_claimant_and_the_textual_rating(editor):
    record = _load("google_fact_check_raw.json")
    (expected,) = record["claimReview"]
    report = _import(editor, DATA / "google_fact_check_raw.json")
    (item,) = report.items
    assert item.kind == "Google Fact Check record"
    verdict = ExternalReview.objects.get()
    assert verdict.claim.statement == record["text"]
    assert verdict.publisher == expected["publisher"]["site"]  # the record names only the site
    assert verdict.rating_text == expected["textualRating"]
    assert verdict.rating == "false"
    assert verdict.origin == ExternalReviewOrigin.GOOGLE_FACT_CHECK
    assert verdict.language == expected["languageCode"]
    appearance = Appearance.objects.select_related("speaker", "source").get()
    # The record names no place: the fact check itself reports who made the claim.
    assert appearance.speaker.name == record["claimant"]
    assert appearance.attribution == Attribution.REPORTED
    assert appearance.source.url == verdict.url == expected["url"]
