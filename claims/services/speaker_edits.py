"""An editor's corrections to how speakers were matched (:func:`speakers_resolve`): a name
added to a speaker, a name taken off, two speakers that are one merged; later articles are
matched by the corrected names.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from claims.exceptions import WorkflowConflict
from claims.history import history_as
from claims.models import (
    AliasKind,
    Appearance,
    AttributedStatement,
    Speaker,
    SpeakerAlias,
    name_key,
)
from claims.roles import require_editor


def speaker_alias_add(*, actor: AbstractBaseUser, speaker: Speaker, name: str) -> SpeakerAlias:
    """Another name ``speaker`` goes by ("POTUS"), checked by :func:`speaker_alias_check`; later
    articles naming it resolve to this speaker."""
    require_editor(actor, "add a name to a speaker")
    with transaction.atomic():
        key = speaker_alias_check(speaker, name)
        alias, _ = SpeakerAlias.objects.update_or_create(
            speaker=speaker, key=key, defaults={"kind": AliasKind.NAME}
        )
    return alias


def speaker_alias_check(speaker: Speaker, name: str) -> str:
    """The key ``name`` would be matched by as ``speaker``'s; ``ValidationError`` when it folds
    to nothing or is another speaker's full name already (then the two should be merged)."""
    key = name_key(name)
    if not key:
        raise ValidationError({"name": "Give a name with letters or digits in it."})
    taken = (
        SpeakerAlias.objects.filter(key=key, kind=AliasKind.NAME)
        .exclude(speaker=speaker)
        .select_related("speaker")
        .first()
    )
    if taken is not None:
        raise ValidationError(
            {
                "name": f"{name!r} is already the name of speaker #{taken.speaker_id} "
                f"({taken.speaker.name}); if they are one, merge the two speakers."
            }
        )
    return key


def speaker_alias_remove(*, actor: AbstractBaseUser, alias: SpeakerAlias) -> None:
    """Stop matching a name to a speaker (a shared surname, a wrong guess); the speaker's own
    name stays (:func:`speaker_alias_removal_check`)."""
    require_editor(actor, "take a name off a speaker")
    speaker_alias_removal_check(alias)
    alias.delete()


def speaker_alias_removal_check(alias: SpeakerAlias) -> None:
    """``ValidationError`` when ``alias`` is the speaker's own name, which must stay."""
    if alias.key == name_key(alias.speaker.name) and alias.kind == AliasKind.NAME:
        raise ValidationError(
            {"alias": "That is the speaker's own name; rename or merge the speaker instead."}
        )


def speakers_merge(*, actor: AbstractBaseUser, keep: Speaker, others: Sequence[Speaker]) -> Speaker:
    """``others`` are ``keep``: their appearances (with history), statements and names move to
    it and they are deleted, in one transaction."""
    require_editor(actor, "merge speakers")
    others = [s for s in others if s.pk != keep.pk]
    if not others:
        raise ValidationError({"speakers": "Choose at least two different speakers to merge."})
    with transaction.atomic():
        locked = list(
            Speaker.objects.select_for_update()
            .filter(pk__in=[keep.pk, *(s.pk for s in others)])
            .order_by("pk")
        )
        if len(locked) != len(others) + 1:
            raise WorkflowConflict("A speaker to merge was deleted meanwhile; reload the list.")
        gone = [s.pk for s in locked if s.pk != keep.pk]
        for appearance in Appearance.objects.filter(speaker_id__in=gone):
            appearance.speaker = keep
            history_as(appearance, actor)
            appearance.save(update_fields=["speaker"])
        AttributedStatement.objects.filter(speaker_id__in=gone).update(speaker=keep)
        names = {
            (alias.key, alias.kind) for alias in SpeakerAlias.objects.filter(speaker_id__in=gone)
        }
        SpeakerAlias.objects.bulk_create(
            [SpeakerAlias(speaker=keep, key=key, kind=kind) for key, kind in sorted(names)],
            ignore_conflicts=True,
        )
        Speaker.objects.filter(pk__in=gone).delete()  # their aliases go with them
    return keep
