import django.db.models.functions.text
from django.db import migrations, models

from core.migration_operations import AddIndexConcurrently


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY on PostgreSQL (the projects table is large): it cannot
    # run in a transaction, and writes go on while it builds.
    atomic = False

    dependencies = [
        ('projects', '0005_subproject_count'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='project',
            index=models.Index(models.F('parent'), django.db.models.functions.text.Lower('name'), models.F('public_id'), condition=models.Q(('removed_at__isnull', True)), name='project_children_by_name'),
        ),
        AddIndexConcurrently(
            model_name='project',
            index=models.Index(condition=models.Q(('removed_at__isnull', False)), fields=['parent', '-removed_at', '-public_id'], name='project_children_removed'),
        ),
    ]
