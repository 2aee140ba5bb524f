"""Integrity anyone can check: every stored file re-hashed against its recorded SHA-256, and
a claim's verdict with its evidence and archives bundled as one verifiable file."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q

from claims.models import Claim
from config.archive.files import file_hash, file_read, sha256, warc_records
from config.archive.models import Page, Snapshot


@dataclass(frozen=True)
class Mismatch:
    snapshot_id: int
    key: str
    problem: str  # "missing", "hash …", "body …"


def archives_verify(*, snapshots: Iterator[Snapshot] | None = None) -> Iterator[Mismatch]:
    """Re-hash every stored file of every snapshot (or of ``snapshots``) and yield each that no
    longer matches its record (a WARC's response body too)."""
    rows = snapshots if snapshots is not None else Snapshot.objects.order_by("pk").iterator()
    for snapshot in rows:
        for key, recorded in snapshot.files():
            found = file_hash(key)
            if found is None:
                yield Mismatch(snapshot.pk, key, "missing")
            elif found != recorded:
                yield Mismatch(snapshot.pk, key, f"SHA-256 is {found}, recorded {recorded}")
            elif key == snapshot.warc_key:
                records = warc_records(file_read(key))
                bodies = [payload for kind, _uri, payload in records if kind == "response"]
                if not bodies or sha256(bodies[0]) != snapshot.body_sha256:
                    yield Mismatch(snapshot.pk, key, "the WARC's body is not the recorded body")


def _snapshot_entry(snapshot: Snapshot | None) -> dict[str, object] | None:
    if snapshot is None:
        return None
    return {
        "fetched_at": snapshot.fetched_at.isoformat(),
        "final_url": snapshot.final_url,
        "status_code": snapshot.status_code,
        "content_type": snapshot.content_type,
        "body_sha256": snapshot.body_sha256,
        "body_size": snapshot.body_size,
        "files": [
            {"path": f"archives/{key}", "sha256": digest} for key, digest in snapshot.files()
        ],
        "problem": snapshot.problem,
        # RFC 3161: `openssl ts -verify -digest <body_sha256> -in <the .tsr> -CAfile <the TSA's>`
        "timestamped_at": snapshot.timestamped_at and snapshot.timestamped_at.isoformat(),
        "timestamp_authority": snapshot.timestamp_authority,
        "public_copy_url": snapshot.public_copy_url,
    }


def claim_bundle(*, claim: Claim) -> bytes:
    """One ZIP an outsider can verify: ``manifest.json`` (the claim, its verdict, its evidence
    and sources with their archives), the files under ``archives/``, and ``SHA256SUMS``."""
    evidence = list(claim.evidence.order_by("pk").prefetch_related("citations__page__archived"))
    sources = list(claim.appearances.values_list("source", flat=True).distinct().order_by("source"))
    snapshots = Snapshot.objects.filter(
        Q(page__citations__evidence__claim=claim) | Q(page__citations__source__in=sources)
    ).distinct()
    manifest = {
        "claim": {
            "id": claim.pk,
            "statement": claim.statement,
            "state": claim.state,
            "published_at": claim.published_at.isoformat() if claim.published_at else None,
            "rating": claim.published_rating or claim.consensus_rating,
            "confidence": claim.consensus_confidence,
            "summary": claim.published_summary,
        },
        "evidence": [
            {
                "id": item.pk,
                "title": item.title,
                "url": item.url,
                "publisher": item.publisher,
                "stance": item.stance,
                "grade": item.grade,
                "archive": [
                    _snapshot_entry(citation.page.archived) for citation in item.citations.all()
                ],
            }
            for item in evidence
        ],
        "sources": [
            {"url": page.url, "archive": _snapshot_entry(page.archived)}
            for page in Page.objects.filter(citations__source__in=sources)
            .select_related("archived")
            .order_by("pk")
        ],
        "snapshots": [
            {"page": snapshot.page.url, **(_snapshot_entry(snapshot) or {})}
            for snapshot in snapshots.select_related("page").order_by("pk")
        ],
    }
    buffer = io.BytesIO()
    sums: list[str] = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        data = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
        bundle.writestr("manifest.json", data)
        sums.append(f"{sha256(data)}  manifest.json")
        written: set[str] = set()
        for snapshot in snapshots.order_by("pk"):
            for key, recorded in snapshot.files():
                if key in written:
                    continue
                written.add(key)
                bundle.writestr(f"archives/{key}", file_read(key))
                # The hash recorded at archiving time, not the file's now: a file changed
                # since then fails ``sha256sum -c`` in the outsider's hands.
                sums.append(f"{recorded}  archives/{key}")
        bundle.writestr("SHA256SUMS", "\n".join(sums) + "\n")
    return buffer.getvalue()
