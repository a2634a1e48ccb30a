import django.db.models.functions.text
from django.db import migrations, models

from core.migration_operations import AddIndexConcurrently


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY on PostgreSQL (the projects table is large): it cannot
    # run in a transaction, and writes go on while it builds.
    atomic = False
    dependencies = [
        ("accounts", "0003_team"),
        ("projects", "0008_reminder_dismissal"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="project",
            index=models.Index(
                models.F("account"),
                django.db.models.functions.text.Lower("name"),
                condition=models.Q(("removed_at__isnull", True)),
                name="project_alive_by_name",
            ),
        ),
    ]
