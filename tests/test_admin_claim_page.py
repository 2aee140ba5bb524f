"""The claim's admin page: its inlines, its history, the lock on published claims, blind
review, and spans checked against their quotes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from claims import services as claim_services
from claims.exceptions import WorkflowConflict
from claims.models import Appearance, Claim, ClaimState, Priority
from tests import factories
from tests.conftest import submit_review
from verification import services
from verification.models import Evidence, Review, WorkflowAction


def change_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def form_data(response: Any) -> dict[str, Any]:
    """The POST a browser would send back for an admin change page, unchanged."""
    data: dict[str, Any] = {}

    def add(form: Any) -> None:
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            key = form.add_prefix(name)
            if isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            else:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def add_appearance_row(data: dict[str, Any], **fields: Any) -> None:
    """Add one new row to the page's appearance inline."""
    index = int(data["appearances-TOTAL_FORMS"])
    data["appearances-TOTAL_FORMS"] = str(index + 1)
    defaults = {"attribution": "reported", "note": "", "end": ""}
    for name, value in {**defaults, **fields}.items():
        data[f"appearances-{index}-{name}"] = "" if value is None else str(value)


@pytest.fixture
def claim_with_parts(claim_in_review):
    factories.QuantityFactory(claim=claim_in_review, text="3.8 billion dollars a year")
    factories.AppearanceFactory(claim=claim_in_review)
    return claim_in_review


def test_claim_page_shows_every_inline(client, editor, claim_with_parts):
    client.force_login(editor)
    response = client.get(change_url(claim_with_parts))
    assert response.status_code == 200
    inlines = {
        inline.opts.model._meta.model_name for inline in response.context["inline_admin_formsets"]
    }
    assert inlines == {
        "quantity",
        "appearance",
        "evidence",
        "review",
        "externalreview",
        "assignment",
        "workflowevent",
    }
    page = response.content.decode()
    assert "Budget table" in page  # evidence
    assert "The budget table shows the figure." in page  # the review's rationale
    assert "Research started" in page  # a workflow event
    assert "3.8 billion dollars a year" in page  # a quantity


def test_claim_history_page_lists_its_changes(client, editor, published_claim):
    client.force_login(editor)
    response = client.get(reverse("admin:claims_claim_history", args=[published_claim.pk]))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) >= 3
    assert "Published" in response.content.decode()


def test_claim_history_cannot_revert_a_claim(client, editor, published_claim):
    record = published_claim.history.earliest()
    url = reverse("admin:claims_claim_simple_history", args=[published_claim.pk, record.pk])
    client.force_login(editor)
    assert client.get(url).status_code == 200
    response = client.post(url, {"statement": "Reverted", "priority": "normal"})
    assert response.status_code == 403
    published_claim.refresh_from_db()
    assert published_claim.state == ClaimState.PUBLISHED


