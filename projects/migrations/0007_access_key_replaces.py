import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0006_subproject_list_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='accesskey',
            name='replaces',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='projects.accesskey'),
        ),
    ]
