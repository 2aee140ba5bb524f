"""ExternalReview moves from verification to claims: the same table (verification_externalreview),
now claims' model. State only: nothing in the database changes."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0008_import_job'),
        ('verification', '0003_external_review'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='ExternalReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('publisher', models.CharField(max_length=200)),
                ('publisher_url', models.URLField(blank=True, max_length=2000)),
                ('url', models.URLField(blank=True, help_text='The published fact check.', max_length=2000)),
                ('external_id', models.CharField(blank=True, help_text="The publisher's or the data set's id for the verdict, when it has no URL.", max_length=200)),
                ('title', models.CharField(blank=True, max_length=500)),
                ('rating_text', models.TextField(help_text="The verdict in the publisher's words.")),
                ('rating', models.CharField(choices=[('true', 'True'), ('mostly_true', 'Mostly true'), ('mixed', 'Mixed'), ('mostly_false', 'Mostly false'), ('false', 'False'), ('unverifiable', 'Unverifiable')], max_length=20)),
                ('rating_value', models.FloatField(blank=True, null=True)),
                ('best_rating', models.FloatField(blank=True, null=True)),
                ('worst_rating', models.FloatField(blank=True, null=True)),
                ('language', models.CharField(blank=True, max_length=16)),
                ('published_on', models.DateField(blank=True, null=True)),
                ('origin', models.CharField(choices=[('claimreview', 'ClaimReview markup'), ('google_fact_check', 'Google Fact Check Tools record'), ('bulk', 'Bulk import')], max_length=20)),
                ('imported_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('claim', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='external_reviews', to='claims.claim')),
                ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'verification_externalreview',
                'ordering': ['claim_id', 'published_on', 'id'],
                'constraints': [models.UniqueConstraint(fields=('claim', 'publisher', 'url', 'external_id'), name='external_review_unique_per_claim'), models.CheckConstraint(condition=models.Q(('rating__in', ['true', 'mostly_true', 'mixed', 'mostly_false', 'false', 'unverifiable'])), name='external_review_rating_valid'), models.CheckConstraint(condition=models.Q(('publisher', ''), _negated=True), name='external_review_publisher')],
            },
        ),
                ],
        ),
    ]
