"""One name for a top-level project and its subprojects: its family.

root_project_id becomes family_project_id, and its two indexes are named after it. On
PostgreSQL these change only the catalog (ALTER TABLE … RENAME COLUMN, ALTER INDEX …
RENAME): the audit table, the largest, is not rewritten and each lock is held for an
instant (the append-only trigger refuses UPDATE and DELETE, not ALTER). SQLite renames
the column in its schema; it cannot rename an index, so Django builds the two renamed
indexes again there.

RenameField does not update the fields named in the model's indexes in Django's
migration state: the state-only step below does (the database's indexes follow the
renamed column by themselves).
"""

from django.db import migrations, models

INDEXES = [  # fields, old name, new name
    (["family_project_id", "-time", "-id"], "audit_root_time", "audit_family_time"),
    (["family_project_id", "action", "-time", "-id"], "audit_root_action", "audit_family_action"),
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.RenameField("auditevent", "root_project_id", "family_project_id"),
        migrations.AlterField(
            "auditevent",
            "family_project_id",
            models.CharField(
                "Family Project ID",
                max_length=26,
                blank=True,
                help_text="The top-level project's Project ID: a subproject's parent, or the "
                "project itself.",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                op
                for fields, old, _ in INDEXES
                for op in (
                    migrations.RemoveIndex("auditevent", old),
                    migrations.AddIndex("auditevent", models.Index(fields=fields, name=old)),
                )
            ]
        ),
        *(migrations.RenameIndex("auditevent", new, old) for _, old, new in INDEXES),
    ]
