import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_team"),
        ("projects", "0008_reminder_dismissal"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                models.F("account"),
                django.db.models.functions.text.Lower("name"),
                condition=models.Q(("removed_at__isnull", True)),
                name="project_alive_by_name",
            ),
        ),
    ]
