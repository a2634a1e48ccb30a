from django.db import migrations, models

# Every top-level project's count of subprojects that are not removed, as the services
# keep it from now on: one set-based UPDATE … FROM (SELECT … GROUP BY), one scan of the
# table (it was a COUNT per top-level project, 11 minutes for 20,006 of them).
#
# Zero-downtime (docs/operations.md, "Upgrading"): not atomic, so the ALTER TABLE's lock
# is released as soon as the column exists (an instant: PostgreSQL stores the default
# without rewriting the table) instead of being held until the backfill ends; the UPDATE
# takes row locks on top-level projects only, which never block reads.
FILL = """
UPDATE projects_project SET subproject_count = counts.n
FROM (
    SELECT parent_id, COUNT(*) AS n FROM projects_project
    WHERE parent_id IS NOT NULL AND removed_at IS NULL
    GROUP BY parent_id
) AS counts
WHERE projects_project.id = counts.parent_id
"""


class Migration(migrations.Migration):
    atomic = False

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
