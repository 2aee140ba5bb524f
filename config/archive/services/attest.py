"""Proof of an archived copy from outside the desk, both off unless configured (either tells an
outside service which pages the desk cites):

- an RFC 3161 time-stamp of the body's SHA-256 from ``ARCHIVE_TSA_URL``, its token stored
  beside the WARC (``openssl ts -verify``; the desk checks that the token answers its request,
  not the authority's signature);
- a public web archive's copy (``ARCHIVE_PUBLIC_COPY_URL`` + the page's URL), its address kept.

A failure is recorded on the snapshot (``attest_problem``) and never touches the archived copy.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import secrets
from urllib.parse import urljoin

from django.conf import settings

from config.archive.files import file_store
from config.archive.models import Snapshot
from config.fetch import Fetched, FetchError, fetch

QUERY_TYPE = "application/timestamp-query"
REPLY_TYPE = "application/timestamp-reply"
REPLY_MAX_BYTES = 64 * 1024  # a token with the authority's certificate chain is a few KiB
GRANTED = {"granted", "granted_with_mods"}
# The address of a Wayback Machine copy: /web/<14-digit timestamp>/<the page's URL>.
_WAYBACK_COPY = re.compile(r"/web/\d{14}[a-z_]*/")


class AttestError(Exception):
    """An answer that is not what was asked for; the message says how."""


def attest_wanted() -> bool:
    """Whether anything is configured (the attestation is published only then)."""
    return bool(settings.ARCHIVE_TSA_URL or settings.ARCHIVE_PUBLIC_COPY)


def timestamp_query(digest: str, *, nonce: int) -> bytes:
    """The DER of an RFC 3161 ``TimeStampReq`` for a SHA-256 ``digest`` (hex), certificate asked."""
    from asn1crypto import tsp  # off by default: a desk without a TSA never loads it

    return tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": bytes.fromhex(digest),
            },
            "nonce": nonce,
            "cert_req": True,
        }
    ).dump()


def timestamp_reply(data: bytes, *, digest: str, nonce: int) -> tuple[dt.datetime, bytes]:
    """The time a ``TimeStampResp`` vouches for and its token's DER, once known to answer the
    request: granted, for this digest, with this nonce."""
    try:
        reply = _reply_type().load(data, strict=True)
        status = reply["status"]["status"].native
        if status not in GRANTED:
            said = reply["status"]["status_string"].native or []
            raise AttestError(f"the authority answered {status!r} {' '.join(said)}".rstrip())
        token = reply["time_stamp_token"]
        if token["content_type"].native != "signed_data":
            raise AttestError("the token is not CMS signed data")
        info = token["content"]["encap_content_info"]["content"].parsed
        imprint = info["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        hashed = imprint["hashed_message"].native
        gen_time, got_nonce = info["gen_time"].native, info["nonce"].native
    except (ValueError, TypeError, KeyError) as error:
        raise AttestError(f"not a time-stamp reply ({error})") from error
    if algorithm != "sha256" or hashed != bytes.fromhex(digest):
        raise AttestError("the token is for another hash")
    if got_nonce != nonce:
        raise AttestError("the token answers another request (its nonce differs)")
    return gen_time, token.dump()


@functools.cache
def _reply_type() -> type:
    """``TimeStampResp`` as RFC 3161 defines it: asn1crypto 1.5's lacks the OPTIONAL on the
    token, so it cannot read a refusal (which carries none)."""
    from asn1crypto import cms, tsp

    class TimeStampResp(tsp.TimeStampResp):
        _fields = [
            ("status", tsp.PKIStatusInfo),
            ("time_stamp_token", cms.ContentInfo, {"optional": True}),
        ]

    return TimeStampResp


def public_copy_address(answer: Fetched, *, requested: str) -> str:
    """Where the public archive says its copy is: ``Content-Location``, else where it redirected."""
    headers = {name.lower(): value for name, value in answer.headers}
    for candidate in (headers.get("content-location", ""), answer.url):
        if candidate and _WAYBACK_COPY.search(candidate):
            return urljoin(requested, candidate)
    raise AttestError(f"the archive named no copy (it answered HTTP {answer.status})")


def snapshot_attest(*, snapshot_id: int) -> list[str]:
    """Get what is configured and the snapshot does not hold yet; what was got.

    1. With ``ARCHIVE_TSA_URL`` and no token: POST a ``TimeStampReq`` with a fresh nonce,
       check the reply, store the token (``….tsr``) and record it, its time and the authority.
    2. With ``ARCHIVE_PUBLIC_COPY`` and no public copy: fetch the archive's "save" address and
       record the copy's address.
    Each is written by a conditional UPDATE (only while still missing), so a rerun or two
    workers record one of each; a failure is recorded in ``attest_problem``.
    """
    snapshot = Snapshot.objects.select_related("page").get(pk=snapshot_id)
    got, problems = [], []
    tsa, copy = settings.ARCHIVE_TSA_URL, settings.ARCHIVE_PUBLIC_COPY
    wanted = [
        ("timestamp", "time-stamp", tsa, "timestamp_key", _timestamp),
        ("public copy", "public copy", copy, "public_copy_url", _public_copy),
    ]
    for name, missing, configured, field, get in wanted:
        if not configured or getattr(snapshot, field):
            continue
        try:
            fields = get(snapshot)
        except (FetchError, AttestError) as error:
            problems.append(f"No {missing}: {error}")
        else:
            if Snapshot.objects.filter(pk=snapshot.pk, **{field: ""}).update(**fields):
                got.append(name)
    Snapshot.objects.filter(pk=snapshot.pk).update(attest_problem=" ".join(problems))
    return got


def _timestamp(snapshot: Snapshot) -> dict[str, object]:
    nonce = secrets.randbits(63)
    query = timestamp_query(snapshot.body_sha256, nonce=nonce)
    answer = fetch(
        settings.ARCHIVE_TSA_URL,
        accept=[REPLY_TYPE],
        max_bytes=REPLY_MAX_BYTES,
        timeout=settings.ARCHIVE_ATTEST_TIMEOUT,
        method="POST",
        body=query,
        headers={"Content-Type": QUERY_TYPE},
    )
    gen_time, token = timestamp_reply(answer.body, digest=snapshot.body_sha256, nonce=nonce)
    key, digest = file_store(page_id=snapshot.page_id, name=".tsr", data=token)
    return {
        "timestamp_key": key,
        "timestamp_sha256": digest,
        "timestamped_at": gen_time,
        "timestamp_authority": settings.ARCHIVE_TSA_URL,
    }


def _public_copy(snapshot: Snapshot) -> dict[str, object]:
    requested = settings.ARCHIVE_PUBLIC_COPY_URL + snapshot.page.url
    answer = fetch(
        requested,
        accept=["text/html", "text/*", ""],
        max_bytes=settings.ARCHIVE_MAX_BYTES,
        timeout=settings.ARCHIVE_ATTEST_TIMEOUT,
    )
    return {"public_copy_url": public_copy_address(answer, requested=requested)}
