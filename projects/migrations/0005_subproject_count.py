from django.db import migrations, models

# Every top-level project's count of subprojects that are not removed, as the services
# keep it from now on.
FILL = """
UPDATE projects_project SET subproject_count = (
    SELECT COUNT(*) FROM projects_project AS child
    WHERE child.parent_id = projects_project.id AND child.removed_at IS NULL
)
WHERE parent_id IS NULL
"""


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0004_menu_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='project',
            name='subproject_count',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
