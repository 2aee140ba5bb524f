"""Reading each fact check found into a record the importer can save, leniently (``values``,
``ratings``: numbers as strings, reversed scales, ``@id`` references); an item without the
claim's words, a verdict or whose verdict it is is reported with the reason, not guessed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from claims.claimreview.find import CLAIM_REVIEW, GOOGLE_RECORD, FoundItem
from claims.claimreview.ratings import ReadRating, read_rating
from claims.claimreview.values import (
    IdIndex,
    as_list,
    date_of,
    first,
    node_of,
    text_of,
    types_of,
    url_of,
)
from claims.extraction.language import detect_language
from claims.models import Attribution, ExternalReviewOrigin, SourceKind, SpeakerKind
from claims.services.external_reviews import ExternalVerdict
from claims.services.records import ImportedClaim, PlaceRef, SpeakerRef, valid_url


class UnreadableItem(Exception):
    """An item found in the document that cannot become a claim; the message says why."""


@dataclass
class ReadItem:
    """One item, read: ``data`` to save, or ``error`` saying why it cannot be."""

    kind: str
    statement: str = ""
    review_url: str = ""
    data: ImportedClaim | None = None
    error: str = ""
    notes: list[str] = field(default_factory=list)


def _speaker(value: Any, ids: IdIndex) -> SpeakerRef | None:
    node = node_of(value, ids)
    if node is None:
        return None
    name = text_of(node.get("name"))
    if not name:
        return None
    organisation = any("Organization" in t for t in types_of(node))
    role = text_of(node.get("jobTitle")) or text_of(node.get("description"))
    kind = SpeakerKind.ORGANISATION if organisation else SpeakerKind.PERSON
    return SpeakerRef(name=name, role=role, kind=kind)


def _publisher(node: dict[str, Any], ids: IdIndex, url: str) -> tuple[str, str]:
    """Whose verdict it is: the review's author unless a person (the journalist, not whose
    verdict it is), else its publisher, else the site's host."""
    for key in ("author", "publisher", "sdPublisher"):
        found = node_of(node.get(key), ids)
        kinds = found.get("@type") if found is not None else None
        if key == "author" and "Person" in (kinds if isinstance(kinds, list) else [kinds]):
            continue
        if found is not None:
            name = text_of(found.get("name")) or text_of(found.get("site"))
            if name and not (key == "sdPublisher" and "Google" in name):
                return name, url_of(found.get("url"))
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www."), ""


# --- Reading items ---------------------------------------------------------------------------


def _rating_notes(read: ReadRating, publisher: str) -> list[str]:
    if read.known:
        return []
    said = f"{read.text!r}" if read.text else "no words"
    return [
        f"{publisher}'s verdict ({said}) is not on the desk's rating table and has no readable "
        "numeric scale: recorded as unverifiable, with the publisher's words kept."
    ]


def _places(
    item: dict[str, Any], speaker: SpeakerRef | None, ids: IdIndex, base: str
) -> list[PlaceRef]:
    """Where the reviewed claim appeared: ``appearance``/``firstAppearance``, or the reviewed
    ``CreativeWork``'s own URL, or (no URL) the venue ``itemReviewed`` names."""
    claim_date = date_of(item.get("datePublished"))
    places: dict[str, PlaceRef] = {}
    named = as_list(item.get("appearance")) + as_list(item.get("firstAppearance"))
    # An appearance may be given as its bare URL.
    works = [{"url": w} if isinstance(w, str) else node_of(w, ids) for w in named]
    if "Claim" not in types_of(item) and item.get("url"):
        works.append(item)
    for work in works:
        if work is None:
            continue
        url = url_of(work, base)
        if not url or url in places:
            continue
        publisher = node_of(work.get("publisher"), ids) or node_of(work.get("author"), ids) or {}
        places[url] = PlaceRef(
            url=url,
            title=text_of(work.get("headline")) or text_of(work.get("name")),
            publisher=text_of(publisher.get("name")),
            published_on=date_of(work.get("datePublished")) or claim_date,
            speaker=speaker,
        )
    if not places and text_of(item.get("name")):
        # Some publishers name only the venue (a broadcaster, a parliament), no URL.
        return [
            PlaceRef(
                title=text_of(item.get("name")),
                published_on=claim_date,
                kind=SourceKind.OTHER,
                speaker=speaker,
            )
        ]
    return list(places.values())


