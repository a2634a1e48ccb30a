from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_scheduled_job"),
    ]

    operations = [
        migrations.CreateModel(
            name="JobRun",
            fields=[
                ("name", models.CharField(max_length=100, primary_key=True, serialize=False)),
                ("last_started_at", models.DateTimeField(blank=True, null=True)),
                ("last_success_at", models.DateTimeField(blank=True, null=True)),
                ("last_duration_ms", models.PositiveIntegerField(blank=True, null=True)),
                ("last_counts", models.JSONField(blank=True, default=dict)),
                ("last_failure_at", models.DateTimeField(blank=True, null=True)),
                ("last_error", models.CharField(blank=True, max_length=300)),
                ("last_skipped_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={"verbose_name": "job run"},
        ),
    ]
