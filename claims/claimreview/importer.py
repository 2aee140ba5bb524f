"""``claimreview_import``: ClaimReview found in the wild → claims, appearances and verdicts."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from claims.claimreview.find import find_items, find_items_in_html
from claims.claimreview.parse import read_items
from claims.models import ImportStatus
from claims.roles import require_editor
from claims.services.record_import import record_import_try
from claims.services.records import excerpt
from config.fetch import FetchError, fetch
from config.untrusted import JSONTooDeep, load_json

# What a fact check fetched by URL may be: JSON-LD, JSON (a feed, an API answer) or a page.
CLAIMREVIEW_TYPES = (
    "application/ld+json",
    "application/json",
    "text/html",
    "application/xhtml+xml",
)


@dataclass
class ItemResult:
    """What happened to one review found in the document."""

    index: int
    kind: str
    status: str
    statement: str = ""
    review_url: str = ""
    claim: int | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    items: list[ItemResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # about the document as a whole

    @property
    def readable(self) -> bool:
        """Whether any review was found at all (the API answers 400 when none was)."""
        return bool(self.items)

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(item.status for item in self.items)
        return {status: found.get(status, 0) for status in ImportStatus.values}

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "items": [asdict(item) for item in self.items],
            "problems": self.problems,
        }


def claimreview_import(
    *,
    actor: AbstractBaseUser,
    payload: Any = None,
    html: str | None = None,
    source_url: str | None = None,
    url: str | None = None,
) -> ImportReport:
    """Import the fact checks a document carries (editors); a report line for each one found.

    ``payload`` is parsed JSON or its text; ``html`` a page with JSON-LD or microdata, found at
    ``source_url`` (the base of relative URLs, and the review's URL when the markup gives
    none); ``url`` is fetched (``config.fetch``) and read as either. Each item found is read
    (``claims.claimreview.parse``) and saved in its own savepoint (``record_import_try``, bulk
    import's path too): created "new", matched, or rejected with the reason.
    """
    require_editor(actor, "import fact checks")
    report = ImportReport()
    if url is not None:
        try:
            page = fetch(url, accept=CLAIMREVIEW_TYPES)
        except FetchError as error:
            report.problems.append(str(error))
            return report
        payload, source_url = page.body.decode(page.charset or "utf-8", "replace"), page.url
    base_url = source_url or ""
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8", errors="replace")
    if isinstance(payload, str) and payload.lstrip()[:1] == "<":
        html, payload = payload, None
    if isinstance(payload, str):
        try:
            payload = load_json(payload)  # nesting past config.untrusted's limit is refused
        except JSONTooDeep as error:
            report.problems.append(f"The document's JSON is {error}.")
            return report
        except json.JSONDecodeError as error:
            if "<" in payload[:2000]:
                html, payload = payload, None
            else:
                report.problems.append(f"The document is neither JSON nor an HTML page ({error}).")
                return report
    found = []
    if payload is not None:
        found += find_items(payload, base_url=base_url, problems=report.problems)
    if html:
        found += find_items_in_html(html, base_url=base_url, problems=report.problems)
    if not found:
        report.problems.append(
            "No ClaimReview, Google Fact Check record or page carrying ClaimReview markup was "
            "found in the document."
        )
    for index, read in enumerate(read_items(found), start=1):
        result = ItemResult(
            index=index,
            kind=read.kind,
            status=ImportStatus.REJECTED,
            statement=excerpt(read.statement, 200),
            review_url=read.review_url,
            reason=read.error,
            notes=list(read.notes),
        )
        if read.data is not None:
            outcome = record_import_try(actor=actor, data=read.data)
            result.status = outcome.status
            result.claim = outcome.claim_id
            result.reason = outcome.reason
            result.notes += outcome.notes
        report.items.append(result)
    return report
