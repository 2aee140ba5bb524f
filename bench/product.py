"""Every call the benchmark makes into the desk's own code, one small function each.

The rest of bench/ reaches the desk through its public entry points (HTTP, ``manage.py``
commands, models read for checks); what it cannot, it calls here, so that when a service moves
or is replaced only this file changes:

- :func:`claim_create`: a claim with its topics and one appearance (``claims.services``);
- :func:`claims_triage`: triage, which is what starts automatic assignment
  (``verification.services.claim_triage``, public);
- :func:`bulk_importer`: the bulk import as ``manage.py import_claims`` runs it;
- :func:`api_import`: the import API (``POST /api/v1/claims/import``), answered in the request;
- :func:`api_token_create`: an API token for a user (DRF's ``authtoken``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser

from bench.api_client import request_json


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
    not the import of the command's modules. The import must be done when the call returns."""
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


def api_import(base: str, token: str, tsv: bytes) -> dict[str, int]:
    """LIAR's TSV through ``POST /api/v1/claims/import?format=csv&mapping=liar``; the counts of
    the report it answers with (``created``, ``matched``, ``rejected``) once the rows are in."""
    report = request_json(
        "POST",
        f"{base}/api/v1/claims/import?format=csv&mapping=liar",
        token,
        tsv,
        "text/tab-separated-values",
    )
    return dict(report["counts"])


def api_token_create(user: AbstractBaseUser) -> str:
    """A new API token for ``user`` (the ``Authorization: Token …`` key)."""
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=user).key
