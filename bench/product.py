"""Every call the benchmark makes into the desk's own code, one small function each.

The rest of bench/ reaches the desk through its public entry points (HTTP, ``manage.py``
commands, models read for checks); what it cannot, it calls here, so that when a service moves
or is replaced only this file changes:

- :func:`claim_create`: a claim with its topics and one appearance (``claims.services``);
- :func:`claims_triage`: triage, which is what starts automatic assignment
  (``verification.services.claim_triage``, public);
- :func:`bulk_importer`: the bulk import as ``manage.py import_claims`` runs it (the import
  job made and run in place, ``claims.bulk.import_job_run``);
- :func:`api_import`: the import API (``POST /api/v1/claims/import``, which answers 202 with a
  job a Celery worker runs), followed at the job's address until the job has finished;
- :func:`api_token_create`: an API token for a user (django-rest-knox's, made by
  config.accounts.tokens).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from bench.api_client import request_json, request_json_located

# How often api_import reads its job's status.
POLL_SECONDS = 0.05


def claim_create(
    *,
    actor: AbstractBaseUser,
    statement: str,
    priority: str = "normal",
    topics: Sequence[Any] = (),
    appearance: tuple[Any, str, int] | None = None,
) -> Any:
    """A new claim through the desk's creation service; ``appearance``: ``(source, quote,
    start)``, the quote's place in the source's text."""
    from claims.services import AppearanceData
    from claims.services import claim_create as create

    appearances = []
    if appearance is not None:
        source, quote, start = appearance
        appearances.append(AppearanceData(source=source, quote=quote, start=start))
    return create(
        actor=actor,
        statement=statement,
        priority=priority,
        topics=list(topics),
        appearances=appearances,
    )


def claims_triage(*, actor: AbstractBaseUser, claims: Iterable[Any]) -> None:
    """Triage each claim, one call (and one commit) at a time, as an editor's desk does; what
    the triage publishes for automatic assignment is the desk's business."""
    from verification.services import claim_triage

    for claim in claims:
        claim_triage(actor=actor, claim=claim)


def bulk_importer() -> Callable[[Path, str], None]:
    """The bulk import as ``manage.py import_claims PATH --format csv --mapping liar`` runs it
    (LIAR's TSV), loaded before it is returned, so that timing the call times the import and
    not the import of the command's modules. The command makes the import job and runs it in
    its own process (``import_job_run``), so the import is done when the call returns."""
    from django.core.management import call_command, get_commands, load_command_class

    command = load_command_class(get_commands()["import_claims"], "import_claims")

    def run(path: Path, username: str) -> None:
        call_command(
            command,
            str(path),
            format="csv",
            mapping="liar",
            quiet_rows=True,
            user=username,
            stdout=io.StringIO(),
        )

    return run


def api_import(base: str, token: str, tsv: bytes, *, timeout: float = 1800) -> dict[str, int]:
    """LIAR's TSV through ``POST /api/v1/claims/import?format=csv&mapping=liar`` (202, the job
    and its address in ``Location``), then the job read at that address every
    ``POLL_SECONDS`` until it is done; the counts it finished with (``created``, ``matched``,
    ``rejected``). A job that failed, or has not finished within ``timeout`` seconds, raises
    ``RuntimeError``. A Celery worker must be consuming the desk's queue."""
    job, location = request_json_located(
        "POST",
        f"{base}/api/v1/claims/import?format=csv&mapping=liar",
        token,
        tsv,
        "text/tab-separated-values",
    )
    address = location or job["url"]
    deadline = time.monotonic() + timeout
    while job["status"] not in ("done", "failed"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"Import job {job['id']} still {job['status']} after {timeout} s")
        time.sleep(POLL_SECONDS)
        job = request_json("GET", address, token)
    if job["status"] == "failed":
        raise RuntimeError(f"Import job {job['id']} failed: {job['error']}")
    return dict(job["counts"])


def api_token_create(user: AbstractBaseUser) -> str:
    """A new API token for ``user`` (the ``Authorization: Token …`` key)."""
    from config.accounts.tokens import api_token_create as make

    return make(actor=None, owner=user, name="Benchmark")[1]
