"""The optional proof from outside the desk, against stand-ins on 127.0.0.1 (never the real
services): an RFC 3161 time-stamp of the body's hash, and a public web archive's copy. Both
are off by default."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from config.archive.files import file_read
from config.archive.services.attest import AttestError, public_copy_address, timestamp_reply
from config.archive.services.integrity import archives_verify
from config.fetch import Fetched, FetchError, fetch
from tests.archive.conftest import ARTICLE
from tests.security.network import page, redirect

pytestmark = pytest.mark.django_db
tsp = pytest.importorskip("asn1crypto.tsp")
cms = pytest.importorskip("asn1crypto.cms")

WHEN = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)


def reply_to(query: bytes, *, nonce: int | None = None, digest: bytes | None = None) -> bytes:
    """What a time-stamping authority answers (unsigned: the desk checks that the token
    answers its request; the signature is for the outsider who verifies it)."""
    request = tsp.TimeStampReq.load(query)
    imprint = request["message_imprint"]
    info = tsp.TSTInfo(
        {
            "version": "v1",
            "policy": "1.3.6.1.4.1.0.1",
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": digest or imprint["hashed_message"].native,
            },
            "serial_number": 7,
            "gen_time": WHEN,
            "nonce": request["nonce"].native if nonce is None else nonce,
        }
    )
    signed = cms.SignedData(
        {
            "version": "v3",
            "digest_algorithms": [{"algorithm": "sha256"}],
            "encap_content_info": {"content_type": "tst_info", "content": info},
            "certificates": [],
            "signer_infos": [],
        }
    )
    token = {"content_type": "signed_data", "content": signed}
    return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token}).dump()


def refusal(why: str) -> bytes:
    """A TimeStampResp with a status and no token (asn1crypto's class cannot build one)."""
    status = tsp.PKIStatusInfo({"status": "rejection", "status_string": [why]}).dump()
    return b"\x30" + bytes([len(status)]) + status


def authority(answer=reply_to):
    """A route standing in for the TSA: reads the POSTed query, answers ``answer(query)``."""
    seen: list[tuple[str, bytes]] = []

    def route(handler) -> None:
        body = handler.rfile.read(int(handler.headers["Content-Length"]))
        seen.append((handler.headers["Content-Type"], body))
        page(answer(body), "application/timestamp-reply")(handler)

    route.seen = seen
    return route


def test_nothing_leaves_for_an_authority_or_an_archive_by_default(cite, local_site):
    local_site.routes["/budget"] = page(ARTICLE)
    snapshot = cite(local_site.url("/budget")).archived
    assert local_site.paths == ["/budget"]
    assert not snapshot.timestamp_key and not snapshot.public_copy_url
    assert snapshot.attest_problem == ""


def test_the_body_hash_is_time_stamped_and_the_token_kept(cite, local_site, settings, internet):
    local_site.routes["/budget"] = page(ARTICLE)
    local_site.routes["/tsr"] = tsa = authority()
    settings.ARCHIVE_TSA_URL = local_site.url("/tsr")

    snapshot = cite(local_site.url("/budget")).archived

    [(content_type, query)] = tsa.seen
    assert content_type == "application/timestamp-query"
    request = tsp.TimeStampReq.load(query)
    assert request["message_imprint"]["hashed_message"].native == bytes.fromhex(
        snapshot.body_sha256
    )
    assert request["cert_req"].native is True
    assert snapshot.timestamped_at == WHEN
    assert snapshot.timestamp_authority == local_site.url("/tsr")
    token = file_read(snapshot.timestamp_key)
    assert hashlib.sha256(token).hexdigest() == snapshot.timestamp_sha256
    assert snapshot.timestamp_key.endswith(".tsr")
    assert not list(archives_verify())  # the token is among the files re-hashed
    assert {host for host, _port in internet.attempts} == {"127.0.0.1"}


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (lambda q: reply_to(q, nonce=1), "answers another request"),
        (lambda q: reply_to(q, digest=b"\0" * 32), "for another hash"),
        (lambda q: refusal("bad message digest"), "'rejection' bad message digest"),
        (lambda q: b"<html>not a reply</html>", "not a time-stamp reply"),
    ],
)
def test_a_reply_that_does_not_answer_the_request_is_refused_and_recorded(
    cite, local_site, settings, answer, why
):
    local_site.routes["/budget"] = page(ARTICLE)
    local_site.routes["/tsr"] = authority(answer)
    settings.ARCHIVE_TSA_URL = local_site.url("/tsr")

    archived = cite(local_site.url("/budget"))

    snapshot = archived.archived
    assert archived.status == "archived"  # the copy itself is untouched
    assert not snapshot.timestamp_key and snapshot.timestamped_at is None
    assert snapshot.attest_problem.startswith("No time-stamp: ")
    assert why in snapshot.attest_problem


def test_a_public_archive_is_asked_for_its_copy_and_its_address_kept(
    cite, local_site, settings, internet
):
    cited = local_site.url("/budget")
    copy = f"/web/20261207093000/{cited}"
    local_site.routes["/budget"] = page(ARTICLE)
    local_site.routes[f"/save/{cited}"] = redirect(copy)
    local_site.routes[copy] = page(ARTICLE)
    settings.ARCHIVE_PUBLIC_COPY = True
    settings.ARCHIVE_PUBLIC_COPY_URL = local_site.url("/save/")

    snapshot = cite(cited).archived

    assert snapshot.public_copy_url == local_site.url(copy)
    assert local_site.paths == ["/budget", f"/save/{cited}", copy]
    assert {host for host, _port in internet.attempts} == {"127.0.0.1"}


def test_an_archive_that_names_no_copy_is_recorded(cite, local_site, settings):
    cited = local_site.url("/budget")
    local_site.routes["/budget"] = page(ARTICLE)
    local_site.routes[f"/save/{cited}"] = page("<p>Try again later.</p>")
    settings.ARCHIVE_PUBLIC_COPY = True
    settings.ARCHIVE_PUBLIC_COPY_URL = local_site.url("/save/")

    snapshot = cite(cited).archived

    assert snapshot.public_copy_url == ""
    assert (
        snapshot.attest_problem
        == "No public copy: the archive named no copy (it answered HTTP 200)"
    )


def test_the_copys_address_may_come_in_content_location():
    answer = Fetched(
        url="https://archive.example/save/https://news.example/a",
        content_type="text/html",
        charset=None,
        body=b"",
        headers=(("Content-Location", "/web/20261207093000/https://news.example/a"),),
    )
    requested = "https://archive.example/save/https://news.example/a"
    assert public_copy_address(answer, requested=requested) == (
        "https://archive.example/web/20261207093000/https://news.example/a"
    )


def test_a_reply_is_read_without_the_network():
    from config.archive.services.attest import timestamp_query

    digest = hashlib.sha256(b"body").hexdigest()
    query = timestamp_query(digest, nonce=42)
    gen_time, token = timestamp_reply(reply_to(query), digest=digest, nonce=42)
    assert gen_time == WHEN
    assert cms.ContentInfo.load(token)["content_type"].native == "signed_data"
    with pytest.raises(AttestError):
        timestamp_reply(reply_to(query), digest=digest, nonce=43)


def test_a_post_is_not_redirected(local_site):
    local_site.routes["/tsr"] = redirect("/elsewhere")
    with pytest.raises(FetchError, match="answered HTTP 302"):
        fetch(
            local_site.url("/tsr"),
            accept=["*/*"],
            method="POST",
            body=b"x",
            headers={"Content-Type": "application/octet-stream"},
        )
    assert local_site.paths == ["/tsr"]