def read_claimreview(found: FoundItem) -> ReadItem:
    """One ClaimReview object → a record (or the reason it cannot be one)."""
    node, ids = found.node, found.ids
    statement = text_of(node.get("claimReviewed"))
    review_url = url_of(node.get("url"), found.base_url) or url_of(node.get("@id"), found.base_url)
    review_url = review_url or (found.base_url if valid_url(found.base_url) else "")
    result = ReadItem(kind=CLAIM_REVIEW, statement=statement, review_url=review_url)
    if not statement:
        raise UnreadableItem("It has no claimReviewed: the words of the claim are missing.")
    publisher, publisher_url = _publisher(node, ids, review_url)
    if not publisher:
        raise UnreadableItem("It names no author and has no URL: whose verdict it is is unknown.")
    rating_node = node_of(node.get("reviewRating"), ids)
    if rating_node is None:
        raise UnreadableItem("It has no reviewRating: the verdict is missing.")
    read = read_rating(
        text_of(rating_node.get("alternateName")) or text_of(rating_node.get("name")),
        first(rating_node.get("ratingValue")),
        first(rating_node.get("bestRating")),
        first(rating_node.get("worstRating")),
    )
    if not read.text and not read.known:
        raise UnreadableItem("Its reviewRating has neither words nor a readable numeric verdict.")
    result.notes = _rating_notes(read, publisher)
    published_on = date_of(node.get("datePublished"))
    # inLanguage when the page gives it (41 real reviews tried gave none), else detected.
    language = text_of(node.get("inLanguage")) or detect_language(
        f"{statement} {read.text}", default=""
    )
    item = node_of(node.get("itemReviewed"), ids) or {}
    speaker = _speaker(item.get("author"), ids)
    places = _places(item, speaker, ids, found.base_url)
    title = text_of(node.get("name")) or text_of(node.get("headline"))
    if not places and speaker is not None:
        # Nowhere named: the fact check itself reports who made the claim.
        places = [_reporting_page(review_url, title, publisher, published_on, speaker)]
    verdict = ExternalVerdict(
        publisher=publisher,
        publisher_url=publisher_url,
        rating_text=read.text,
        rating=read.rating,
        origin=ExternalReviewOrigin.CLAIMREVIEW,
        url=review_url,
        title=title,
        rating_value=read.value,
        best_rating=read.best,
        worst_rating=read.worst,
        language=language,
        published_on=published_on,
    )
    result.data = ImportedClaim(
        statement=statement,
        recorded_by=publisher,
        reference=review_url,
        places=[_with_language(p, language) for p in places],
        verdicts=[verdict],
    )
    return result


def _with_language(place: PlaceRef, language: str) -> PlaceRef:
    if not language or place.language:
        return place
    return PlaceRef(**{**place.__dict__, "language": language})


def _reporting_page(
    url: str,
    title: str,
    publisher: str,
    published_on: dt.date | None,
    speaker: SpeakerRef,
    language: str = "",
) -> PlaceRef:
    """The fact check's own page as where the claim appeared, the claim reported there."""
    return PlaceRef(
        url=url,
        title=title or f"Fact check by {publisher}",
        publisher=publisher,
        published_on=published_on,
        kind=SourceKind.ARTICLE,
        language=language,
        speaker=speaker,
        attribution=Attribution.REPORTED,
    )


def read_google_record(found: FoundItem) -> ReadItem:
    """A Google Fact Check Tools claim: one claim, one verdict per ``claimReview`` entry."""
    node = found.node
    statement = text_of(node.get("text"))
    result = ReadItem(kind=GOOGLE_RECORD, statement=statement)
    if not statement:
        raise UnreadableItem("It has no text: the words of the claim are missing.")
    verdicts = []
    for review in as_list(node.get("claimReview")):
        if not isinstance(review, dict):
            continue
        url = url_of(review.get("url"))
        publisher_node = (
            review.get("publisher") if isinstance(review.get("publisher"), dict) else {}
        )
        site = text_of(publisher_node.get("site"))
        publisher = text_of(publisher_node.get("name")) or site or (urlsplit(url).hostname or "")
        if not publisher:
            result.notes.append("A claimReview entry names no publisher and has no URL; skipped.")
            continue
        read = read_rating(text_of(review.get("textualRating")))
        result.notes += _rating_notes(read, publisher)
        verdicts.append(
            ExternalVerdict(
                publisher=publisher,
                publisher_url=f"https://{site}/"
                if site and "." in site and " " not in site
                else "",
                rating_text=read.text or "(no rating given)",
                rating=read.rating,
                origin=ExternalReviewOrigin.GOOGLE_FACT_CHECK,
                url=url,
                title=text_of(review.get("title")),
                language=text_of(review.get("languageCode")),
                published_on=date_of(review.get("reviewDate")),
            )
        )
    if not verdicts:
        raise UnreadableItem("Its claimReview list holds no verdict with a publisher.")
    result.review_url = verdicts[0].url
    speaker = _speaker(node.get("claimant"), found.ids)
    top = verdicts[0]
    places = []
    if speaker is not None:
        day = date_of(node.get("claimDate")) or top.published_on
        page = _reporting_page(top.url, top.title, top.publisher, day, speaker, top.language)
        places.append(page)
    result.data = ImportedClaim(
        statement=statement,
        recorded_by=top.publisher,
        reference=top.url,
        places=places,
        verdicts=verdicts,
    )
    return result


def read_items(found: list[FoundItem]) -> Iterator[ReadItem]:
    """Each found item read, or its reason for being unreadable; never raises for bad markup."""
    for item in found:
        reader = read_claimreview if item.kind == CLAIM_REVIEW else read_google_record
        try:
            yield reader(item)
        except UnreadableItem as error:
            statement = text_of(item.node.get("claimReviewed") or item.node.get("text"))
            yield ReadItem(kind=item.kind, statement=statement, error=str(error))
        except (TypeError, ValueError, AttributeError, KeyError) as error:
            # Markup shaped unlike anything above (a number where an object belongs, …).
            yield ReadItem(
                kind=item.kind,
                error=f"The item is malformed and could not be read ({type(error).__name__}: "
                f"{error}).",
            )
