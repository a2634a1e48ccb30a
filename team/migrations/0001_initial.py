# The Invitation model, moved here from accounts with its table (accounts_invitation) and
# its projects table (accounts_invitation_projects): state only, no change to the
# database, except that the admin's content type follows the model.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import core.ids
import team.models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    ContentType.objects.filter(app_label='accounts', model='invitation').update(app_label='team')


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    ContentType.objects.filter(app_label='team', model='invitation').update(app_label='accounts')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0004_invitation_moved_to_team'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('projects', '0009_project_alive_by_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Invitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.CharField(default=core.ids.new_public_id, editable=False, max_length=26, unique=True)),
                        ('email', models.EmailField(max_length=254)),
                        ('role', models.CharField(choices=[('admin', 'Admin'), ('member', 'Member'), ('viewer', 'Viewer')], default='viewer', max_length=16)),
                        ('token_hash', models.CharField(editable=False, max_length=64, unique=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('sent_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('expires_at', models.DateTimeField(default=team.models.invitation_expiry)),
                        ('accepted_at', models.DateTimeField(blank=True, null=True)),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                        ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('account', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='accounts.account')),
                        ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('projects', models.ManyToManyField(blank=True, related_name='+', to='projects.project')),
                    ],
                    options={
                        'db_table': 'accounts_invitation',
                        'ordering': ['-sent_at', '-id'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('accepted_at__isnull', True), ('cancelled_at__isnull', True)), fields=('account', 'email'), name='invitation_one_open_per_email'), models.CheckConstraint(condition=models.Q(('role__in', ['admin', 'member', 'viewer'])), name='invitation_role_valid')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
