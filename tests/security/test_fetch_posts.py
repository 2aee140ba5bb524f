"""config.fetch sends a POST (a webhook) under the same rules as a GET: the address checked
and pinned, one deadline; never redirected; the status and whether to try again on failure."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from config.fetch import FetchError, fetch
from tests.security.network import PUBLIC, Internet, Resolver
from tests.webhooks.receiver import Hang, Receiver, running_receiver


@pytest.fixture
def hooks(internet: Internet) -> Iterator[Receiver]:
    with running_receiver() as receiver:
        internet.routes[("127.0.0.1", receiver.port)] = receiver.port
        yield receiver


def _post(url: str, **kwargs: object):
    return fetch(
        url,
        method="POST",
        body=b'{"a":1}',
        headers={"Content-Type": "application/json", "X-Test": "yes"},
        accept=("*/*", ""),
        **kwargs,
    )


def test_a_post_sends_its_body_and_headers(hooks, settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    answer = _post(hooks.url())
    assert answer.status == 200 and answer.body == b"ok"
    (got,) = hooks.received
    assert got.method == "POST" and got.body == b'{"a":1}'
    assert got.headers["X-Test"] == "yes" and got.headers["Content-Type"] == "application/json"


def test_a_post_to_a_name_goes_to_its_checked_address(hooks, internet, resolver: Resolver):
    resolver.answers["hooks.example"] = [[PUBLIC]]
    internet.routes[(PUBLIC, hooks.port)] = hooks.port
    _post(f"http://hooks.example:{hooks.port}/hooks")
    assert internet.attempts == [(PUBLIC, hooks.port)]
    assert hooks.received[0].headers["Host"] == f"hooks.example:{hooks.port}"


def test_a_post_to_a_private_address_is_refused_before_connecting(hooks, internet):
    with pytest.raises(FetchError, match="loopback") as refused:
        _post(hooks.url())
    assert internet.attempts == [] and hooks.received == []
    assert refused.value.status is None and not refused.value.transient


def test_a_post_is_never_redirected(hooks, settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    hooks.answer(307)
    with pytest.raises(FetchError, match="HTTP 307") as refused:
        _post(hooks.url())
    assert refused.value.status == 307
    assert [r.path for r in hooks.received] == ["/hooks"]


def test_an_error_status_is_returned_or_carried(hooks, settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    hooks.answer(503, 503)
    assert _post(hooks.url(), errors=True).status == 503
    with pytest.raises(FetchError) as refused:
        _post(hooks.url())
    assert refused.value.status == 503 and not refused.value.transient


def test_no_answer_in_time_is_transient(hooks, settings):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    hooks.answer(Hang(2))
    with pytest.raises(FetchError, match=r"within 0\.5 s") as refused:
        _post(hooks.url(), timeout=0.5)
    assert refused.value.transient and refused.value.status is None
