"""Ingesting from a URL (a local HTTP server), a file, or pasted text; and ``manage.py ingest``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.extraction.documents import DocumentError, document_from_url, sniff_format
from claims.extraction.ingest import source_ingest
from claims.models import Claim, Source
from tests.serving import serving

ARTICLE_HTML = """<!doctype html>
<html><head><title>Harbour Budget Doubles | The Coast Gazette</title>
<meta name="author" content="Mira Tan"></head>
<body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
<article>
<h1>Harbour Budget Doubles</h1>
<p>The harbour authority will spend $45 million a year on new piers, twice what it spent in
2019, according to its annual plan published on Monday.</p>
<p>“We lost nearly 300 jobs when the old pier closed, and we will not lose them again,” said
Mayor Ana Ruiz, who has led the city since 2018.</p>
<p>Shipping traffic grew by 12 percent last year, the port’s own figures show.</p>
</article>
<footer>Subscribe to our newsletter. Cookie settings. All rights reserved.</footer>
</body></html>"""

PLAIN_TEXT = "Ferry Fares\n\nFerry fares rose by 8 percent in March, the operator said.\n"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/article.html":
            self._send(200, "text/html; charset=utf-8", ARTICLE_HTML.encode())
        elif self.path == "/fares.txt":
            self._send(200, "text/plain; charset=utf-8", PLAIN_TEXT.encode())
        elif self.path == "/declared-huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
            self.wfile.write(b"<p>only the start</p>")
        elif self.path == "/streamed-huge":
            # No Content-Length: only reading tells how big it is.
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"x" * 8192)
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, "text/plain", b"Too late.")
        elif self.path == "/picture.png":
            self._send(200, "image/png", b"\x89PNG\r\n")
        else:
            self._send(404, "text/plain", b"Not found")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test output clean


@pytest.fixture
def server(settings) -> Iterator[str]:
    settings.FETCH_ALLOW_PRIVATE_HOSTS = True  # the pages are served from 127.0.0.1
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    with serving(httpd) as port:
        yield f"http://127.0.0.1:{port}"


def test_an_html_page_is_reduced_to_the_article_text_and_its_metadata(server):
    document = document_from_url(f"{server}/article.html")
    assert "$45 million a year" in document.text
    assert "nearly 300 jobs" in document.text
    for boilerplate in ("Subscribe", "Cookie", "Sport"):
        assert boilerplate not in document.text
    assert document.title.startswith("Harbour Budget Doubles")
    assert document.author == "Mira Tan"
    assert document.url == f"{server}/article.html"


def test_a_declared_size_over_the_limit_is_refused_before_reading(server, settings):
    settings.INGEST_MAX_BYTES = 1024 * 1024
    with pytest.raises(DocumentError, match="over the 1,048,576-byte limit"):
        document_from_url(f"{server}/declared-huge")


def test_a_body_over_the_limit_stops_the_read(server, settings):
    settings.INGEST_MAX_BYTES = 100 * 1024
    with pytest.raises(DocumentError, match="stopped reading"):
        document_from_url(f"{server}/streamed-huge")


def test_a_slow_server_times_out(server, settings):
    settings.FETCH_TIMEOUT = 0.3
    started = time.monotonic()
    with pytest.raises(DocumentError, match="Could not fetch"):
        document_from_url(f"{server}/slow")
    assert time.monotonic() - started < 1.4


@pytest.mark.parametrize(
    ("path", "message"),
    [("/picture.png", "image/png, not text/"), ("/missing", "HTTP 404")],
)
def test_pages_that_are_not_articles_are_refused(server, path, message):
    with pytest.raises(DocumentError, match=message):
        document_from_url(f"{server}{path}")


def test_only_http_and_https_urls_are_fetched():
    with pytest.raises(DocumentError, match="Only http and https"):
        document_from_url("file:///etc/passwd")


def test_format_is_sniffed_from_the_content():
    assert sniff_format(ARTICLE_HTML) == "html"
    assert sniff_format("# Title\n\nSome [link](x) here.") == "markdown"
    assert sniff_format(PLAIN_TEXT) == "text"


@pytest.mark.django_db
def test_ingesting_a_url_stores_the_url_and_creates_claims(server, editor):
    result = source_ingest(actor=editor, url=f"{server}/article.html")
    assert result.source.url == f"{server}/article.html"
    statements = [c.statement for c in result.created]
    assert any("$45 million a year" in s for s in statements)
    quoted = [o for o in result.outcomes if o.candidate.speaker is not None]
    assert quoted[0].candidate.speaker.name == "Ana Ruiz"


@pytest.mark.django_db
def test_pasted_text_twice_is_one_source(editor):
    first = source_ingest(actor=editor, text=PLAIN_TEXT)
    second = source_ingest(actor=editor, text=PLAIN_TEXT.replace("\n\n", "\n\n  "))
    assert first.source_created and not second.source_created
    assert Source.objects.count() == 1
    assert len(first.created) == 1 and second.created == []


@pytest.mark.django_db
def test_ingest_is_refused_to_someone_off_the_desk(outsider):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        source_ingest(actor=outsider, text=PLAIN_TEXT)
    assert Source.objects.count() == 0


@pytest.mark.django_db
def test_ingest_command_prints_candidates_with_scores_quantities_and_speakers(server, editor):
    out = StringIO()
    call_command("ingest", f"{server}/article.html", "--user", editor.username, stdout=out)
    printed = out.getvalue()
    assert "Stored source #" in printed
    assert "quantity: 45000000 USD per year (money, “$45 million a year”)" in printed
    assert "speaker: Ana Ruiz, Mayor (person; said)" in printed
    created = Claim.objects.count()
    assert f"{created} claim(s) created" in printed

    again = StringIO()
    call_command("ingest", f"{server}/article.html", "--user", editor.username, stdout=again)
    assert "Already stored as source #" in again.getvalue()
    assert "0 claim(s) created" in again.getvalue()
    assert Claim.objects.count() == created


@pytest.mark.django_db
def test_ingest_command_reads_a_file_and_names_missing_ones(tmp_path, editor):
    article = tmp_path / "fares.txt"
    article.write_text(PLAIN_TEXT, encoding="utf-8")
    out = StringIO()
    call_command("ingest", str(article), "--user", editor.username, "--title", "Fares", stdout=out)
    assert Source.objects.get().title == "Fares"
    with pytest.raises(CommandError, match="No such file"):
        call_command("ingest", str(tmp_path / "nope.md"), "--user", editor.username)
    with pytest.raises(CommandError, match="No active user"):
        call_command("ingest", str(article), "--user", "nobody")
