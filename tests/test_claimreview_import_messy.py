"""claimreview_import on the messy shapes real markup comes in, and on what it must refuse."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.claimreview import claimreview_import
from claims.models import Appearance, Claim, ExternalReview, ImportStatus, Source, Speaker
from tests.claimreview import claim_review

pytestmark = pytest.mark.django_db


def test_a_graph_with_id_references_string_numbers_and_worst_rating_zero(editor):
    document = {
        "@context": "http://schema.org",
        "@graph": [
            {"@type": "Organization", "@id": "#checkers", "name": "Coast Checkers",
             "url": "https://checkers.example/"},
            claim_review(
                "The lighthouse is 300 years old.",
                url="https://checkers.example/lighthouse",
                author={"@id": "#checkers"},
                rating={"@type": "Rating", "ratingValue": "0", "bestRating": "4",
                        "worstRating": "0"},
            ),
            claim_review(
                "The pier is the longest in Europe.",
                url="https://checkers.example/pier",
                author={"@id": "#checkers"},
                rating={"@type": "Rating", "alternateName": "Mostly False",
                        "ratingValue": "5", "bestRating": "6", "worstRating": "1"},
                datePublished="2023-04-05T10:00:00Z",
            ),
        ],
    }  # fmt: skip
    report = claimreview_import(actor=editor, payload=document)
    assert report.counts == {"created": 2, "matched": 0, "rejected": 0}
    lighthouse = ExternalReview.objects.get(url="https://checkers.example/lighthouse")
    assert lighthouse.publisher == "Coast Checkers"
    assert lighthouse.publisher_url == "https://checkers.example/"
    assert lighthouse.rating == "false"  # 0 on a 0–4 scale is the worst
    assert lighthouse.rating_text == "0 on a scale from 0 to 4"  # no words were published
    pier = ExternalReview.objects.get(url="https://checkers.example/pier")
    assert (pier.rating, pier.rating_text) == ("mostly_false", "Mostly False")
    assert pier.published_on.isoformat() == "2023-04-05"


def test_several_reviews_on_a_page_and_a_broken_block_beside_them(editor):
    first = claim_review("Tides here reach 15 metres.", url="/checks/tides", rating="Mostly True")
    second = claim_review(
        "The bay froze in 1963.", url="/checks/bay", rating={"alternateName": "True"}
    )
    third = claim_review(
        "Seals outnumber residents.", url="/checks/seals", rating={"name": "Falso"}
    )
    page = f"""<!doctype html><html><head><title>Checks</title>
    <script type="application/ld+json">{json.dumps([first, second])}</script>
    <script type="application/ld+json">{{"@type": "ClaimReview", "claimReviewed": ,}}</script>
    <script type="application/ld+json">{json.dumps({"@graph": [third]})}</script>
    </head><body><p>Three checks</p></body></html>"""
    report = claimreview_import(
        actor=editor, html=page, source_url="https://checkers.example/today"
    )
    assert report.counts == {"created": 3, "matched": 0, "rejected": 0}
    assert any("JSON-LD block 2" in problem for problem in report.problems)
    assert [item.review_url for item in report.items] == [
        "https://checkers.example/checks/tides",
        "https://checkers.example/checks/bay",
        "https://checkers.example/checks/seals",
    ]
    ratings = dict(ExternalReview.objects.values_list("rating_text", "rating"))
    assert ratings == {"Mostly True": "mostly_true", "True": "true", "Falso": "false"}


def test_a_google_api_answer_gives_one_claim_with_each_publishers_verdict(editor):
    answer = {
        "claims": [
            {
                "text": "The ferry fare tripled this year.",
                "claimant": "Harbour Users Group",
                "claimDate": "2024-02-01T00:00:00Z",
                "claimReview": [
                    {"publisher": {"name": "Coast Checkers", "site": "checkers.example"},
                     "url": "https://checkers.example/fares", "title": "Fares did not triple",
                     "reviewDate": "2024-02-03T00:00:00Z", "textualRating": "False",
                     "languageCode": "en"},
                    {"publisher": {"site": "islandfacts.example"},
                     "url": "https://islandfacts.example/ferry", "textualRating": "Exaggerated"},
                ],
            }
        ],
        "nextPageToken": "abc",
    }  # fmt: skip
    report = claimreview_import(actor=editor, payload=answer)
    assert report.counts == {"created": 1, "matched": 0, "rejected": 0}
    claim = Claim.objects.get()
    verdicts = {v.publisher: (v.rating_text, v.rating) for v in claim.external_reviews.all()}
    assert verdicts == {
        "Coast Checkers": ("False", "false"),
        "islandfacts.example": ("Exaggerated", "mostly_false"),
    }
    appearance = claim.appearances.select_related("speaker").get()
    assert appearance.speaker.name == "Harbour Users Group"


def test_a_datafeed_with_several_items_and_appearances_as_plain_urls(editor):
    feed = {
        "@type": "DataFeed",
        "dataFeedElement": [
            {"@type": "DataFeedItem", "item": [
                claim_review("Bridge tolls fund the school.", url="https://checkers.example/tolls",
                             rating="Half True",
                             itemReviewed={"@type": "Claim",
                                           "appearance": ["https://social.example/p/1",
                                                          {"url": "https://news.example/tolls",
                                                           "headline": "Tolls and schools"}],
                                           "firstAppearance": "https://social.example/p/1",
                                           "author": {"@type": "Person", "name": "Mo Reed",
                                                      "jobTitle": "councillor"}}),
            ]},
            {"@type": "DataFeedItem", "item": [
                claim_review("The harbour wall is sinking.", url="https://checkers.example/wall",
                             rating="Unproven"),
            ]},
        ],
    }  # fmt: skip
    report = claimreview_import(actor=editor, payload=feed)
    assert report.counts == {"created": 2, "matched": 0, "rejected": 0}
    tolls = Claim.objects.get(statement="Bridge tolls fund the school.")
    urls = sorted(a.source.url for a in tolls.appearances.select_related("source"))
    assert urls == ["https://news.example/tolls", "https://social.example/p/1"]
    assert {a.speaker.name for a in tolls.appearances.select_related("speaker")} == {"Mo Reed"}
    assert Source.objects.get(url="https://news.example/tolls").title == "Tolls and schools"
    wall = Claim.objects.get(statement="The harbour wall is sinking.")
    assert wall.external_reviews.get().rating == "unverifiable"
    assert not wall.appearances.exists()  # no place and no speaker named


def test_an_unknown_verdict_is_imported_as_unverifiable_with_its_words_and_a_note(editor):
    report = claimreview_import(
        actor=editor,
        payload=claim_review(
            "Gulls steal chips.", url="https://checkers.example/gulls", rating="Meh"
        ),
    )
    (item,) = report.items
    assert item.status == ImportStatus.CREATED
    assert "'Meh'" in item.notes[0]
    assert ExternalReview.objects.get().rating_text == "Meh"


@pytest.mark.parametrize(
    ("node", "reason"),
    [
        ({"@type": "ClaimReview", "url": "https://c.example/1", "reviewRating": "False"},
         "no claimReviewed"),
        ({"@type": "ClaimReview", "claimReviewed": "Boats float.", "url": "https://c.example/2"},
         "no reviewRating"),
        ({"@type": "ClaimReview", "claimReviewed": "Boats sink.", "reviewRating": "False"},
         "names no author and has no URL"),
        ({"@type": "ClaimReview", "claimReviewed": "Boats fly.", "url": "https://c.example/4",
          "reviewRating": {"@type": "Rating", "description": "?"}},
         "neither words nor a readable numeric verdict"),
        ({"@type": "ClaimReview", "claimReviewed": 42, "url": "https://c.example/5",
          "reviewRating": ["False"], "itemReviewed": "a string"},
         None),
    ],
)  # fmt: skip
def test_an_item_missing_what_a_claim_needs_is_rejected_with_the_reason(editor, node, reason):
    report = claimreview_import(actor=editor, payload=[node])
    (item,) = report.items
    if reason is None:
        # Odd types are read leniently: the number is the statement, the list holds the rating.
        assert item.status == ImportStatus.CREATED
        return
    assert item.status == ImportStatus.REJECTED
    assert reason in item.reason
    assert Claim.objects.count() == Source.objects.count() == 0


def test_a_failure_midway_through_an_item_leaves_nothing_of_it(editor, monkeypatch):
    # The second item's verdict is refused once its claim, source, speaker and appearance
    # are written: the last step of an item.
    real = ExternalReview.objects.bulk_create

    def failing(reviews, *args, **kwargs):
        if any("second" in review.claim.statement for review in reviews):
            raise ValidationError({"url": "The verdict could not be stored."})
        return real(reviews, *args, **kwargs)

    monkeypatch.setattr(ExternalReview.objects, "bulk_create", failing)
    speaker = {"@type": "Person", "name": "Kit Vale"}
    items = [
        claim_review(
            f"The {n} statement.",
            url=f"https://checkers.example/{n}",
            rating="False",
            itemReviewed={"appearance": f"https://social.example/{n}", "author": speaker},
        )
        for n in ("first", "second", "third")
    ]
    report = claimreview_import(actor=editor, payload=items)
    assert [i.status for i in report.items] == ["created", "rejected", "created"]
    assert "url: The verdict could not be stored." in report.items[1].reason
    assert not Claim.objects.filter(statement="The second statement.").exists()
    assert not Source.objects.filter(url="https://social.example/second").exists()
    assert Claim.objects.count() == Appearance.objects.count() == ExternalReview.objects.count()
    assert Speaker.objects.count() == 1


def test_a_statement_is_matched_across_case_spacing_and_quotation_marks(editor, new_claim):
    new_claim_statement = new_claim.statement
    report = claimreview_import(
        actor=editor,
        payload=claim_review(
            f"“  {new_claim_statement.upper()} ”",
            url="https://checkers.example/same",
            rating="True",
        ),
    )
    assert report.items[0].status == ImportStatus.MATCHED
    assert report.items[0].claim == new_claim.pk
    assert Claim.objects.count() == 1
    assert new_claim.external_reviews.get().rating == "true"


def test_a_published_claim_gets_the_verdict_beside_it_but_no_new_appearance(
    editor, published_claim
):
    report = claimreview_import(
        actor=editor,
        payload=claim_review(
            published_claim.statement,
            url="https://checkers.example/published",
            rating="Mostly True",
            itemReviewed={"appearance": "https://social.example/late", "author": "Lee Park"},
        ),
    )
    (item,) = report.items
    assert item.status == ImportStatus.MATCHED
    assert any("is published" in note for note in item.notes)
    assert published_claim.external_reviews.get().rating == "mostly_true"
    assert not published_claim.appearances.exists()
    assert not Source.objects.filter(url="https://social.example/late").exists()


def test_a_document_that_is_neither_json_nor_html_is_unreadable(editor):
    report = claimreview_import(actor=editor, payload="just some words")
    assert not report.readable
    assert "neither JSON nor an HTML page" in report.problems[0]


def test_json_nested_beyond_reading_is_unreadable(editor):
    report = claimreview_import(actor=editor, payload="[" * 50_000 + "]" * 50_000)
    assert not report.readable
    assert "too deeply" in report.problems[0]


def test_json_without_any_review_is_unreadable(editor):
    report = claimreview_import(actor=editor, payload={"hello": ["world", {"@type": "Thing"}]})
    assert not report.readable and report.items == []


def test_only_editors_import(reviewer):
    with pytest.raises(PermissionDenied):
        claimreview_import(actor=reviewer, payload=[])