def test_editor_edits_a_claim_through_its_page(client, editor, new_claim):
    client.force_login(editor)
    data = form_data(client.get(change_url(new_claim)))
    data["statement"] = "A reworded, neutral statement."
    data["priority"] = Priority.URGENT
    response = client.post(change_url(new_claim), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    new_claim.refresh_from_db()
    assert new_claim.statement == "A reworded, neutral statement."
    assert new_claim.priority == Priority.URGENT
    assert new_claim.history.first().history_user == editor


def test_published_claim_page_has_no_save_button_and_refuses_a_post(
    client, editor, published_claim
):
    client.force_login(editor)
    response = client.get(change_url(published_claim))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    for inline in response.context["inline_admin_formsets"]:
        assert not inline.has_add_permission and not inline.has_change_permission

    response = client.post(
        change_url(published_claim),
        {"statement": "Changed after publication", "priority": "low"},
    )
    assert response.status_code == 403
    published_claim.refresh_from_db()
    assert published_claim.statement != "Changed after publication"
    assert published_claim.priority == Priority.NORMAL


def test_reopened_claim_page_can_be_saved_again(client, editor, other_editor, published_claim):
    services.claim_reopen(actor=other_editor, claim=published_claim, reason="New figures.")
    client.force_login(editor)
    response = client.get(change_url(published_claim))
    assert 'name="_save"' in response.content.decode()


def test_reviewer_who_has_not_submitted_does_not_see_another_reviewers_rating(
    client, second_reviewer, half_reviewed_claim
):
    client.force_login(second_reviewer)
    response = client.get(change_url(half_reviewed_claim))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mostly false" not in page
    assert "The ministry&#x27;s own table contradicts it." not in page
    assert "Hidden until your own review of this round is in" in page
    # Neither can the history page show the consensus changing (an edit after the first
    # review snapshots the claim, verdict included).
    editor = factories.EditorFactory()
    claim_services.claim_update(actor=editor, claim=half_reviewed_claim, priority="urgent")
    history = client.get(reverse("admin:claims_claim_history", args=[half_reviewed_claim.pk]))
    assert "Mostly false" not in history.content.decode()
    assert "mostly_false" not in history.content.decode()


def test_reviewer_sees_the_other_verdicts_once_their_own_review_is_in(
    client, second_reviewer, half_reviewed_claim
):
    assignment = half_reviewed_claim.assignments.get(reviewer=second_reviewer)
    submit_review(second_reviewer, assignment, "unverifiable", "low", "No record either way.")
    client.force_login(second_reviewer)
    page = client.get(change_url(half_reviewed_claim)).content.decode()
    assert "Mostly false" in page
    assert "No record either way." in page


def test_editor_sees_every_rating_on_the_claim_page(client, editor, half_reviewed_claim):
    client.force_login(editor)
    page = client.get(change_url(half_reviewed_claim)).content.decode()
    assert "Mostly false" in page
    assert "Hidden until your own review" not in page


def test_reviewer_cannot_open_the_history_of_a_review_hidden_from_them(
    client, second_reviewer, half_reviewed_claim
):
    review = Review.objects.get(claim=half_reviewed_claim)
    client.force_login(second_reviewer)
    url = reverse("admin:verification_review_history", args=[review.pk])
    assert client.get(url).status_code == 404
    assert client.get(
        reverse("admin:verification_review_change", args=[review.pk])
    ).status_code in (
        302,
        404,
    )


def add_appearance_quoting(client, claim: Claim, quote: str, start: int):
    """Post ``claim``'s change page with a new appearance quoting ``quote`` at ``start`` of a new
    source that reads "The aid was worth 3.8 billion dollars a year."."""
    source = factories.SourceFactory(text="The aid was worth 3.8 billion dollars a year.")
    data = form_data(client.get(change_url(claim)))
    add_appearance_row(data, source=source.pk, quote=quote, start=start)
    return client.post(change_url(claim), data)


def test_appearance_whose_quote_does_not_match_its_span_is_refused(client, editor, new_claim):
    client.force_login(editor)
    response = add_appearance_quoting(client, new_claim, quote="4.2 billion dollars", start=18)
    assert response.status_code == 200
    assert "not the quote" in response.content.decode()
    assert not Appearance.objects.filter(claim=new_claim).exists()


def test_appearance_whose_span_reproduces_the_quote_is_saved_through_the_service(
    client, editor, new_claim
):
    client.force_login(editor)
    response = add_appearance_quoting(client, new_claim, quote="3.8 billion dollars", start=18)
    assert response.status_code == 302
    appearance = Appearance.objects.get(claim=new_claim)
    assert (appearance.start, appearance.end) == (18, 37)
    assert appearance.created_by == editor


def add_claim_quoting(client, statement: str, priority: str, start: int):
    """Post the add page: a claim quoting "1,400 people" at ``start`` of a new source."""
    source = factories.SourceFactory(text="Officials said 1,400 people were killed.")
    add_url = reverse("admin:claims_claim_add")
    data = form_data(client.get(add_url))
    data.update({"statement": statement, "priority": priority})
    add_appearance_row(data, source=source.pk, quote="1,400 people", start=start)
    return client.post(add_url, data)


def test_claim_created_in_the_admin_records_its_submitter_and_created_event(client, editor, db):
    client.force_login(editor)
    response = add_claim_quoting(client, "1,400 people were killed in the attacks.", "high", 15)
    assert response.status_code == 302
    claim = Claim.objects.get(statement="1,400 people were killed in the attacks.")
    assert claim.submitted_by == editor
    assert claim.state == ClaimState.NEW
    assert [(e.action, e.actor) for e in claim.events.all()] == [(WorkflowAction.CREATE, editor)]
    assert claim.appearances.get().quote == "1,400 people"


def test_reviewer_submits_a_claim_through_the_add_page(client, reviewer, db):
    client.force_login(reviewer)
    add_url = reverse("admin:claims_claim_add")
    page = client.get(add_url)
    # Reviewers may submit claims but not attach appearances or quantities.
    assert page.context["inline_admin_formsets"] == []
    response = client.post(add_url, {"statement": "Ten thousand were killed.", "priority": "low"})
    assert response.status_code == 302
    claim = Claim.objects.get(statement="Ten thousand were killed.")
    assert (claim.submitted_by, claim.state) == (reviewer, ClaimState.NEW)
    assert claim.events.get().action == WorkflowAction.CREATE


def test_claim_add_page_with_a_bad_span_creates_no_claim(client, editor, db):
    client.force_login(editor)
    response = add_claim_quoting(client, "A claim with a broken span.", "normal", 3)
    assert response.status_code == 200
    assert not Claim.objects.filter(statement="A claim with a broken span.").exists()


def test_evidence_added_on_the_claim_page_records_who_added_it(client, editor, claim_in_research):
    client.force_login(editor)
    data = form_data(client.get(change_url(claim_in_research)))
    index = int(data["evidence-TOTAL_FORMS"])
    data["evidence-TOTAL_FORMS"] = str(index + 1)
    row = {
        "title": "Congressional budget justification",
        "url": "https://www.records.example/cbj/2024/",
        "document_ref": "",
        "publisher": "State Department",
        "excerpt": "",
        "stance": "supports",
        "source_reliability": "A",
        "credibility": "2",
        "origin_key": "",
    }
    data.update({f"evidence-{index}-{name}": value for name, value in row.items()})
    response = client.post(change_url(claim_in_research), data)
    assert response.status_code == 302
    evidence = Evidence.objects.get(title="Congressional budget justification")
    assert evidence.added_by == editor
    assert evidence.origin_key == "records.example/cbj/2024"  # the service's default key


def test_a_claim_published_while_the_page_was_open_saves_nothing_and_says_why(
    client, editor, claim_in_research, monkeypatch
):
    # The form accepted the row; the service then finds the claim published by someone else.
    def published_meanwhile(**kwargs):
        raise WorkflowConflict("Cannot add evidence: it is published.")

    monkeypatch.setattr(services, "evidence_add", published_meanwhile)
    client.force_login(editor)
    data = form_data(client.get(change_url(claim_in_research)))
    data["statement"] = "A statement edited in the same save."
    index = int(data["evidence-TOTAL_FORMS"])
    data["evidence-TOTAL_FORMS"] = str(index + 1)
    row = {"title": "Late row", "url": "https://records.example/late", "stance": "context"}
    row |= {"source_reliability": "C", "credibility": "3"}
    data.update({f"evidence-{index}-{name}": value for name, value in row.items()})
    response = client.post(change_url(claim_in_research), data, follow=True)
    assert "Nothing was saved: Cannot add evidence: it is published." in response.text
    claim_in_research.refresh_from_db()
    assert claim_in_research.statement != "A statement edited in the same save."
    assert not Evidence.objects.filter(title="Late row").exists()
