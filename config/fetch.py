"""Every request the desk sends to another server: checked, pinned to a checked address, bounded.

A URL someone hands the desk is fetched from inside its network (server-side request forgery:
``http://169.254.169.254/`` reads the cloud's credentials). :func:`fetch` is the one way out:

1. The URL: http or https, a host, no ``user:password@``.
2. The host: an address in any spelling the C library reads (``2130706433``, ``0x7f.1``,
   ``[::ffff:127.0.0.1]``) is that address; a name is resolved once. Every address must be
   public (:func:`address_refusal`) unless ``FETCH_ALLOW_PRIVATE_HOSTS``.
3. The connection goes to the first checked address only (Host, SNI and the certificate use
   the name): DNS is never asked twice.
4. At most ``MAX_REDIRECTS`` redirects, each hop checked, GET only; no proxy but ``FETCH_PROXY``.
5. One deadline for the whole fetch, every socket read included; a byte limit counted as the
   body arrives; the caller's content types. Every refusal and failure is a :class:`FetchError`
   (with the answer's ``status``, and ``transient`` when trying later may go better)."""

from __future__ import annotations

import contextvars
import io
import ipaddress
import re
import socket
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from django.utils.module_loading import import_string
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from config.addresses import METADATA, Address, Resolver, address_refusal, host_address

__all__ = ["METADATA", "FetchError", "Fetched", "address_refusal", "fetch", "host_address"]
MAX_REDIRECTS = 5


class FetchError(Exception):
    """A URL refused, or a fetch that failed; the message says which and why. ``status``: the
    refused answer's; ``transient``: no answer in time or no name, so it may succeed later."""

    def __init__(self, message: str, *, status: int | None = None, transient: bool = False):
        super().__init__(message)
        self.status, self.transient = status, transient


@dataclass(frozen=True)
class Fetched:
    url: str  # where the body came from, after redirects
    content_type: str  # lower case, without parameters; "" when the server named none
    charset: str | None
    body: bytes
    status: int = 200  # 4xx/5xx only to a caller that asked (``errors``); then the answer's
    headers: tuple[tuple[str, str], ...] = ()  # and the request's (``sent``) headers, as sent
    sent: tuple[tuple[str, str], ...] = ()


# --- Names ---------------------------------------------------------------------------------------


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
    """``url`` as requests sends it, if its form may be fetched (names are checked per hop)."""
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
        message = f"{host} cannot be resolved ({error.strerror or error})."
        raise FetchError(message, transient=True) from error
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
    """A connected socket whose answer (``makefile``, what http.client reads) is read under the
    deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock, self._deadline = sock, deadline

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))


class _KeepsDeadline:
    """urllib3's connections, read under the deadline once connected."""

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
    method: str = "GET",
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> Fetched:
    """Fetch ``url`` under the rules above and return its body.

    ``accept``: the content types read (``"text/*"``, ``"*/*"``, ``""`` for none named), others
    refused before the body; ``errors``: a 4xx/5xx answer is returned, not refused; ``method``,
    ``body`` and ``headers`` send something (a webhook's POST, never redirected)."""
    most = int(getattr(settings, "FETCH_MAX_BYTES", 10 * 1024 * 1024))
    limit = min(max_bytes or most, most)
    seconds = float(getattr(settings, "FETCH_TIMEOUT", 10) if timeout is None else timeout)
    deadline = time.monotonic() + seconds
    token = _deadline.set(deadline)
    session = _session()
    try:
        sending = _Sending(method.upper(), body, dict(headers or {}))
        response = _follow(session, url, accept, deadline, sending)
        with response:
            return _read(response, accept, limit, errors)
    except requests.RequestException as error:
        if time.monotonic() >= deadline:
            message = f"Could not fetch {url} within {seconds:g} s; stopped."
        else:
            message = f"Could not fetch {url}: {_reason(error)}."
        raise FetchError(message, transient=True) from error
    finally:
        _deadline.reset(token)
        session.close()


@dataclass(frozen=True)
class _Sending:
    method: str
    body: bytes | None
    headers: dict[str, str]


def _follow(
    session: requests.Session,
    url: str,
    accept: Collection[str],
    deadline: float,
    sending: _Sending,
) -> requests.Response:
    """The first answer that is not a redirect (for a method other than GET, the first)."""
    hop, types = url, ", ".join(filter(None, accept)) or "*/*"
    headers = {"User-Agent": "claimdesk-fetch/1.0", "Accept": types, **sending.headers}
    for redirects in range(MAX_REDIRECTS + 1):
        left = deadline - time.monotonic()
        if left <= 0:
            raise requests.Timeout("the deadline passed between redirects")
        try:
            hop = checked_url(hop)
            response = session.request(
                sending.method,
                hop,
                data=sending.body,
                headers=headers,
                stream=True,
                allow_redirects=False,
                timeout=left,
            )
        except FetchError as error:
            if not redirects:
                raise
            message = f"{error} ({url} redirected there.)"
            raise FetchError(message, transient=error.transient) from error
        location = session.get_redirect_target(response)
        if location is None or sending.method != "GET":
            return response
        response.close()  # a redirect's body is never read
        hop = urljoin(response.url, location)
    raise FetchError(f"{url} redirects more than {MAX_REDIRECTS} times; stopped.")


def _read(response: requests.Response, accept: Collection[str], limit: int, ok4: bool) -> Fetched:
    url, status = response.url, response.status_code
    if status >= 300 and not (ok4 and status >= 400):
        raise FetchError(f"{url} answered HTTP {status} ({response.reason}).", status=status)
    header = Message()
    header["Content-Type"] = response.headers.get("Content-Type", "")
    content_type = header.get_content_type() if header["Content-Type"] else ""
    if status < 400 and not any(
        content_type == wanted
        or wanted == "*/*"
        or (wanted.endswith("/*") and content_type.startswith(wanted[:-1]))
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
