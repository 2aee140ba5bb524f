"""Imported ClaimReviews record their language, and a person author is not the publisher."""

from __future__ import annotations

import pytest

from claims.claimreview import claimreview_import
from claims.models import ExternalReview
from tests.claimreview import claim_review, organisation, rating_named

pytestmark = pytest.mark.django_db


def test_a_review_without_in_language_gets_its_detected_language(editor):
    node = claim_review(
        "O governo federal gastou R$ 3,8 bilhões com publicidade no ano passado.",
        url="https://checadores.example/publicidade",
        author=organisation("Checadores"),
        rating=rating_named("Enganoso"),
    )
    claimreview_import(actor=editor, payload=node)
    review = ExternalReview.objects.get(url="https://checadores.example/publicidade")
    assert (review.language, review.rating) == ("pt", "mostly_false")


def test_in_language_wins_over_detection(editor):
    node = claim_review(
        "El Gobierno destinará 450 millones de euros al año a la sanidad.",
        url="https://verificadores.example/sanidad",
        inLanguage="es-ES",
        author=organisation("Verificadores"),
        rating=rating_named("Falso"),
    )
    claimreview_import(actor=editor, payload=node)
    assert ExternalReview.objects.get(url="https://verificadores.example/sanidad").language == (
        "es-ES"
    )


def test_a_person_author_is_not_taken_as_the_publishing_organisation(editor):
    node = claim_review(
        "هذه الصورة التقطت في عمان الأسبوع الماضي خلال العاصفة الثلجية.",
        url="https://checkers.example/ar/photo",
        author={"@type": "Person", "name": "Layla Haddad"},
        publisher=organisation("Amman Checks"),
        rating=rating_named("زائف"),
    )
    claimreview_import(actor=editor, payload=node)
    review = ExternalReview.objects.get(url="https://checkers.example/ar/photo")
    assert (review.publisher, review.rating, review.language) == ("Amman Checks", "false", "ar")
