"""config.fetch refuses every URL that could reach the desk's own network, in every way a URL
can spell an address, before it connects anywhere (and, for an address written in the URL,
before it asks any resolver)."""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys

import pytest
from django.conf import settings

from config.fetch import FetchError, address_refusal, fetch, host_address
from tests.security.network import PUBLIC

TEXT = ["text/*"]

# (URL, what the refusal says)
FORBIDDEN_LITERALS = [
    ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
    ("http://127.0.0.1:6379/", "loopback"),
    ("http://127.0.0.1./", "loopback"),
    ("http://2130706433/", "2130706433 (127.0.0.1) is a loopback address"),
    ("http://0177.0.0.1/", "0177.0.0.1 (127.0.0.1) is a loopback"),
    ("http://0x7f.1/", "0x7f.1 (127.0.0.1) is a loopback"),
    ("http://0x7F000001/", "(127.0.0.1) is a loopback"),
    ("http://017700000001/", "(127.0.0.1) is a loopback"),
    ("http://127.1/", "127.1 (127.0.0.1) is a loopback"),
    ("http://[::1]/", "::1 is a loopback address"),
    ("http://[0:0:0:0:0:0:0:1]:8000/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "a loopback address (127.0.0.1) inside IPv6"),
    ("http://[::ffff:7f00:1]/", "a loopback address (127.0.0.1) inside IPv6"),
    ("http://[::127.0.0.1]/", "a loopback address (127.0.0.1) inside IPv6"),  # compatible
    ("http://[2002:7f00:1::]/", "a loopback address (127.0.0.1) inside IPv6"),  # 6to4
    ("http://[64:ff9b::a00:1]/", "a private address (10.0.0.1) inside IPv6"),  # NAT64
    ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "(127.0.0.1) inside IPv6"),  # Teredo
    ("http://0.0.0.0/", "0.0.0.0 is the unspecified address"),
    ("http://0/", "(0.0.0.0) is the unspecified address"),
    ("http://[::]/", ":: is the unspecified address"),
    ("http://10.0.0.1/", "10.0.0.1 is a private address"),
    ("http://172.16.5.4/", "a private address"),
    ("http://192.168.1.1/", "a private address"),
    ("http://100.64.0.1/", "100.64.0.1 is a carrier-grade NAT address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is the cloud metadata address"),
    ("http://[::ffff:169.254.169.254]/", "the cloud metadata address"),
    ("http://[fd00:ec2::254]/latest/", "the cloud metadata address"),
    ("http://169.254.1.1/", "a link-local address"),
    ("http://[fe80::1]/", "a link-local address"),
    ("http://[fc00::1]/", "a unique-local address"),
    ("http://[fd12:3456::1]/", "a unique-local address"),
    ("http://[fec0::1]/", "a site-local address"),
    ("http://224.0.0.1/", "a multicast address"),
    ("http://[ff02::1]/", "a multicast address"),
    ("http://240.0.0.1/", "a reserved address"),
    ("http://255.255.255.255/", "a reserved address"),
    ("http://192.0.2.1/", "a private address"),  # documentation ranges are not the internet
    ("https://127.0.0.1/", "loopback"),
]

NOT_HTTP = [
    ("file:///etc/passwd", "Only http and https"),
    ("ftp://news.example/a", "Only http and https"),
    ("gopher://127.0.0.1:6379/_INFO", "Only http and https"),
    ("dict://127.0.0.1:11211/stats", "Only http and https"),
    ("javascript:alert(1)", "Only http and https"),
    ("//news.example/a", "not a URL that can be fetched"),
    ("http:///a", "No host supplied"),
    ("http://user:secret@news.example/", "user name or password"),
    ("http://user@news.example/", "user name or password"),
    ("http://:@news.example/", "user name or password"),
    ("http://news.example:99999/", "not a URL that can be fetched"),
]


