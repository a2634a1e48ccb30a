# Invitations moved to the team app (team.models.Invitation, same table): the model
# leaves this app's state; its table stays, and team's first migration takes it over.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_team'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Invitation')],
            database_operations=[],
        ),
    ]
