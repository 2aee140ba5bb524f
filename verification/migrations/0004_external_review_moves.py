"""ExternalReview moves to claims (claims 0009): verification forgets the model; its table stays,
now claims'. State only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('verification', '0003_external_review'),
        ('claims', '0009_external_review_moves'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="ExternalReview")],
        ),
    ]
