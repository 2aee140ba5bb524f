"""Editing a source in the admin: a blank URL is stored as no URL (NULL), never as "", which
the database refuses (``source_no_empty_keys``), so the form saves instead of failing."""

import pytest
from django.urls import reverse

from claims.models import Source
from tests import factories

pytestmark = pytest.mark.django_db


def form_data(source: Source, **changes: str) -> dict[str, str]:
    data = {
        "kind": source.kind,
        "title": source.title,
        "url": source.url or "",
        "publisher": source.publisher,
        "author": source.author,
        "published_on": "",
        "language": source.language,
        "text": source.text,
    }
    return {**data, **changes}


def test_clearing_a_sources_url_stores_no_url(client, editor) -> None:
    source = factories.SourceFactory()
    client.force_login(editor)
    url = reverse("admin:claims_source_change", args=[source.pk])
    response = client.post(url, form_data(source, url=""))
    assert response.status_code == 302, response.content[:2000]
    source.refresh_from_db()
    assert source.url is None


def test_two_sources_without_a_url_are_both_kept(client, editor) -> None:
    first, second = factories.SourceFactory(), factories.SourceFactory()
    client.force_login(editor)
    for source in (first, second):
        url = reverse("admin:claims_source_change", args=[source.pk])
        assert client.post(url, form_data(source, url="")).status_code == 302
    assert Source.objects.filter(pk__in=[first.pk, second.pk], url=None).count() == 2


def test_adding_a_source_with_no_url_stores_no_url(client, editor) -> None:
    client.force_login(editor)
    data = {
        "kind": "article",
        "title": "A typed-in source",
        "url": "",
        "publisher": "",
        "author": "",
        "published_on": "",
        "language": "en",
        "text": "A source typed in by hand, with no page behind it.",
    }
    response = client.post(reverse("admin:claims_source_add"), data)
    assert response.status_code == 302, response.content[:2000]
    assert Source.objects.get(title="A typed-in source").url is None
