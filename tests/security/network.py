"""The network the security tests see (their fixtures are in ``conftest.py``): a web site on
127.0.0.1, a resolver that answers what each test says, and an "internet" through which every
connection the desk opens must pass.

- ``resolver`` replaces ``FETCH_RESOLVER``: names resolve only to what a test lists, one answer
  per look-up (the last repeats), and every look-up is recorded. No test asks real DNS.
- ``internet`` replaces urllib3's socket connect (the one place urllib3 opens a connection): it
  records the address the desk asked for and connects only where a test routed that address,
  always to the local site; anything else is refused. So no traffic leaves 127.0.0.1, a test can
  show that nothing was connected to, and a "public" address can stand for the local site.
- ``site`` serves routes a test sets and records each request (path and Host header).
"""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Public addresses (nothing in the tests ever connects to them: ``internet`` routes them to the
# local site).
PUBLIC = "93.184.215.14"
OTHER_PUBLIC = "151.101.1.69"

Route = Callable[[BaseHTTPRequestHandler], None]


def page(
    body: bytes | str, content_type: str = "text/html; charset=utf-8", **headers: str
) -> Route:
    data = body.encode() if isinstance(body, str) else body

    def send(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.end_headers()
        handler.wfile.write(data)

    return send


def redirect(location: str, status: int = 302) -> Route:
    def send(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return send


def streamed(
    size: int, content_type: str = "text/html", chunk: bytes = b"<p>x</p>" * 8192
) -> Route:
    """``size`` bytes with no Content-Length: only reading tells how big it is."""

    chunk = b"<p>x</p>" * 8192

    def send(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.end_headers()
        sent = 0
        while sent < size:
            handler.wfile.write(chunk)
            sent += len(chunk)

    return send


def gzip_bomb(size: int) -> Route:
    """``size`` bytes of zeros, sent gzipped (a few KiB on the wire)."""
    data = gzip.compress(b"\0" * size, compresslevel=9)
    return page(data, "text/plain", Content_Encoding="gzip")


def drip(*, in_headers: bool = False, every: float = 0.1, count: int = 200) -> Route:
    """A server that never stops: a byte of body (or a header line) every ``every`` seconds."""

    def send(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
        if not in_headers:
            handler.wfile.write(b"Content-Type: text/plain\r\n\r\n")
        for _ in range(count):
            handler.wfile.write(b"X-Slow: y\r\n" if in_headers else b"x")
            handler.wfile.flush()
            time.sleep(every)

    return send


@dataclass
class Site:
    port: int
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, Host header)

    @property
    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def url(self, path: str = "/", host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}{path}"


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the desk hanging up on a page it refused is expected


@dataclass
class Resolver:
    """``answers[name]``: the answer to each look-up in turn (the last one repeats)."""

    answers: dict[str, list[list[str]]] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)

    def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        given = self.answers.get(host)
        if not given:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return given.pop(0) if len(given) > 1 else given[0]


@dataclass
class Internet:
    """Connections by the address asked for: ``routes[(address, port)]`` is the local port it
    reaches; ``attempts`` lists every address the desk tried to connect to."""

    routes: dict[tuple[str, int], int] = field(default_factory=dict)
    attempts: list[tuple[str, int]] = field(default_factory=list)

    def serve(self, site: Site, address: str = "127.0.0.1", port: int | None = None) -> None:
        self.routes[(address, port or site.port)] = site.port


def no_lookups(host: str, port: int) -> list[str]:
    """The resolver every test runs with (``config.settings.test``) unless it installs its own:
    no test looks a name up."""
    raise socket.gaierror(socket.EAI_NONAME, f"tests look no names up ({host})")