@pytest.mark.parametrize(("url", "reason"), FORBIDDEN_LITERALS)
def test_an_address_written_in_the_url_is_refused_in_every_spelling(
    url, reason, resolver, internet
):
    with pytest.raises(FetchError, match="Refused to fetch") as refused:
        fetch(url, accept=TEXT)

    assert reason in str(refused.value)
    assert resolver.lookups == [] and internet.attempts == []


@pytest.mark.parametrize(("url", "reason"), NOT_HTTP)
def test_other_schemes_and_credentials_are_refused(url, reason, resolver, internet):
    with pytest.raises(FetchError, match=reason):
        fetch(url, accept=TEXT)

    assert resolver.lookups == [] and internet.attempts == []


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        (["127.0.0.1"], "news.example resolves to 127.0.0.1, a loopback address"),
        (["::1"], "resolves to ::1, a loopback address"),
        (["10.1.2.3"], "resolves to 10.1.2.3, a private address"),
        (["169.254.169.254"], "the cloud metadata address"),
        (["::ffff:192.168.0.1"], "a private address (192.168.0.1) inside IPv6"),
        # One private answer among public ones is enough: the desk might be given any of them.
        ([PUBLIC, "10.0.0.7"], "resolves to 10.0.0.7, a private address"),
    ],
)
def test_a_name_that_resolves_to_a_forbidden_address_is_refused_before_connecting(
    answers, reason, resolver, internet
):
    resolver.answers["news.example"] = [answers]

    with pytest.raises(FetchError, match="Refused to fetch") as refused:
        fetch("http://news.example/article", accept=TEXT)

    assert reason in str(refused.value)
    assert resolver.lookups == ["news.example"]
    assert internet.attempts == []


def test_a_name_that_does_not_resolve_is_a_clear_failure(internet):
    with pytest.raises(FetchError, match=r"nowhere\.example cannot be resolved"):
        fetch("http://nowhere.example/", accept=TEXT)
    assert internet.attempts == []


def test_a_host_in_other_digits_is_refused_not_looked_up(resolver, internet):
    with pytest.raises(FetchError, match="not a URL that can be fetched"):
        fetch("http://１２７.０.０.１/", accept=TEXT)  # full-width digits
    assert resolver.lookups == [] and internet.attempts == []


def test_with_private_hosts_allowed_the_metadata_address_is_still_refused(settings, internet):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True

    for url in ("http://169.254.169.254/", "http://[fd00:ec2::254]/", "http://2852039166/"):
        with pytest.raises(FetchError, match="the cloud metadata address"):
            fetch(url, accept=TEXT)
    assert internet.attempts == []


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.0.0.1", "127.0.0.1"),
        ("0177.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("::ffff:10.0.0.1", "::ffff:a00:1"),
        ("news.example", None),
        ("0x1.cafe", None),  # hex-looking, but a name
        ("1.2.3.4.example", None),
    ],
)
def test_host_address_reads_what_the_c_library_reads_as_an_address(host, address):
    found = host_address(host)
    assert (str(found) if found else None) == address


def test_public_addresses_are_allowed():
    for public in (PUBLIC, "8.8.8.8", "2606:4700:4700::1111", "2002:5db8:d70e::"):
        assert address_refusal(ipaddress.ip_address(public)) is None


def test_production_refuses_to_start_with_private_hosts_allowed(tmp_path):
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "VAR_DIR": str(tmp_path),
        "SECRET_KEY": "q8Vt3kZ1pL0sX9mN4cB7rY2wE6uH5jA0fG3dK8tQ1zR4vS7nM2xC9bP6",
        "ALLOWED_HOSTS": "claims.example.org",
        "DATABASE_URL": "postgres://desk:s3cret@db.example.org:5432/claimdesk",
        "FETCH_ALLOW_PRIVATE_HOSTS": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: FETCH_ALLOW_PRIVATE_HOSTS is for tests; "
        "never in production."
    )
