import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0005_subproject_count'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='project',
            index=models.Index(models.F('parent'), django.db.models.functions.text.Lower('name'), models.F('public_id'), condition=models.Q(('removed_at__isnull', True)), name='project_children_by_name'),
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(condition=models.Q(('removed_at__isnull', False)), fields=['parent', '-removed_at', '-public_id'], name='project_children_removed'),
        ),
    ]
