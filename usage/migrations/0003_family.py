"""One name for a top-level project and its subprojects: its family.

The column that names a row's family becomes family_public_id (was top_level_public_id)
and its indexes are named after it. On PostgreSQL each step changes only the catalog
(ALTER TABLE … RENAME COLUMN, ALTER INDEX … RENAME): no table or index is rewritten,
and each lock is held for an instant. SQLite renames the column in its schema; it
cannot rename an index, so Django builds the three renamed indexes again there.

RenameField does not update the fields named in the models' indexes and constraints in
Django's migration state: the state-only steps below do (the database's indexes follow
the renamed column by themselves).
"""

from django.db import migrations, models

HELP = "The top-level project's Project ID: a subproject's parent, or the project itself."
MODELS = ("dailyusage", "monthlyusage", "familydailyusage")
INDEXES = [  # model, fields, old name, new name
    (
        "dailyusage",
        ["family_public_id", "project_public_id", "metric", "day"],
        "daily_usage_top_level",
        "daily_usage_family",
    ),
    ("dailyusage", ["family_public_id", "day"], "daily_usage_top_level_day", "daily_usage_family_day"),
    ("monthlyusage", ["family_public_id", "month"], "monthly_usage_top_level", "monthly_usage_family"),
]
FAMILY_KEY = models.UniqueConstraint(
    fields=["family_public_id", "metric", "day"], name="family_daily_usage_key"
)


class Migration(migrations.Migration):
    dependencies = [("usage", "0002_postgresql_storage")]

    operations = [
        *(migrations.RenameField(m, "top_level_public_id", "family_public_id") for m in MODELS),
        *(
            migrations.AlterField(
                m,
                "family_public_id",
                models.CharField("Family Project ID", max_length=26, help_text=HELP),
            )
            for m in MODELS
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                *(
                    op
                    for model, fields, old, _ in INDEXES
                    for op in (
                        migrations.RemoveIndex(model, old),
                        migrations.AddIndex(model, models.Index(fields=fields, name=old)),
                    )
                ),
                migrations.RemoveConstraint("familydailyusage", "family_daily_usage_key"),
                migrations.AddConstraint("familydailyusage", FAMILY_KEY),
            ]
        ),
        *(migrations.RenameIndex(model, new, old) for model, _, old, new in INDEXES),
    ]
