"""An editor corrects speaker matching: a name added to a speaker (later articles match it), a
wrong name taken off, two speakers merged into one — through the service, the API and the
admin, each refusal a clear 400 with nothing changed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims import services
from claims.extraction.ingest import source_ingest
from claims.models import Appearance, AttributedStatement, Speaker, SpeakerAlias, SpeakerKind
from tests import factories
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

ARTICLE = "The ministry official Dana Okafor said 1,400 people were evacuated on Monday."
LATER = "POTUS-9 said 2,000 homes had lost power by Tuesday night."


def _speaker(name: str) -> Speaker:
    return services.speaker_get_or_create(name=name, role="", kind=SpeakerKind.PERSON)


def test_a_name_added_by_an_editor_matches_the_speaker_in_later_articles(editor):
    okafor = _speaker("Dana Okafor")
    services.speaker_alias_add(actor=editor, speaker=okafor, name="POTUS-9")

    source_ingest(actor=editor, text=LATER, title="Power cuts")

    statement = AttributedStatement.objects.get()
    assert statement.speaker == okafor
    assert Speaker.objects.count() == 1


def test_a_name_that_is_another_speakers_is_refused_with_a_hint_to_merge(editor):
    okafor, other = _speaker("Dana Okafor"), _speaker("Lee Park")
    with pytest.raises(ValidationError) as refused:
        services.speaker_alias_add(actor=editor, speaker=okafor, name="Lee Park")
    assert "merge the two speakers" in refused.value.message_dict["name"][0]
    assert not SpeakerAlias.objects.filter(speaker=okafor, key="lee park").exists()
    assert other.aliases.filter(key="lee park").exists()


def test_a_speakers_own_name_cannot_be_taken_off_but_another_can(editor):
    okafor = _speaker("Dana Okafor")
    own = okafor.aliases.get(key="dana okafor")
    with pytest.raises(ValidationError):
        services.speaker_alias_remove(actor=editor, alias=own)
    surname = okafor.aliases.get(key="okafor")
    services.speaker_alias_remove(actor=editor, alias=surname)
    assert list(okafor.aliases.values_list("key", flat=True)) == ["dana okafor"]


def test_a_reviewer_may_not_edit_names(reviewer):
    with pytest.raises(PermissionDenied):
        services.speaker_alias_add(actor=reviewer, speaker=_speaker("Dana Okafor"), name="D. O.")


def test_merging_moves_appearances_statements_and_names_and_deletes_the_others(editor):
    source_ingest(actor=editor, text=ARTICLE, title="Evacuation")
    first = Speaker.objects.get(name="Dana Okafor")
    twin = _speaker("D. Okafor-Mensah")
    appearance = factories.AppearanceFactory(speaker=twin)

    kept = services.speakers_merge(actor=editor, keep=first, others=[twin])

    assert kept == first
    assert not Speaker.objects.filter(pk=twin.pk).exists()
    assert Appearance.objects.get(pk=appearance.pk).speaker == first
    assert set(first.aliases.values_list("key", flat=True)) >= {"dana okafor", "d okafor-mensah"}
    history = Appearance.history.filter(id=appearance.pk).order_by("history_date")
    assert history.last().speaker_id == first.pk
    assert history.last().history_user == editor


def test_merging_a_speaker_with_itself_alone_is_refused(editor):
    okafor = _speaker("Dana Okafor")
    with pytest.raises(ValidationError):
        services.speakers_merge(actor=editor, keep=okafor, others=[okafor])


def test_the_api_lists_adds_removes_and_merges(editor, reviewer):
    okafor, twin = _speaker("Dana Okafor"), _speaker("Dana Okafor-Mensah")
    url = f"/api/v1/speakers/{okafor.pk}/"
    as_editor = client_for(editor)

    listed = client_for(reviewer).get(url + "aliases/")
    assert listed.status_code == 200
    assert {a["key"] for a in listed.json()} == {"dana okafor", "okafor"}
    assert client_for(reviewer).post(url + "aliases/", {"name": "D.O."}).status_code == 403

    added = as_editor.post(url + "aliases/", {"name": "Minister Okafor"}, format="json")
    assert added.status_code == 201, added.content
    assert added.json()["key"] == "okafor"  # titles fold away: the surname, now a full name
    refused = as_editor.post(url + "aliases/", {"name": "!!!"}, format="json")
    assert refused.status_code == 400
    assert "letters or digits" in refused.json()["error"]["fields"]["name"][0]

    own = okafor.aliases.get(key="dana okafor")
    assert as_editor.delete(f"{url}aliases/{own.pk}/").status_code == 400
    assert okafor.aliases.filter(pk=own.pk).exists()

    merged = as_editor.post(url + "merge/", {"others": [twin.pk]}, format="json")
    assert merged.status_code == 200, merged.content
    assert not Speaker.objects.filter(pk=twin.pk).exists()
    assert as_editor.post(url + "merge/", {"others": [999999]}, format="json").status_code == 400


def test_the_admin_adds_and_removes_names_and_merges(client, editor):
    okafor, twin = _speaker("Dana Okafor"), _speaker("Dana Okafor-Mensah")
    client.force_login(editor)
    url = reverse("admin:claims_speaker_change", args=[okafor.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    aliases = list(okafor.aliases.order_by("key"))
    data = {
        "name": okafor.name,
        "kind": okafor.kind,
        "role": okafor.role,
        "aliases-TOTAL_FORMS": str(len(aliases) + 1),
        "aliases-INITIAL_FORMS": str(len(aliases)),
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    for i, alias in enumerate(aliases):
        data[f"aliases-{i}-id"] = str(alias.pk)
        data[f"aliases-{i}-speaker"] = str(okafor.pk)
        data[f"aliases-{i}-key"] = alias.key
    data[f"aliases-{len(aliases)}-key"] = "Dana Okafor-Mensah"  # the twin's name: refused
    data[f"aliases-{len(aliases)}-speaker"] = str(okafor.pk)
    assert form is not None

    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "merge the two speakers" in refused.content.decode()

    data[f"aliases-{len(aliases)}-key"] = "The Evacuation Chief"
    surname_row = next(i for i, a in enumerate(aliases) if a.key == "okafor")
    data[f"aliases-{surname_row}-DELETE"] = "on"
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.content[:800]
    assert set(okafor.aliases.values_list("key", flat=True)) == {
        "dana okafor",
        "evacuation chief",
    }

    merged = client.post(
        reverse("admin:claims_speaker_changelist"),
        {"action": "merge_selected", "_selected_action": [okafor.pk, twin.pk]},
        follow=True,
    )
    assert merged.status_code == 200
    assert not Speaker.objects.filter(pk=twin.pk).exists()
