"""The signature a receiver checks: HMAC-SHA256 of "<t>.<body>" under the endpoint's secret,
with the time signed too."""

from __future__ import annotations

import hashlib
import hmac

from config.webhooks.services.signing import payload_body, signature_header, signature_verify

BODY = payload_body({"event": "published", "id": "k", "claim": {"id": 7}})


def test_the_header_is_the_time_and_the_hmac_of_time_dot_body():
    header = signature_header(secret="s3cret", body=BODY, timestamp=1_700_000_000)
    expected = hmac.new(b"s3cret", b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_a_receiver_accepts_the_signature_of_the_body_it_got():
    header = signature_header(secret="s3cret", body=BODY)
    assert signature_verify(secret="s3cret", body=BODY, header=header)


def test_a_changed_body_a_wrong_secret_or_a_garbled_header_is_refused():
    header = signature_header(secret="s3cret", body=BODY)
    assert not signature_verify(secret="s3cret", body=BODY + b" ", header=header)
    assert not signature_verify(secret="other", body=BODY, header=header)
    assert not signature_verify(secret="s3cret", body=BODY, header="v1=abc")
    assert not signature_verify(secret="s3cret", body=BODY, header="")


def test_an_old_signature_is_refused_as_a_replay():
    header = signature_header(secret="s3cret", body=BODY, timestamp=1_700_000_000)
    assert signature_verify(secret="s3cret", body=BODY, header=header, now=1_700_000_100)
    assert not signature_verify(secret="s3cret", body=BODY, header=header, now=1_700_001_000)


def test_the_body_is_compact_json_with_sorted_keys():
    assert payload_body({"b": 1, "a": [1, 2]}) == b'{"a":[1,2],"b":1}'
