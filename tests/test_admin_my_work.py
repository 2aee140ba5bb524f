"""The reviewer's "My work" page: their open assignments by due date with each claim's quotes
in context, and Accept / Decline buttons that call the assignment services and report a
refusal in plain words."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Appearance
from tests import factories
from verification import services
from verification.admin.views.common import quote_in_context, with_context_window
from verification.models import Assignment, AssignmentState, WorkflowAction

pytestmark = pytest.mark.django_db

MY_WORK = "/admin/verification/assignment/mine/"

ARTICLE = (
    "Washington has leverage. The United States gives Israel $3.8 billion a year in security "
    "assistance, officials said. Mr. Kirby declined to comment on the figure. Critics want "
    "conditions attached. Nothing was decided."
)
QUOTE = "$3.8 billion a year in security assistance"


_articles = itertools.count(1)


def offer(editor, reviewer, *, due_in_hours: float = 48, quote: str = QUOTE):
    """A claim quoted from its own copy of the article, triaged and offered to ``reviewer``."""
    n = next(_articles)
    # Each source's text is unique (the same text is one source).
    text = f"{ARTICLE} Filed as item {n}."
    claim = factories.ClaimFactory(statement=f"U.S. aid to Israel is {quote} (item {n}).")
    source = factories.SourceFactory(text=text, title="Leverage analysis", publisher="The Paper")
    factories.appearance_quoting(claim, source, quote)
    services.claim_triage(actor=editor, claim=claim)
    return services.assignment_create(
        actor=editor,
        claim=claim,
        reviewer=reviewer,
        due_at=timezone.now() + dt.timedelta(hours=due_in_hours),
    )


def overdue(assignment: Assignment) -> Assignment:
    Assignment.objects.filter(pk=assignment.pk).update(
        due_at=timezone.now() - dt.timedelta(hours=5)
    )
    return Assignment.objects.get(pk=assignment.pk)


def headings(page: str) -> list[str]:
    return re.findall(r'<h2 id="assignment-\d+-heading">([^<]*)</h2>', page)


def test_the_page_lists_the_reviewers_open_assignments_soonest_due_first(
    client, editor, reviewer, second_reviewer
):
    reviewer.reviewer_profile.capacity = 5  # five offers
    reviewer.reviewer_profile.save()
    later = offer(editor, reviewer, due_in_hours=72)
    sooner = offer(editor, reviewer, due_in_hours=10)
    late = overdue(offer(editor, reviewer, due_in_hours=30))
    accepted = services.assignment_accept(
        actor=reviewer, assignment=offer(editor, reviewer, due_in_hours=20)
    )
    declined = offer(editor, reviewer)
    services.assignment_decline(actor=reviewer, assignment=declined, reason="Conflict.")
    someone_elses = offer(editor, second_reviewer, due_in_hours=1)

    client.force_login(reviewer)
    response = client.get(MY_WORK)

    assert response.status_code == 200
    page = response.content.decode()
    order = [late, sooner, accepted, later]
    assert headings(page) == [f"Claim #{a.claim_id}: {a.claim.statement}" for a in order]
    assert f"Claim #{someone_elses.claim_id}:" not in page
    assert f"Claim #{declined.claim_id}:" not in page
    assert "1 overdue" in page
    assert page.count('<span class="desk-badge overdue">Overdue</span>') == 1
    assert f'id="assignment-{late.pk}"' in page.split("desk-assignment overdue")[1][:200]


def test_each_assignment_shows_the_quote_in_its_sentences_and_the_source_link(
    client, editor, reviewer
):
    assignment = offer(editor, reviewer)

    client.force_login(reviewer)
    page = client.get(MY_WORK).content.decode()

    # The sentence holding the quote, with the sentence before and after, the quote marked.
    assert (
        "<p>Washington has leverage. The United States gives Israel "
        f"<mark>{QUOTE}</mark>, officials said. Mr. Kirby declined to comment on the figure.…"
    ) in page
    source = assignment.claim.appearances.get().source
    assert f'<a href="{source.url}"' in page and "Leverage analysis" in page
    assert reverse("admin:verification_assignment_review", args=[assignment.pk]) in page


def test_an_offer_has_accept_and_decline_buttons_with_a_labelled_reason(client, editor, reviewer):
    assignment = offer(editor, reviewer)

    client.force_login(reviewer)
    page = client.get(MY_WORK).content.decode()

    assert 'name="action" value="accept" class="button default">Accept</button>' in page
    assert 'name="action" value="decline" class="button">Decline</button>' in page
    assert (
        f'<label for="decline-reason-{assignment.pk}">Reason for declining</label>' in page
        and f'id="decline-reason-{assignment.pk}"' in page
    )
    assert page.count("csrfmiddlewaretoken") >= 2


def test_an_accepted_assignment_has_no_accept_or_decline_buttons(client, editor, reviewer):
    services.assignment_accept(actor=reviewer, assignment=offer(editor, reviewer))

    client.force_login(reviewer)
    page = client.get(MY_WORK).content.decode()

    assert ">Accept</button>" not in page and ">Decline</button>" not in page
    assert "Write your review" in page


def test_accept_takes_the_offer_and_says_so(client, editor, reviewer):
    assignment = offer(editor, reviewer)

    client.force_login(reviewer)
    response = client.post(MY_WORK, {"assignment": assignment.pk, "action": "accept"}, follow=True)

    assert response.redirect_chain == [(MY_WORK, 302)]
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.ACCEPTED
    assert f"You accepted claim #{assignment.claim_id}" in response.content.decode()
    assert assignment.events.filter(action=WorkflowAction.ACCEPT, actor=reviewer).exists()


def test_decline_with_a_reason_hands_the_claim_back(client, editor, reviewer):
    assignment = offer(editor, reviewer)

    client.force_login(reviewer)
    response = client.post(
        MY_WORK,
        {"assignment": assignment.pk, "action": "decline", "reason": "I wrote about this aid."},
        follow=True,
    )

    declined = Assignment.objects.get(pk=assignment.pk)
    assert (declined.state, declined.reason) == (
        AssignmentState.DECLINED,
        "I wrote about this aid.",
    )
    page = response.content.decode()
    assert f"You declined claim #{assignment.claim_id}" in page
    assert "You have no open assignments" in page


@pytest.mark.parametrize("reason", ["", "   "])
def test_decline_without_a_reason_is_refused_in_plain_words(reason, client, editor, reviewer):
    assignment = offer(editor, reviewer)

    client.force_login(reviewer)
    response = client.post(
        MY_WORK, {"assignment": assignment.pk, "action": "decline", "reason": reason}, follow=True
    )

    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.OFFERED
    assert "Nothing was changed: Say why you decline" in response.content.decode()


def test_the_services_refusal_is_shown_as_a_message(client, editor, reviewer):
    assignment = offer(editor, reviewer)
    # Someone (an editor) withdrew it after the page was loaded.
    services.assignment_withdraw(actor=editor, assignment=assignment, reason="Reassigning.")

    client.force_login(reviewer)
    response = client.post(MY_WORK, {"assignment": assignment.pk, "action": "accept"}, follow=True)

    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.WITHDRAWN
    assert (
        f"Nothing was changed: Cannot accept assignment #{assignment.pk}: it is withdrawn."
        in response.content.decode()
    )


def test_someone_elses_assignment_cannot_be_answered(client, editor, reviewer, second_reviewer):
    theirs = offer(editor, second_reviewer)

    client.force_login(reviewer)
    response = client.post(MY_WORK, {"assignment": theirs.pk, "action": "accept"}, follow=True)

    assert Assignment.objects.get(pk=theirs.pk).state == AssignmentState.OFFERED
    assert "That assignment is not one of yours." in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [{}, {"assignment": "x", "action": "accept"}, {"assignment": "1", "action": "delete"}],
)
def test_malformed_posts_change_nothing_and_say_why(data, client, editor, reviewer):
    assignment = offer(editor, reviewer)

    client.force_login(reviewer)
    response = client.post(MY_WORK, data, follow=True)

    assert response.status_code == 200
    assert "Nothing was changed:" in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.OFFERED


def test_the_buttons_need_the_csrf_token(editor, reviewer):
    assignment = offer(editor, reviewer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)

    response = client.post(MY_WORK, {"assignment": assignment.pk, "action": "accept"})

    assert response.status_code == 403
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.OFFERED


def test_someone_off_the_desk_cannot_open_the_page(client, outsider):
    outsider.is_staff = True
    outsider.save()
    client.force_login(outsider)

    assert client.get(MY_WORK).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(MY_WORK)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_page_is_linked_from_the_assignment_list(client, reviewer):
    client.force_login(reviewer)

    page = client.get(reverse("admin:verification_assignment_changelist")).content.decode()

    assert f'<a href="{MY_WORK}">My work</a>' in page


def test_the_page_costs_the_same_queries_for_two_assignments_and_for_twelve(
    client, editor, reviewer
):
    reviewer.reviewer_profile.capacity = 20
    reviewer.reviewer_profile.save()
    client.force_login(reviewer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(MY_WORK).status_code == 200
        return len(queries)

    for _ in range(2):
        offer(editor, reviewer)
    few = count()
    for _ in range(10):
        offer(editor, reviewer)
    assert count() == few


# --- The quote in its context -------------------------------------------------------------


def appearance_in(text: str, quote: str) -> Appearance:
    claim = factories.ClaimFactory()
    source = factories.SourceFactory(text=text)
    made = factories.appearance_quoting(claim, source, quote)
    return with_context_window(Appearance.objects.filter(pk=made.pk)).get()


def test_a_quote_at_the_start_of_the_text_has_nothing_before_it():
    context = quote_in_context(appearance_in(ARTICLE, "Washington has leverage."))

    assert (context.before, context.quote, context.cut_before) == (
        "",
        "Washington has leverage.",
        False,
    )
    assert context.after.startswith(" The United States gives Israel")
    assert context.after.endswith("officials said.")
    assert context.cut_after


def test_a_quote_inside_a_sentence_is_shown_with_the_whole_sentence():
    context = quote_in_context(appearance_in(ARTICLE, "conditions attached"), sentences=0)

    assert (context.before, context.after) == ("Critics want ", ".")


def test_a_long_text_is_read_in_a_window_that_never_shows_a_cut_sentence():
    filler = "".join(f"Sentence number {n} pads the article out. " for n in range(200))
    text = filler + f"Officials said {QUOTE} was agreed. " + filler
    appearance = appearance_in(text, QUOTE)

    context = quote_in_context(appearance, sentences=2)

    assert len(appearance.context_window) < 2000
    assert context.before == (
        "Sentence number 198 pads the article out. Sentence number 199 pads the article out. "
        "Officials said "
    )
    assert context.after == (
        " was agreed. Sentence number 0 pads the article out."
        " Sentence number 1 pads the article out."
    )
    assert context.cut_before and context.cut_after


def test_a_span_that_no_longer_matches_the_text_shows_the_quote_alone():
    appearance = appearance_in(ARTICLE, QUOTE)
    appearance.context_window = "Something else entirely now."

    context = quote_in_context(appearance)

    assert (context.before, context.quote, context.after) == ("", QUOTE, "")
