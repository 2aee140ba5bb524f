"""The archive's files, through Django's storage API (``STORAGES["archive"]``): keys named after
the content's SHA-256 (a rerun stores a file once), the WARC of one exchange, hashes."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from config.fetch import Fetched

# The body is stored as it was decoded (config.fetch reads it decompressed), so the encodings
# it arrived in no longer describe it and are left out of the WARC's HTTP headers.
_NOT_KEPT = {"content-encoding", "transfer-encoding", "content-length"}


def archive_storage() -> Storage:
    return storages["archive"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_store(*, page_id: int, name: str, data: bytes) -> tuple[str, str]:
    """Store ``data`` once under a key of its hash; (key, SHA-256)."""
    digest = sha256(data)
    key = f"pages/{page_id}/{digest}{name}"
    storage = archive_storage()
    if not storage.exists(key):
        saved = storage.save(key, ContentFile(data))
        if saved != key:  # another writer got there first with the same bytes
            storage.delete(saved)
    return key, digest


def file_hash(key: str) -> str | None:
    """The SHA-256 of a stored file as it is now; None if it is missing."""
    storage = archive_storage()
    if not storage.exists(key):
        return None
    digest = hashlib.sha256()
    with storage.open(key, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_read(key: str) -> bytes:
    with archive_storage().open(key, "rb") as handle:
        return handle.read()


def warc_of(*, requested: str, page: Fetched) -> bytes:
    """A gzipped WARC of the exchange: the request as sent and the response as received
    (status line, headers, body), at the final URL after redirects."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    path = page.url.split("://", 1)[-1].partition("/")[2]
    kept = [(name, value) for name, value in page.headers if name.lower() not in _NOT_KEPT]
    kept.append(("Content-Length", str(len(page.body))))
    sent = StatusAndHeaders(f"GET /{path} HTTP/1.1", list(page.sent), is_http_request=True)
    answer = StatusAndHeaders(f"{page.status}", kept, protocol="HTTP/1.1")
    for kind, payload, headers in [("response", page.body, answer), ("request", b"", sent)]:
        writer.write_record(
            writer.create_warc_record(
                page.url, kind, payload=io.BytesIO(payload), http_headers=headers
            )
        )
    if requested != page.url:  # where the desk was sent, and where it was redirected to
        fields = f"redirected-to: {page.url}\r\n".encode()
        metadata = writer.create_warc_record(
            requested,
            "metadata",
            payload=io.BytesIO(fields),
            warc_content_type="application/warc-fields",
        )
        writer.write_record(metadata)
    return buffer.getvalue()


def warc_records(data: bytes) -> Iterator[tuple[str, str, bytes]]:
    """(record type, target URI, payload) of each record of a WARC."""
    for record in ArchiveIterator(io.BytesIO(data)):
        yield (
            record.rec_type,
            record.rec_headers.get_header("WARC-Target-URI") or "",
            record.content_stream().read(),
        )
