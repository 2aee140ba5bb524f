"""``manage.py ingest PATH_OR_URL``: store an article and propose its claims for triage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from claims.extraction.candidates import Candidate, ranked
from claims.extraction.documents import DocumentError, Format
from claims.extraction.ingest import Action, source_ingest


class Command(BaseCommand):
    help = (
        "Read an article (a .txt, .md or .html file, or an http(s) URL), store it as a source "
        "once, and create its check-worthy sentences as claims in state 'new', with quantities, "
        "speakers and a check-worthiness score. Prints the candidates, most check-worthy first. "
        "Running it again on the same article creates nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("location", help="A file path, or an http:// or https:// URL.")
        parser.add_argument(
            "--title", default="", help="The source's title (default: the document's own)."
        )
        parser.add_argument(
            "--user",
            default=None,
            help="Username of the reviewer or editor submitting the claims (default: the first "
            "superuser).",
        )
        parser.add_argument(
            "--format",
            choices=[Format.AUTO, Format.TEXT, Format.MARKDOWN, Format.HTML],
            default=Format.AUTO,
            help="How to read a file (default: by its extension, else by its content).",
        )

    def handle(
        self, *args: Any, location: str, title: str, user: str | None, format: str, **options: Any
    ) -> None:
        actor = self._actor(user)
        is_url = location.lower().startswith(("http://", "https://"))
        if not is_url and not Path(location).exists():
            raise CommandError(f"No such file: {location}")
        try:
            result = source_ingest(
                actor=actor,
                url=location if is_url else None,
                path=None if is_url else Path(location),
                title=title,
                format=format,
            )
        except (DocumentError, PermissionDenied) as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error

        source = result.source
        verb = "Stored" if result.source_created else "Already stored as"
        self.stdout.write(f"{verb} source #{source.pk}: {source.title}")
        by_candidate = {id(o.candidate): o for o in result.outcomes}
        for candidate in ranked([o.candidate for o in result.outcomes]):
            outcome = by_candidate[id(candidate)]
            if candidate.heading:
                continue
            self.stdout.write(self._line(candidate, outcome.action, outcome.claim))
        counts = {
            a: len(result.with_action(a))
            for a in (Action.CREATED, Action.ATTACHED, Action.ALREADY, Action.LOCKED)
        }
        self.stdout.write(
            self.style.SUCCESS(
                f"{counts[Action.CREATED]} claim(s) created, {counts[Action.ATTACHED]} attached to "
                f"existing claims, {counts[Action.ALREADY]} already extracted, "
                f"{counts[Action.LOCKED]} matching published claims."
            )
        )

    def _line(self, candidate: Candidate, action: str, claim: Any) -> str:
        where = f" #{claim.pk}" if claim is not None else ""
        lines = [f"{candidate.score:.2f}  [{action}{where}]  {candidate.statement}"]
        for quantity in candidate.quantities:
            about = "about " if quantity.approximate else ""
            upto = f"–{quantity.high:f}" if quantity.high is not None else ""
            per = f" per {quantity.period}" if quantity.period else ""
            lines.append(
                f"        quantity: {about}{quantity.value:f}{upto} {quantity.unit}{per} "
                f"({quantity.kind}, “{quantity.text}”)"
            )
        if candidate.speaker is not None:
            role = f", {candidate.speaker.role}" if candidate.speaker.role else ""
            lines.append(
                f"        speaker: {candidate.speaker.name}{role} ({candidate.speaker.kind}; "
                f"{candidate.attribution})"
            )
        if candidate.note:
            lines.append(f"        note: {candidate.note}")
        return "\n".join(lines)

    def _actor(self, username: str | None) -> AbstractBaseUser:
        users = get_user_model().objects.filter(is_active=True)
        if username:
            found = users.filter(username=username).first()
            if found is None:
                raise CommandError(f"No active user {username!r}.")
            return found
        found = users.filter(is_superuser=True).order_by("pk").first()
        if found is None:
            raise CommandError("No superuser to ingest as; pass --user USERNAME.")
        return found
