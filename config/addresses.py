"""The address rules of :mod:`config.fetch`: which addresses the desk may connect to
(:func:`address_refusal`) and what address a URL's host spells (:func:`host_address`)."""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from typing import Any

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
