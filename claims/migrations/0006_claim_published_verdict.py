from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_claim_match"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="published_rating",
            field=models.CharField(
                blank=True,
                choices=[
                    ("true", "True"),
                    ("mostly_true", "Mostly true"),
                    ("mixed", "Mixed"),
                    ("mostly_false", "Mostly false"),
                    ("false", "False"),
                    ("unverifiable", "Unverifiable"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="published_summary",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="published_rating",
            field=models.CharField(
                blank=True,
                choices=[
                    ("true", "True"),
                    ("mostly_true", "Mostly true"),
                    ("mixed", "Mixed"),
                    ("mostly_false", "Mostly false"),
                    ("false", "False"),
                    ("unverifiable", "Unverifiable"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="published_summary",
            field=models.TextField(blank=True),
        ),
    ]
