"""The schema matches behaviour: schemathesis, with every check but speed, against a live server.

The demo desk is loaded into the test database (PostgreSQL), gunicorn serves the project on a
free port of 127.0.0.1 against that database, and schemathesis generates requests from
/api/schema/ as the demo editor: examples valid and invalid, boundary cases, and stateful
sequences that follow the links between operations (20 examples per operation, a fixed seed).
Any server error, undocumented status or content type, response that contradicts its schema,
invalid input accepted or valid input refused fails the test. Three checks' expected statuses
are widened in ``schemathesis.toml`` beside this file, each with its reason. The one check left
out is the response-time limit: speed is the benchmarks' business (``bench/``).

The run is bounded (it is stopped after ``RUN_SECONDS``) and the server is stopped whatever
happens.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.specs.openapi import checks as _openapi_checks  # noqa: F401 (registers them)

from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONFIG = Path(__file__).with_name("schemathesis.toml")
# Every check schemathesis has registered: the OpenAPI ones register on import, as the CLI
# imports them. Not ``all``, which also switches on ``max_response_time`` (a limit in the
# config, not a registered check) with a 10 s default: speed is measured in bench/, as ratios,
# never as a timed assertion in a test (with eager Celery the server runs an ingest inside its
# request, and a worker's first one loads the sentence encoder, about 10 s on a busy machine).
CHECKS = sorted(REGISTERED_CHECKS.get_all_names())
RUN_SECONDS = 270
START_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    """The URL of the database this test runs in (pytest-django's test database)."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}{port}/{db['NAME']}"


def _wait_until_up(server: subprocess.Popen, url: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited with {server.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (OSError, http.client.HTTPException):  # not listening yet, or still booting
            time.sleep(0.3)
    raise AssertionError(f"the server did not answer {url} within {START_SECONDS}s")


@pytest.fixture
def editor_token() -> str:
    call_command("demo_data", stdout=StringIO())
    editor = get_user_model().objects.get(username="editor")
    return factories.api_key(editor)


@pytest.fixture
def live_server_url(tmp_path: Path) -> str:
    """gunicorn on a free port, against this test's database; stopped after the test."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "DEBUG": "false",
        # The run sends thousands of requests as one editor; throttling is tested elsewhere.
        "API_THROTTLE_ANON": "100000/minute",
        "API_THROTTLE_USER": "100000/minute",
        "API_THROTTLE_IMPORT": "100000/minute",
    }
    log = (tmp_path / "server.log").open("w")
    gunicorn = ["gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    server = subprocess.Popen(
        [sys.executable, "-m", *gunicorn, "--timeout", "60"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(server, f"{base}/healthz")
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        # The test database is emptied next; no connection of the server may be left.
        connection.close()


def test_schemathesis_finds_no_failure_against_the_live_api(
    live_server_url: str, editor_token: str, tmp_path: Path
):
    # The OpenAPI checks are among them (the import above registered them).
    assert {"response_schema_conformance", "positive_data_acceptance"} <= set(CHECKS)
    command = [
        str(Path(sys.executable).with_name("st")),
        "--config-file",
        str(CONFIG),
        "run",
        f"{live_server_url}/api/schema/",
        "--checks",
        ",".join(CHECKS),
        "--header",
        f"Authorization: Token {editor_token}",
        "--max-examples",
        "20",
        "--seed",
        "1",
        "--workers",
        "1",
        "--generation-database",
        "none",
        # A hang guard only: gunicorn ends a request after 60 s (``--timeout`` above).
        "--request-timeout",
        "60",
        "--no-color",
    ]
    try:
        result = subprocess.run(
            command, cwd=tmp_path, capture_output=True, text=True, timeout=RUN_SECONDS
        )
    except subprocess.TimeoutExpired as exc:
        output = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        pytest.fail(f"schemathesis ran past {RUN_SECONDS}s:\n{output[-4000:]}")
    report = result.stdout
    assert result.returncode == 0, report[-12000:] + result.stderr[-2000:]
    assert "Tested: " in report and " failure" not in report.split("SUMMARY")[-1]
