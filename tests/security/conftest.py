"""Fixtures for the security tests' network (``tests.security.network``): the site, the
resolver and the internet, installed for every test of this package; and the integration
tests' SMTP server (aiosmtpd), for the login emails."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest
import urllib3.util.connection
from django.core.cache import cache
from rest_framework.test import APIClient

from tests import factories
from tests.api.conftest import _fresh_throttles, admin_user, role_user  # noqa: F401
from tests.integration.conftest import smtp, smtp_server  # noqa: F401  (a real SMTP server)
from tests.security.network import PUBLIC, Internet, QuietServer, Resolver, Site, page
from tests.serving import serving


@pytest.fixture
def site() -> Iterator[Site]:
    server_site: Site

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            server_site.requests.append((self.path, self.headers.get("Host", "")))
            route = server_site.routes.get(self.path.split("?")[0])
            if route is None:
                page(b"Not here", "text/plain")(self)
                return
            route(self)

        do_POST = do_GET  # a route that takes a POST reads its body itself

        def log_message(self, format: str, *args: object) -> None:
            pass

    with serving(QuietServer(("127.0.0.1", 0), Handler)) as port:
        server_site = Site(port=port)
        yield server_site


@pytest.fixture(autouse=True)
def resolver(settings) -> Resolver:
    settings.FETCH_RESOLVER = fake = Resolver()
    settings.FETCH_ALLOW_PRIVATE_HOSTS = False  # the default, whatever the environment says
    return fake


@pytest.fixture(autouse=True)
def internet(monkeypatch: pytest.MonkeyPatch) -> Internet:
    net = Internet()
    real_connect = urllib3.util.connection.create_connection

    def connect(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        host, port = address
        net.attempts.append((host, port))
        local = net.routes.get((host, port))
        if local is None:
            raise ConnectionRefusedError(f"the test internet has no route to {host}:{port}")
        return real_connect(("127.0.0.1", local), *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(urllib3.util.connection, "create_connection", connect)
    return net


@pytest.fixture
def local_site(site: Site, internet: Internet, settings) -> Site:
    """The site, reachable at 127.0.0.1 with FETCH_ALLOW_PRIVATE_HOSTS on (as the tests that
    serve pages from 127.0.0.1 run it)."""
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True
    internet.serve(site)
    return site


@pytest.fixture
def public_site(site: Site, internet: Internet, resolver: Resolver) -> Site:
    """The site as ``news.example``, a public host (PUBLIC), with private addresses refused."""
    resolver.answers["news.example"] = [[PUBLIC]]
    internet.serve(site, PUBLIC)
    return site


@pytest.fixture
def as_editor(editor) -> APIClient:
    cache.clear()  # the throttles count in the cache, which outlives a test
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {factories.api_key(editor)}")
    return client


def import_rows(actor, body: bytes, file_format: str) -> list:
    """Import a file of claims through the import job, in place (the default mapping); its
    report lines (``ImportRow``: status, reason) in the file's order."""
    from django.core.files.base import ContentFile

    from claims.bulk import import_job_create, import_job_run

    job = import_job_create(
        actor=actor,
        upload=ContentFile(body, name=f"claims.{file_format}"),
        file_format=file_format,
        publish=False,
    )
    job = import_job_run(job_id=job.pk)
    return list(job.rows.order_by("row"))
