"""docker-compose.yml is a valid Compose file, and it wires the desk's services together.

No Docker engine runs where the tests run, so the file is checked against the Compose
Specification's own JSON schema (read from ``../shared/data/compose/``, never copied here), and
the cross-references the schema cannot see (who depends on whom, health checks behind
``service_healthy``) are checked by hand.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from django.conf import settings

PROJECT_DIR = Path(settings.BASE_DIR)
COMPOSE_FILE = PROJECT_DIR / "docker-compose.yml"
SCHEMA_FILE = PROJECT_DIR.parent / "shared" / "data" / "compose" / "compose-spec.json"

REQUIRED_SERVICES = {"web", "worker", "beat", "db", "redis", "mail"}
DJANGO_SERVICES = {"web", "worker", "beat"}


def _draft_id(uri: str) -> str:
    """``https://json-schema.org/draft-07/schema#`` → ``json-schema.org/draft-07/schema``."""
    return re.sub(r"^https?://", "", uri).rstrip("#/")


def _validator_class_for(schema: dict[str, Any]) -> type[jsonschema.protocols.Validator]:
    """The validator of the draft the schema declares in ``$schema``.

    ``jsonschema.validators.validator_for`` only knows the exact ``http://…#`` spellings and
    silently falls back to the newest draft for anything else; the Compose schema writes
    ``https://json-schema.org/draft-07/schema``, so match on the draft instead.
    """
    declared = _draft_id(schema["$schema"])
    drafts = [
        jsonschema.Draft4Validator,
        jsonschema.Draft6Validator,
        jsonschema.Draft7Validator,
        jsonschema.Draft201909Validator,
        jsonschema.Draft202012Validator,
    ]
    for validator_class in drafts:
        if _draft_id(validator_class.META_SCHEMA["$schema"]) == declared:
            return validator_class
    pytest.fail(f"the compose schema declares an unknown JSON Schema draft: {schema['$schema']}")


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text())
    validator_class = _validator_class_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def _errors(validator: jsonschema.protocols.Validator, document: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def test_the_compose_schema_is_draft_07(validator):
    # Pins the draft choice above: a schema update that moves drafts should be noticed here.
    assert isinstance(validator, jsonschema.Draft7Validator)


def test_compose_file_matches_the_compose_specification(validator, compose):
    assert _errors(validator, compose) == []


def test_a_service_with_ports_that_are_not_a_list_fails_validation(validator, compose):
    broken = copy.deepcopy(compose)
    broken["services"]["web"]["ports"] = "not-a-list"

    errors = _errors(validator, broken)

    assert any(error.startswith("services/web/ports:") for error in errors), errors


def test_an_unknown_top_level_key_fails_validation(validator, compose):
    broken = copy.deepcopy(compose)
    broken["servises"] = broken.pop("services")

    errors = _errors(validator, broken)

    assert any("'servises' does not match" in error for error in errors), errors


def test_a_misspelt_depends_on_condition_fails_validation(validator, compose):
    broken = copy.deepcopy(compose)
    broken["services"]["web"]["depends_on"]["db"]["condition"] = "service_ready"

    errors = _errors(validator, broken)

    assert any(error.startswith("services/web/depends_on:") for error in errors), errors


def test_compose_runs_every_process_of_the_desk(compose):
    missing = REQUIRED_SERVICES - set(compose["services"])
    assert not missing, f"docker-compose.yml lacks services: {sorted(missing)}"


def test_web_starts_only_after_the_database_is_healthy(compose):
    assert compose["services"]["web"]["depends_on"]["db"] == {"condition": "service_healthy"}


def test_django_processes_start_only_after_migrations_have_run(compose):
    for name in DJANGO_SERVICES:
        depends_on = compose["services"][name]["depends_on"]
        assert depends_on["migrate"] == {"condition": "service_completed_successfully"}, name
    assert compose["services"]["migrate"]["command"][:3] == ["python", "manage.py", "migrate"]


def test_every_dependency_names_a_service_and_every_healthy_wait_has_a_health_check(compose):
    services = compose["services"]
    for name, service in services.items():
        for dependency, rule in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown service {dependency}"
            if rule["condition"] == "service_healthy":
                assert "test" in services[dependency].get("healthcheck", {}), (
                    f"{name} waits for {dependency} to be healthy, but it has no health check"
                )


def test_web_health_check_probes_the_healthz_endpoint(compose):
    probe = " ".join(compose["services"]["web"]["healthcheck"]["test"])
    assert "/healthz" in probe


def test_django_processes_run_production_settings_against_compose_services(compose):
    for name in DJANGO_SERVICES:
        environment = compose["services"][name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production", name
        assert "@db:5432/" in environment["DATABASE_URL"], name
        assert environment["REDIS_URL"].startswith("redis://redis:6379/"), name
        assert (environment["EMAIL_HOST"], environment["EMAIL_PORT"]) == ("mail", "1025"), name
        # No default secret: compose refuses to start until one is given.
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?"), name


def test_worker_and_beat_run_celery_with_the_database_scheduler(compose):
    worker = compose["services"]["worker"]["command"]
    beat = compose["services"]["beat"]["command"]
    assert worker[:4] == ["celery", "-A", "config", "worker"]
    assert beat[:4] == ["celery", "-A", "config", "beat"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat


def test_the_database_keeps_its_data_in_a_named_volume(compose):
    mounts = compose["services"]["db"]["volumes"]
    volume = next(mount.split(":")[0] for mount in mounts if "/var/lib/postgresql/data" in mount)
    assert volume in compose["volumes"]


def test_the_image_runs_gunicorn_as_a_non_root_user():
    dockerfile = (PROJECT_DIR / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert re.search(r'^CMD \["gunicorn", "config\.wsgi"', dockerfile, flags=re.MULTILINE)
