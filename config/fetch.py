"""Every request the desk sends to another server: checked, pinned to a checked address, bounded.

A URL someone hands the desk is fetched from inside its network, so a careless fetch is a way
in (server-side request forgery: ``http://169.254.169.254/`` reads the cloud's credentials).
:func:`fetch`, on requests and urllib3, is the one way out:

1. The URL: http or https, a host, no ``user:password@``.
2. The host: an address written in the URL, in any spelling the C library reads as one
   (``2130706433``, ``0177.0.0.1``, ``0x7f.1``, ``127.1``, ``[::ffff:127.0.0.1]``), is that
   address; a name is resolved once (``FETCH_RESOLVER``). Every address must be public
   (:func:`address_refusal`), unless ``FETCH_ALLOW_PRIVATE_HOSTS`` (tests on 127.0.0.1).
3. The connection goes to the first checked address only (the pool is keyed on it; the Host
   header, TLS SNI and the certificate check use the name): DNS is never asked twice.
4. At most ``MAX_REDIRECTS`` redirects, each hop checked as above. No proxy unless
   ``FETCH_PROXY`` names one (the environment's ``HTTP_PROXY`` is ignored).
5. One deadline for the whole fetch (``FETCH_TIMEOUT``): every read from the socket, headers
   included, waits at most the time left (a name's look-up is bounded by the system resolver's
   own timeouts). A byte limit counted as the body arrives (``FETCH_MAX_BYTES``, or the
   caller's lower one); the caller's content types. Every refusal and failure is a
   :class:`FetchError` whose message is for whoever gave the URL."""

from __future__ import annotations

import contextvars
import io
import ipaddress
import re
import socket
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from email.message import Message
from functools import partial
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.utils.module_loading import import_string
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

MAX_REDIRECTS = 5
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

# Refused even with FETCH_ALLOW_PRIVATE_HOSTS: the cloud metadata services (AWS, GCP, Azure on
# IPv4; AWS on IPv6).
METADATA = frozenset(map(ipaddress.ip_address, ["169.254.169.254", "fd00:ec2::254"]))
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_COMPATIBLE = ipaddress.ip_network("::/96")  # the deprecated IPv4-compatible ::a.b.c.d
_REFUSED: list[tuple[str, Callable[[Any], bool]]] = [
    ("the unspecified address", lambda a: a.is_unspecified),
    ("a loopback address", lambda a: a.is_loopback),
    ("a link-local address", lambda a: a.is_link_local),
    ("a multicast address", lambda a: a.is_multicast),
    ("a carrier-grade NAT address", lambda a: a in _SHARED),
    ("a unique-local address", lambda a: a in _UNIQUE_LOCAL),
    ("a site-local address", lambda a: getattr(a, "is_site_local", False)),
    ("a reserved address", lambda a: a.is_reserved),
    ("a private address", lambda a: a.is_private),
    ("not a public address", lambda a: not a.is_global),
]
# What inet_aton reads as an IPv4 address: decimal, octal and hex parts, one to four of them.
_NUMERIC_HOST = re.compile(r"[0-9][0-9a-fx.]*", re.IGNORECASE)


class FetchError(Exception):
    """A URL refused, or a fetch that failed; the message says which and why."""


@dataclass(frozen=True)
class Fetched:
    url: str  # where the body came from, after redirects
    content_type: str  # lower case, without parameters; "" when the server named none
    charset: str | None
    body: bytes
    status: int = 200  # 4xx/5xx only to a caller that asked (``errors``); then the answer's
    headers: tuple[tuple[str, str], ...] = ()  # and the request's (``sent``) headers, as sent
    sent: tuple[tuple[str, str], ...] = ()


# --- Which addresses ---------------------------------------------------------------------------


