"""Give every speaker stored before aliases existed its aliases (its folded name, and a
person's surname), so the next article's "Biden" finds the "Joe Biden" already on the desk."""

from django.db import migrations

from claims.models.speakers import name_key


def backfill(apps, schema_editor):
    Speaker = apps.get_model("claims", "Speaker")
    SpeakerAlias = apps.get_model("claims", "SpeakerAlias")
    batch = []
    for speaker in Speaker.objects.only("id", "name", "kind").iterator(chunk_size=2000):
        key = name_key(speaker.name)
        if not key:
            continue
        batch.append(SpeakerAlias(speaker_id=speaker.id, key=key, kind="name"))
        tokens = key.split()
        if speaker.kind == "person" and len(tokens) > 1:
            batch.append(SpeakerAlias(speaker_id=speaker.id, key=tokens[-1], kind="surname"))
        if len(batch) >= 2000:
            SpeakerAlias.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    SpeakerAlias.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("claims", "0010_speaker_aliases_and_attributed_statements")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
