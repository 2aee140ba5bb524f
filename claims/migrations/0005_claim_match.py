import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0004_ingest_job"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The article's publisher, author and date as given at the API door, kept on the job
        # until the worker stores the source.
        migrations.AddField(
            model_name="ingestjob",
            name="publisher",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="ingestjob",
            name="author",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="ingestjob",
            name="published_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="ClaimMatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("score", models.FloatField(help_text="Combined similarity, 0–1.")),
                ("words", models.FloatField(help_text="Word similarity alone, 0–1.")),
                ("shared_figures", models.PositiveSmallIntegerField(default=0)),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("suggested", "Suggested: likely duplicate, for the desk to decide"),
                            ("attached", "Attached automatically as a new appearance"),
                            ("confirmed", "Confirmed duplicate"),
                            ("rejected", "Not a duplicate"),
                        ],
                        max_length=10,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "appearance",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="matches",
                        to="claims.appearance",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "existing",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="matched_by",
                        to="claims.claim",
                    ),
                ),
            ],
            options={
                "ordering": ["-score", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("appearance", "existing"), name="match_unique_pair"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("score__gte", 0), ("score__lte", 1)),
                        name="match_score_0_1",
                    ),
                ],
            },
        ),
    ]