def host_address(host: str) -> Address | None:
    """The address a URL's host spells, in any form the C library reads as one; None for a name."""
    host = host.removesuffix(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            pass  # "0x1.cafe": a name after all; what it resolves to is checked
    return None


def _embedded_ipv4(address: Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries: mapped, compatible, 6to4, Teredo, NAT64."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    found = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    if address in _NAT64 or (address in _COMPATIBLE and int(address) > 1):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return [inner for inner in found if inner is not None]


def address_refusal(address: Address, *, allow_private: bool = False) -> str | None:
    """Why the desk must not connect to ``address`` ("a loopback address"), or None.

    An IPv6 address is judged by the IPv4 address it carries too. ``allow_private`` lets
    everything through but the metadata addresses."""
    candidates = [*_embedded_ipv4(address), address]
    if any(candidate in METADATA for candidate in candidates):
        return "the cloud metadata address"
    if allow_private:
        return None
    for candidate in candidates:
        for label, applies in _REFUSED:
            if applies(candidate):
                return label if candidate is address else f"{label} ({candidate}) inside IPv6"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, as the operating system resolves it."""
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(answer[4][0]) for answer in answers))


# --- Which URLs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    url: str  # as requests sends it (host IDNA-encoded, path quoted)
    scheme: str
    host: str  # as the URL names it: for the Host header, SNI and the certificate
    address: str  # the one checked address the connection goes to ("" until resolved)


def checked_url(url: str) -> str:
    """``url`` as requests sends it, if its form may be fetched: http(s), a host, no credentials,
    an address written in it allowed. Names are resolved and checked by each hop of ``fetch``."""
    return _target(url, resolve=False).url


def _target(url: str, *, resolve: bool) -> _Target:
    try:
        prepared = requests.Request("GET", url).prepare().url or url
        parts = urlsplit(prepared)
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except (requests.RequestException, ValueError) as error:
        raise FetchError(f"{url!r} is not a URL that can be fetched ({error}).") from error
    scheme, host = parts.scheme.lower(), parts.hostname or ""  # requests refuses no host
    if scheme not in ("http", "https"):
        raise FetchError(f"Only http and https URLs can be fetched, not {url!r}.")
    if parts.username is not None or parts.password is not None:
        raise FetchError("The URL carries a user name or password; the desk sends none.")
    literal = host_address(host)
    if literal is None and not resolve:
        return _Target(prepared, scheme, host, "")
    addresses = [literal] if literal is not None else _resolve(host, port)
    allow_private = bool(getattr(settings, "FETCH_ALLOW_PRIVATE_HOSTS", False))
    for address in addresses:
        reason = address_refusal(address, allow_private=allow_private)
        if reason is not None:
            where = host if str(address) == host else f"{host} ({address})"
            said = f"{host} resolves to {address}," if literal is None else f"{where} is"
            raise FetchError(f"Refused to fetch {url}: {said} {reason}.")
    return _Target(prepared, scheme, host, str(addresses[0]))


def _resolve(host: str, port: int) -> list[Address]:
    resolver: Resolver = getattr(settings, "FETCH_RESOLVER", None) or system_resolver
    if isinstance(resolver, str):
        resolver = import_string(resolver)
    try:
        addresses = [ipaddress.ip_address(answer) for answer in resolver(host, port)]
    except OSError as error:  # socket.gaierror: no such name
        raise FetchError(f"{host} cannot be resolved ({error.strerror or error}).") from error
    if not addresses:
        raise FetchError(f"{host} resolves to no address.")
    return addresses


# --- Connections that keep to the checked address and the deadline ----------------------------

_deadline: contextvars.ContextVar[float] = contextvars.ContextVar("fetch_deadline")


class _DeadlineReader(io.RawIOBase):
    """A socket's reader, each receive allowed only the time left before the deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock, self._deadline = sock, deadline
        self._raw = sock.makefile("rb", buffering=0)  # the socket's own, so it closes as usual

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the deadline for the whole fetch has passed")
        self._sock.settimeout(left)
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineSocket:
    """A connected socket whose answer (``makefile``: what http.client reads the status line,
    headers and body from) is read under the deadline; the rest is the socket's own."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock, self._deadline = sock, deadline

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))


class _KeepsDeadline:
    """urllib3's connections, read under the deadline once connected (the connect and the TLS
    handshake wait at most the time left, per step)."""

    sock: Any

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self.sock = _DeadlineSocket(self.sock, _deadline.get())


class _Connection(_KeepsDeadline, HTTPConnection): ...


class _TLSConnection(_KeepsDeadline, HTTPSConnection): ...


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConnection


_POOLS = {"http": _Pool, "https": _TLSPool}


class _PinnedAdapter(HTTPAdapter):
    """Checks each request's URL as it is sent and connects to the address it checked."""

    _target: _Target

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        manager.pool_classes_by_scheme = _POOLS
        return manager

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self._target = _target(request.url or "", resolve=True)
        return super().send(request, **kwargs)

    def build_connection_pool_key_attributes(
        self, request: requests.PreparedRequest, verify: Any, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        host_params["host"] = self._target.address
        if self._target.scheme == "https":
            pool_kwargs["server_hostname"] = self._target.host
            pool_kwargs["assert_hostname"] = self._target.host
        return host_params, pool_kwargs

    def add_headers(self, request: requests.PreparedRequest, **kwargs: Any) -> None:
        request.headers["Host"] = urlsplit(request.url or "").netloc


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy, CA bundle or .netrc password from the environment
    proxy = str(getattr(settings, "FETCH_PROXY", "") or "")
    session.proxies = {"http": proxy, "https": proxy} if proxy else {}
    session.mount("http://", adapter := _PinnedAdapter())
    session.mount("https://", adapter)
    return session


def fetch(
    url: str,
    *,
    accept: Collection[str],
    max_bytes: int | None = None,
    timeout: float | None = None,
    errors: bool = False,
    post: tuple[str, bytes] | None = None,
) -> Fetched:
    """Fetch ``url`` under the rules above and return its body.

    ``accept`` names the content types the caller reads (``"text/html"``, ``"text/*"``, and
    ``""`` for an answer that names none); anything else is refused before its body is read.
    ``errors``: a 4xx/5xx answer is returned (with its status), not refused. ``post``: (type,
    body) to POST; its redirect is an error. ``FetchError`` for every refusal and failure."""
    most = int(getattr(settings, "FETCH_MAX_BYTES", 10 * 1024 * 1024))
    limit = min(max_bytes or most, most)
    seconds = float(getattr(settings, "FETCH_TIMEOUT", 10) if timeout is None else timeout)
    deadline = time.monotonic() + seconds
    token = _deadline.set(deadline)
    session = _session()
    try:
        response = _follow(session, url, accept, deadline, post)
        with response:
            return _read(response, accept, limit, errors)
    except requests.RequestException as error:
        if time.monotonic() >= deadline:
            raise FetchError(f"Could not fetch {url} within {seconds:g} s; stopped.") from error
        raise FetchError(f"Could not fetch {url}: {_reason(error)}.") from error
    finally:
        _deadline.reset(token)
        session.close()


def _follow(
    session: requests.Session, url: str, accept: Collection[str], deadline: float, post: Any
) -> requests.Response:
    """The first answer that is not a redirect, each hop checked as it is sent."""
    hop, types = url, ", ".join(filter(None, accept)) or "*/*"
    kind = post[0] if post else None  # requests leaves out a header that is None
    headers = {"User-Agent": "claimdesk-fetch/1.0", "Accept": types, "Content-Type": kind}
    send = partial(session.post, data=post[1]) if post else session.get
    for redirects in range(MAX_REDIRECTS + 1):
        left = deadline - time.monotonic()
        if left <= 0:
            raise requests.Timeout("the deadline passed between redirects")
        try:
            hop = checked_url(hop)
            response = send(hop, headers=headers, stream=True, allow_redirects=False, timeout=left)
        except FetchError as error:
            if not redirects:
                raise
            raise FetchError(f"{error} ({url} redirected there.)") from error
        location = session.get_redirect_target(response)
        if location is None or post:  # a POST's redirect is not followed: _read refuses it
            return response
        response.close()  # a redirect's body is never read
        hop = urljoin(response.url, location)
    raise FetchError(f"{url} redirects more than {MAX_REDIRECTS} times; stopped.")


def _read(response: requests.Response, accept: Collection[str], limit: int, ok4: bool) -> Fetched:
    url, status = response.url, response.status_code
    if status >= 300 and not (ok4 and status >= 400):
        raise FetchError(f"{url} answered HTTP {status} ({response.reason}).")
    header = Message()
    header["Content-Type"] = response.headers.get("Content-Type", "")
    content_type = header.get_content_type() if header["Content-Type"] else ""
    if status < 400 and not any(
        content_type == wanted or (wanted.endswith("/*") and content_type.startswith(wanted[:-1]))
        for wanted in accept
    ):
        shown = content_type or "of no stated type"
        raise FetchError(f"{url} is {shown}, not {' or '.join(filter(None, accept))}.")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(f"{url} is {int(declared):,} bytes, over the {limit:,}-byte limit.")
    chunks, size = [], 0
    for chunk in response.iter_content(64 * 1024):  # decompressed, at most 64 KiB at a time
        size += len(chunk)
        if size > limit:
            raise FetchError(f"{url} is over the {limit:,}-byte limit; stopped reading.")
        chunks.append(chunk)
    got = (url, content_type, header.get_content_charset(), b"".join(chunks), status)
    return Fetched(*got, (*response.headers.items(),), (*response.request.headers.items(),))


def _reason(error: requests.RequestException) -> str:
    """The cause in a few words ("Connection refused"), not urllib3's retry report."""
    found = _CAUSE.search(str(error))
    return next(part for part in found.groups() if part).strip() if found else str(error)


_CAUSE = re.compile(r"\[Errno -?\d+\] ([^'\")]+)|\[SSL: \w+\] ([^'\"(]+)|connection: ([^'\")]+)")
