"""Settings come from the environment; a bad value stops the process, naming the variable.

Settings are read once per process, so each case starts a fresh ``python`` with an environment
built from scratch (nothing leaks in from the shell running the tests) and ``VAR_DIR`` in a
temporary folder, so no test touches the project's own ``var/``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

PROJECT_DIR = Path(settings.BASE_DIR)
BASE = "config.settings.base"
PRODUCTION = "config.settings.production"
DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"

# Values a real deployment would give; none of them is contacted by `check`.
PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": "q8Vt3kZ1pL0sX9mN4cB7rY2wE6uH5jA0fG3dK8tQ1zR4vS7nM2xC9bP6",
    "ALLOWED_HOSTS": "claims.example.org",
    "DATABASE_URL": "postgres://desk:s3cret@db.example.org:5432/claimdesk",
}

# Printed by a child process so the test can read what the settings module made of its env.
READ_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
names = ["DEBUG", "TIME_ZONE", "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_TIMEOUT",
         "MAILDIR_PATH", "VAR_DIR"]
values = {name: getattr(s, name, None) for name in names}
values["DATABASE"] = s.DATABASES["default"]
print(json.dumps(values, default=str))
"""


def _run(
    tmp_path: Path, arguments: list[str], *, settings_module: str = BASE, **variables: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": os.environ["PATH"],
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": settings_module,
        "VAR_DIR": str(tmp_path / "var"),
        **variables,
    }
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _check(tmp_path: Path, *, settings_module: str = BASE, **variables: str):
    return _run(tmp_path, ["manage.py", "check"], settings_module=settings_module, **variables)


def _read_settings(tmp_path: Path, **variables: str) -> dict[str, Any]:
    result = _run(tmp_path, ["-c", READ_SETTINGS], **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _assert_refused_naming(result: subprocess.CompletedProcess[str], variable: str) -> None:
    """The process failed, and its last word is an ImproperlyConfigured naming ``variable``."""
    assert result.returncode != 0, result.stdout
    last_line = result.stderr.strip().splitlines()[-1]
    assert re.match(rf"django\.core\.exceptions\.ImproperlyConfigured: {variable}\b", last_line), (
        result.stderr
    )


@pytest.mark.parametrize(
    ("variable", "variables"),
    [
        pytest.param("DEBUG", {"DEBUG": "maybe"}, id="debug-that-is-not-a-boolean"),
        pytest.param(
            "EMAIL_PORT",
            {"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "abc"},
            id="email-port-that-is-not-a-number",
        ),
        pytest.param(
            "TIME_ZONE", {"TIME_ZONE": "Mars/Olympus"}, id="time-zone-that-does-not-exist"
        ),
        pytest.param(
            "DATABASE_URL",
            {"DATABASE_URL": "mysql://desk:pw@127.0.0.1:3306/claimdesk"},
            id="database-url-for-mysql",
        ),
        pytest.param("DATABASE_URL", {"DATABASE_URL": "not-a-url"}, id="database-url-unparsable"),
        pytest.param(
            "DATABASE_URL",
            {"DATABASE_URL": "postgres://desk@127.0.0.1:5432"},
            id="database-url-without-a-database-name",
        ),
        pytest.param("EMAIL_TIMEOUT", {"EMAIL_TIMEOUT": "0"}, id="email-timeout-below-one-second"),
    ],
)
def test_a_bad_value_stops_manage_py_with_a_message_naming_the_variable(
    tmp_path, variable, variables
):
    _assert_refused_naming(_check(tmp_path, **variables), variable)


def test_with_no_environment_the_desk_uses_sqlite_and_a_maildir_under_var_dir(tmp_path):
    var_dir = tmp_path / "var"

    values = _read_settings(tmp_path)

    assert values["DATABASE"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DATABASE"]["NAME"] == str(var_dir / "db.sqlite3")
    assert values["EMAIL_BACKEND"] == "config.mail.MaildirBackend"
    assert values["MAILDIR_PATH"] == str(var_dir / "mail")
    assert values["DEBUG"] is True
    assert values["TIME_ZONE"] == "UTC"
    assert var_dir.is_dir()


def test_a_postgres_database_url_switches_to_postgresql(tmp_path):
    values = _read_settings(tmp_path, DATABASE_URL="postgres://desk:pw@db.example.org:6543/desk")

    database = values["DATABASE"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.example.org",
        6543,
        "desk",
    )
    assert (database["USER"], database["PASSWORD"]) == ("desk", "pw")


def test_an_email_host_switches_to_smtp_with_a_timeout(tmp_path):
    values = _read_settings(tmp_path, EMAIL_HOST="mail", EMAIL_PORT="1025", EMAIL_TIMEOUT="7")

    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("mail", 1025)
    assert values["EMAIL_TIMEOUT"] == 7


def test_smtp_without_an_explicit_timeout_still_has_one(tmp_path):
    # A mail server that hangs must not hang a request or a worker with it.
    values = _read_settings(tmp_path, EMAIL_HOST="mail")

    assert isinstance(values["EMAIL_TIMEOUT"], int)
    assert values["EMAIL_TIMEOUT"] > 0


def test_production_settings_with_real_values_pass_the_deploy_checks(tmp_path):
    result = _run(
        tmp_path,
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        settings_module=PRODUCTION,
        **PRODUCTION_ENVIRONMENT,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_checks_fail_when_production_turns_the_https_redirect_off(tmp_path):
    # Shows the check above can fail: the same values, with one safeguard switched off.
    result = _run(
        tmp_path,
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        settings_module=PRODUCTION,
        **PRODUCTION_ENVIRONMENT,
        SECURE_SSL_REDIRECT="false",
    )

    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "secret_key",
    [
        pytest.param(None, id="unset"),
        pytest.param(DEV_SECRET_KEY, id="the-development-key"),
        pytest.param("short-but-not-the-dev-key", id="too-short"),
    ],
)
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, secret_key):
    variables = {**PRODUCTION_ENVIRONMENT}
    del variables["SECRET_KEY"]
    if secret_key is not None:
        variables["SECRET_KEY"] = secret_key

    _assert_refused_naming(_check(tmp_path, settings_module=PRODUCTION, **variables), "SECRET_KEY")


def test_production_refuses_to_start_with_debug_on(tmp_path):
    result = _check(tmp_path, settings_module=PRODUCTION, **PRODUCTION_ENVIRONMENT, DEBUG="true")

    _assert_refused_naming(result, "DEBUG")


def test_production_refuses_to_start_with_only_local_allowed_hosts(tmp_path):
    variables = {**PRODUCTION_ENVIRONMENT, "ALLOWED_HOSTS": "localhost,127.0.0.1"}

    _assert_refused_naming(
        _check(tmp_path, settings_module=PRODUCTION, **variables), "ALLOWED_HOSTS"
    )


def test_production_refuses_to_start_without_a_database_url(tmp_path):
    variables = {**PRODUCTION_ENVIRONMENT}
    del variables["DATABASE_URL"]

    _assert_refused_naming(
        _check(tmp_path, settings_module=PRODUCTION, **variables), "DATABASE_URL"
    )
