"""Text from outside stays text on every page: a claim imported with markup, an attribute
break-out, a ``javascript:`` address and a ``</script>`` in its statement, speaker and URLs is
shown escaped on each page of the dashboard and the public fact check, is intact data in the
JSON-LD ``<script>`` block and the ClaimReview API, and no address but an http(s) one becomes a
link."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim, ClaimState, Source
from tests import factories
from tests.conftest import submit_review
from tests.security.conftest import import_rows
from verification import services
from verification.models import Assignment, Evidence

pytestmark = pytest.mark.django_db

SCRIPT = "<script>window.__xss=1</script>"
ATTRIBUTE = '"><img src=x onerror="window.__xss=2">'
JAVASCRIPT = "javascript:window.__xss=3"
CLOSE = "</script><script>window.__xss=4</script>"
HOSTILE = f"Aid {SCRIPT} doubled {ATTRIBUTE} {JAVASCRIPT} {CLOSE}"
# A URL that the importers accept (http, no spaces) and that carries a way out of an attribute.
HOSTILE_URL = 'https://evil.example/"><img/src=x/onerror=window.__xss=5></script>'
# One that they refuse, and that no link may carry if a row holds it anyway.
SCRIPT_URL = "javascript:window.__xss=6"

# Attributes a browser follows or runs.
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "cite", "data", "poster", "xlink:href")
DATA_SCRIPTS = ("application/ld+json", "application/json")


def hostile_row(n: int) -> dict[str, str]:
    return {
        "statement": f"{HOSTILE} ({n})",
        "topics": f"{SCRIPT}; Economy",
        "speaker": f"Ann {SCRIPT}{ATTRIBUTE}",
        "speaker_role": CLOSE,
        "source_url": f"{HOSTILE_URL}{n}",
        "source_title": f"{ATTRIBUTE} {CLOSE}",
        "source_publisher": SCRIPT,
        "rating": "false",
        "rating_publisher": f"Checkers {SCRIPT}",
        "rating_url": f"{HOSTILE_URL}-rating{n}",
    }


@dataclass
class Hostile:
    in_research: Claim  # with the reviewer's open assignment
    in_review: Claim
    published: Claim
    assignment: Assignment  # the open one


def walk(claim: Claim, editor, reviewer) -> tuple[Claim, Assignment]:
    claim = services.claim_triage(actor=editor, claim=claim)
    offer = services.assignment_create(actor=editor, claim=claim, reviewer=reviewer)
    return claim, offer


@pytest.fixture
def hostile(editor, other_editor, reviewer) -> Hostile:
    """Three claims imported through the bulk importer (JSON Lines, the default mapping), then
    one left in research, one reviewed and one published, every free text hostile."""
    body = "".join(json.dumps(hostile_row(n)) + "\n" for n in range(3)).encode()
    rows = import_rows(editor, body, "jsonl")
    assert [line.status for line in rows] == ["created"] * 3
    first, second, third = Claim.objects.order_by("pk")
    assert first.statement == f"{HOSTILE} (0)"  # stored as given: escaping is the pages' job
    in_research, assignment = walk(first, editor, reviewer)

    claims = []
    for claim in (second, third):
        claim, offer = walk(claim, editor, reviewer)
        item = services.evidence_add(
            actor=reviewer,
            claim=claim,
            title=f"Table {ATTRIBUTE}",
            url=HOSTILE_URL,
            publisher=SCRIPT,
            excerpt=CLOSE,
            stance="supports",
            source_reliability="A",
            credibility=1,
        )
        submit_review(reviewer, offer, "false", "high", HOSTILE, [item])
        claims.append(Claim.objects.get(pk=claim.pk))
    in_review, published = claims
    published = services.claim_publish(actor=other_editor, claim=published, summary=HOSTILE)

    # What no importer lets in, but an older row might hold: a script address on a source and
    # on an evidence item. The pages must not make links of them either.
    for claim in (in_review, published):
        factories.AppearanceFactory(
            claim=claim,
            source=factories.SourceFactory(url=f"{SCRIPT_URL};{claim.pk}", title="Scripted"),
        )
    factories.EvidenceFactory(claim=in_review, url=SCRIPT_URL, title="Scripted evidence")
    assert in_review.state == ClaimState.IN_REVIEW and published.state == ClaimState.PUBLISHED
    return Hostile(in_research, in_review, published, assignment)


def inert(html: str, where: str) -> lxml.html.HtmlElement:
    """The page parsed, after checking that nothing in it runs: every script is a file of the
    desk's or a JSON data block that parses; no element has an event-handler attribute; no
    address a browser follows is a ``javascript:`` one; no image the payload made."""
    tree = lxml.html.document_fromstring(html)
    for script in tree.iter("script"):
        kind = (script.get("type") or "").lower()
        if script.get("src") is not None:
            assert script.get("src").startswith("/"), (where, script.get("src"))
            assert not (script.text or "").strip(), where
        else:
            assert kind in DATA_SCRIPTS, (where, lxml.html.tostring(script)[:200])
            json.loads(script.text or "")  # a data block the payload did not break out of
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        handlers = [name for name in element.attrib if name.lower().startswith("on")]
        assert not handlers, (where, element.tag, handlers)
        for name in URL_ATTRIBUTES:
            value = re.sub(r"[\x00-\x20]", "", element.get(name, "")).lower()
            assert not value.startswith(("javascript:", "vbscript:", "data:text")), (where, name)
    assert not tree.xpath('//img[@src="x"]'), where
    return tree


def shows_as_text(tree: lxml.html.HtmlElement, text: str) -> bool:
    return text in tree.text_content()


def staff_pages(h: Hostile) -> Iterator[tuple[str, str]]:
    """(who, URL) for every dashboard page that shows the hostile claims or their parts."""
    change = "admin:claims_claim_change"
    for claim in (h.in_research, h.in_review, h.published):
        yield "editor", reverse(change, args=[claim.pk])
        yield "editor", reverse("admin:claims_claim_history", args=[claim.pk])
    yield "editor", reverse("admin:index")
    yield "editor", reverse("admin:claims_claim_changelist")
    yield "editor", reverse("admin:claims_claim_changelist") + "?q=Aid"
    yield "editor", reverse("admin:claims_claim_signoff", args=[h.in_review.pk])
    yield "editor", reverse("admin:claims_claim_assign", args=[h.in_review.pk])
    for model in ("source", "speaker", "appearance", "topic"):
        yield "editor", reverse(f"admin:claims_{model}_changelist")
    source = Source.objects.get(appearances__claim=h.in_review, url__startswith="https:")
    yield "editor", reverse("admin:claims_source_change", args=[source.pk])
    speaker = h.in_review.appearances.exclude(speaker=None).first().speaker
    yield "editor", reverse("admin:claims_speaker_change", args=[speaker.pk])
    appearance = h.in_review.appearances.order_by("pk").first()
    yield "editor", reverse("admin:claims_appearance_change", args=[appearance.pk])
    for model in ("evidence", "review", "assignment", "workflowevent"):
        yield "editor", reverse(f"admin:verification_{model}_changelist")
    yield "editor", reverse("admin:claims_externalreview_changelist")
    for item in Evidence.objects.filter(claim=h.in_review):
        yield "editor", reverse("admin:verification_evidence_change", args=[item.pk])
    review = h.in_review.reviews.get()
    yield "editor", reverse("admin:verification_review_change", args=[review.pk])
    yield "reviewer", reverse("admin:verification_assignment_mine")
    yield "reviewer", reverse("admin:verification_assignment_review", args=[h.assignment.pk])
    yield "reviewer", reverse("admin:verification_assignment_change", args=[h.assignment.pk])
    yield "reviewer", reverse(change, args=[h.in_research.pk])


def test_every_dashboard_page_shows_the_hostile_text_inert(
    client, hostile: Hostile, editor, reviewer
) -> None:
    people = {"editor": editor, "reviewer": reviewer}
    pages = list(staff_pages(hostile))
    assert len(pages) >= 30
    for who, url in pages:
        client.force_login(people[who])
        response = client.get(url)
        assert response.status_code == 200, (who, url, response.status_code)
        inert(response.content.decode(), f"{who} {url}")


def test_the_claim_pages_show_the_markup_as_words(client, hostile: Hostile, editor) -> None:
    client.force_login(editor)
    for claim in (hostile.in_review, hostile.published):
        tree = inert(client.get(reverse("admin:claims_claim_change", args=[claim.pk])).text, "")
        assert shows_as_text(tree, claim.statement)
    signoff = inert(
        client.get(reverse("admin:claims_claim_signoff", args=[hostile.in_review.pk])).text, ""
    )
    assert shows_as_text(signoff, HOSTILE)  # the review's rationale
    assert shows_as_text(signoff, f"Table {ATTRIBUTE}")


def links(tree: lxml.html.HtmlElement) -> list[str]:
    return [a.get("href") for a in tree.iter("a") if a.get("href")]


def test_only_http_addresses_become_links(client, hostile: Hostile, editor, reviewer) -> None:
    client.force_login(editor)
    signoff = inert(
        client.get(reverse("admin:claims_claim_signoff", args=[hostile.in_review.pk])).text, ""
    )
    hrefs = links(signoff)
    assert f"{HOSTILE_URL}1" in hrefs  # the source's http address: a link
    assert HOSTILE_URL in hrefs  # the evidence's
    assert not [h for h in hrefs if "xss=6" in h]  # the script addresses: none
    assert shows_as_text(signoff, "Scripted") and shows_as_text(signoff, "Scripted evidence")

    client.force_login(reviewer)
    review = inert(
        client.get(
            reverse("admin:verification_assignment_review", args=[hostile.assignment.pk])
        ).text,
        "",
    )
    assert f"{HOSTILE_URL}0" in links(review)


def test_the_public_fact_check_page_and_its_json_ld_block_are_inert(hostile: Hostile) -> None:
    response = Client().get(reverse("factcheck-detail", args=[hostile.published.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    tree = inert(page, "fact check")
    assert shows_as_text(tree, hostile.published.statement)
    [block] = tree.xpath('//script[@type="application/ld+json"]')
    # The block ends at the first "</script" a browser sees: the payload's own must not be one.
    raw = page.split('<script type="application/ld+json">', 1)[1].split("</script", 1)[0]
    assert "<" not in raw and ">" not in raw
    document = json.loads(raw)
    assert document == json.loads(block.text)
    assert document["claimReviewed"] == hostile.published.statement  # intact, only escaped
    assert document["reviewBody"] == HOSTILE
    author = document["itemReviewed"]["author"]
    assert author["name"] == f"Ann {SCRIPT}{ATTRIBUTE}"
    hrefs = links(tree)
    assert f"{HOSTILE_URL}2" in hrefs and not [h for h in hrefs if "xss=6" in h]


def test_the_importer_stores_no_script_address(editor) -> None:
    rows = [
        {**hostile_row(0), "source_url": SCRIPT_URL},
        {**hostile_row(1), "rating_url": SCRIPT_URL},
    ]
    body = "".join(json.dumps(row) + "\n" for row in rows).encode()
    rows = import_rows(editor, body, "jsonl")
    # The place is kept without its address; a verdict at one is refused with its reason.
    assert [(line.status, line.reason) for line in rows] == [
        ("created", ""),
        ("rejected", "url: Enter a valid URL."),
    ]
    assert list(Source.objects.values_list("url", flat=True)) == [None]


def test_the_claimreview_api_serves_the_text_as_json_data(hostile: Hostile) -> None:
    response = Client().get(f"/api/v1/claimreview/{hostile.published.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert response["X-Content-Type-Options"] == "nosniff"  # never sniffed as a page
    assert response.json()["claimReviewed"] == hostile.published.statement
