"""config.fetch connects only to the address it checked, follows redirects only to allowed
places, and gives up at one deadline and one size, whatever the server does."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest

from config.fetch import MAX_REDIRECTS, FetchError, fetch
from tests.security.network import OTHER_PUBLIC, PUBLIC, drip, gzip_bomb, page, redirect, streamed

TEXT = ["text/*"]


def test_an_allowed_url_is_fetched_from_the_local_site_with_private_hosts_allowed(
    local_site, resolver
):
    resolver.answers["news.example"] = [["127.0.0.1"]]
    local_site.routes["/article"] = page("<p>The harbour budget doubles.</p>")

    fetched = fetch(local_site.url("/article", host="news.example"), accept=["text/html"])

    assert fetched.body == b"<p>The harbour budget doubles.</p>"
    assert (fetched.content_type, fetched.charset) == ("text/html", "utf-8")
    assert fetched.url == local_site.url("/article", host="news.example")
    # The connection went to the address, the request still names the host.
    assert local_site.requests == [("/article", f"news.example:{local_site.port}")]
    assert resolver.lookups == ["news.example"]


def test_a_public_host_is_fetched_at_the_address_it_resolved_to(public_site, internet):
    public_site.routes["/article"] = page("Ferry fares rose.", "text/plain")

    fetched = fetch(public_site.url("/article", host="news.example"), accept=TEXT)

    assert fetched.body == b"Ferry fares rose."
    assert internet.attempts == [(PUBLIC, public_site.port)]


def test_a_rebinding_name_is_looked_up_once_and_its_first_address_is_the_one_connected_to(
    public_site, resolver, internet
):
    # The attacker's DNS answers a public address first and loopback to every later question:
    # a client that checks one answer and lets its HTTP library look the name up again ends
    # up on 127.0.0.1.
    resolver.answers["rebind.example"] = [[PUBLIC], ["127.0.0.1"]]
    public_site.routes["/page"] = page("Public page.", "text/plain")

    fetched = fetch(public_site.url("/page", host="rebind.example"), accept=TEXT)

    assert fetched.body == b"Public page."
    assert resolver.lookups == ["rebind.example"]
    assert internet.attempts == [(PUBLIC, public_site.port)]


def test_a_redirect_to_the_same_rebinding_name_is_checked_again_and_refused(
    public_site, resolver, internet
):
    resolver.answers["rebind.example"] = [[PUBLIC], ["127.0.0.1"]]
    public_site.routes["/first"] = redirect("/second")
    public_site.routes["/second"] = page("Secret.", "text/plain")

    with pytest.raises(FetchError, match=r"resolves to 127\.0\.0\.1, a loopback address"):
        fetch(public_site.url("/first", host="rebind.example"), accept=TEXT)

    assert public_site.paths == ["/first"]
    assert internet.attempts == [(PUBLIC, public_site.port)]


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:{port}/secret",
        "http://localhost:{port}/secret",
        "http://[::1]:{port}/secret",
        "http://2130706433:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/admin",
    ],
)
def test_a_redirect_to_a_forbidden_address_is_refused_and_never_followed(
    public_site, resolver, internet, location
):
    resolver.answers["localhost"] = [["127.0.0.1", "::1"]]
    public_site.routes["/story"] = redirect(location.format(port=public_site.port))
    public_site.routes["/secret"] = page("Internal.", "text/plain")

    with pytest.raises(FetchError, match="Refused to fetch") as refused:
        fetch(public_site.url("/story", host="news.example"), accept=TEXT)

    assert "news.example" in str(refused.value) and "redirected there" in str(refused.value)
    assert public_site.paths == ["/story"]
    assert internet.attempts == [(PUBLIC, public_site.port)]


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("file:///etc/passwd", "Only http and https"),
        ("gopher://news.example/", "Only http and https"),
        ("http://user:pw@news.example/", "user name or password"),
    ],
)
def test_a_redirect_to_another_scheme_or_with_credentials_is_refused(public_site, location, reason):
    public_site.routes["/story"] = redirect(location)

    with pytest.raises(FetchError, match=reason):
        fetch(public_site.url("/story", host="news.example"), accept=TEXT)
    assert public_site.paths == ["/story"]


def test_redirects_between_public_hosts_are_followed_up_to_five(public_site, resolver, internet):
    resolver.answers["mirror.example"] = [[OTHER_PUBLIC]]
    internet.serve(public_site, OTHER_PUBLIC)
    mirror = public_site.url("/hop1", host="mirror.example")
    public_site.routes["/hop0"] = redirect(mirror, 301)
    for hop in range(1, MAX_REDIRECTS):
        public_site.routes[f"/hop{hop}"] = redirect(f"/hop{hop + 1}", 307)
    public_site.routes[f"/hop{MAX_REDIRECTS}"] = page("Arrived.", "text/plain")

    fetched = fetch(public_site.url("/hop0", host="news.example"), accept=TEXT)

    assert fetched.body == b"Arrived."
    assert fetched.url == public_site.url(f"/hop{MAX_REDIRECTS}", host="mirror.example")
    assert len(public_site.paths) == MAX_REDIRECTS + 1


def test_a_sixth_redirect_is_refused(public_site):
    for hop in range(MAX_REDIRECTS + 1):
        public_site.routes[f"/hop{hop}"] = redirect(f"/hop{hop + 1}")
    public_site.routes[f"/hop{MAX_REDIRECTS + 1}"] = page("Too far.", "text/plain")

    with pytest.raises(FetchError, match="redirects more than 5 times"):
        fetch(public_site.url("/hop0", host="news.example"), accept=TEXT)
    assert f"/hop{MAX_REDIRECTS + 1}" not in public_site.paths


@pytest.mark.parametrize("in_headers", [False, True], ids=["body", "headers"])
def test_a_slow_drip_server_is_cut_at_the_deadline(local_site, settings, in_headers):
    settings.FETCH_TIMEOUT = 1
    local_site.routes["/drip"] = drip(in_headers=in_headers)
    started = time.monotonic()

    with pytest.raises(FetchError, match="within 1 s; stopped"):
        fetch(local_site.url("/drip"), accept=TEXT)

    assert 0.9 < time.monotonic() - started < 1.5


def test_the_deadline_covers_every_redirect(local_site):
    local_site.routes["/slow-redirect"] = _slow(redirect("/drip"), 0.6)
    local_site.routes["/drip"] = drip()
    started = time.monotonic()

    with pytest.raises(FetchError, match="within 1 s"):
        fetch(local_site.url("/slow-redirect"), accept=TEXT, timeout=1)
    assert time.monotonic() - started < 1.5


def test_a_body_over_the_limit_is_cut_without_reading_the_rest(local_site, settings):
    local_site.routes["/huge"] = streamed(50 * 1024 * 1024)  # a 50 MB page, no Content-Length
    started = time.monotonic()

    with pytest.raises(FetchError, match="over the 10,485,760-byte limit; stopped reading"):
        fetch(local_site.url("/huge"), accept=["text/html"])
    assert time.monotonic() - started < 5


def test_a_declared_size_over_the_limit_is_refused_before_reading(local_site):
    local_site.routes["/declared"] = page("x" * 2048, "text/plain")

    with pytest.raises(FetchError, match="2,048 bytes, over the 1,024-byte limit"):
        fetch(local_site.url("/declared"), accept=TEXT, max_bytes=1024)


def test_the_limit_counts_decompressed_bytes(local_site):
    local_site.routes["/bomb"] = gzip_bomb(64 * 1024 * 1024)

    with pytest.raises(FetchError, match="over the 10,485,760-byte limit; stopped reading"):
        fetch(local_site.url("/bomb"), accept=TEXT)


@pytest.mark.parametrize(
    ("content_type", "accept", "fetched"),
    [
        ("image/png", ["text/*"], False),
        ("application/json", ["text/*", "application/xhtml+xml"], False),
        ("text/html; charset=latin-1", ["text/html"], True),
        ("application/ld+json", ["application/ld+json"], True),
    ],
)
def test_only_the_callers_content_types_are_read(local_site, content_type, accept, fetched):
    local_site.routes["/thing"] = page(b"data", content_type)

    if fetched:
        assert fetch(local_site.url("/thing"), accept=accept).body == b"data"
    else:
        with pytest.raises(FetchError, match=f"is {content_type}, not"):
            fetch(local_site.url("/thing"), accept=accept)


def test_an_error_status_is_a_failure_naming_it(local_site):
    with pytest.raises(FetchError, match="answered HTTP 404"):
        local_site.routes["/gone"] = _status(404)
        fetch(local_site.url("/gone"), accept=TEXT)


def test_the_environments_proxy_is_ignored_and_fetch_proxy_is_used(
    local_site, site, internet, settings, monkeypatch
):
    proxy = _recording_proxy()
    internet.routes[("127.0.0.1", proxy.port)] = proxy.port
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    local_site.routes["/direct"] = page("Direct.", "text/plain")

    assert fetch(local_site.url("/direct"), accept=TEXT).body == b"Direct."
    assert proxy.requests == []

    settings.FETCH_PROXY = f"http://127.0.0.1:{proxy.port}"
    assert fetch(local_site.url("/direct"), accept=TEXT).body == b"Proxied."
    assert proxy.requests == [f"GET {local_site.url('/direct')} HTTP/1.1"]
    proxy.close()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_https_sends_the_name_for_sni_and_checks_the_certificate_against_it(
    local_site, resolver, internet, tmp_path
):
    resolver.answers["secure.example"] = [["127.0.0.1"]]
    server = _tls_server(tmp_path, "secure.example")
    internet.routes[("127.0.0.1", server.port)] = server.port

    with pytest.raises(FetchError, match="certificate verify failed: self-signed"):
        fetch(f"https://secure.example:{server.port}/", accept=TEXT)
    assert server.names == ["secure.example"]  # SNI named the host, not the address
    server.close()


# --- Helpers ---------------------------------------------------------------------------------


def _slow(route, seconds):
    def send(handler):
        time.sleep(seconds)
        route(handler)

    return send


def _status(code):
    def send(handler):
        handler.send_response(code)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return send


class _Listener:
    """A bare TCP server on 127.0.0.1 answering each connection with ``answer``."""

    def __init__(self, answer) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.requests: list[str] = []
        self.names: list[str] = []
        self._answer = answer
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn, contextlib.suppress(OSError):  # ssl.SSLError is an OSError
                self._answer(self, conn)

    def close(self) -> None:
        self.sock.close()
        self._thread.join(timeout=5)


def _recording_proxy() -> _Listener:
    def answer(listener, conn):
        listener.requests.append(conn.recv(65536).split(b"\r\n")[0].decode())
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n\r\nProxied."
        )

    return _Listener(answer)


def _tls_server(directory: Path, name: str) -> _Listener:
    key, cert = directory / "key.pem", directory / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}", "-keyout", str(key),
         "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str] = []
    context.sni_callback = lambda sock, server_name, ctx: names.append(server_name) and None

    def answer(listener, conn):
        with context.wrap_socket(conn, server_side=True) as tls:
            tls.recv(65536)

    listener = _Listener(answer)
    listener.names = names
    return listener
