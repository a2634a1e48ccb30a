"""Migrations that never lock a big table for long (docs/operations.md, "Upgrading").

- AddIndexConcurrently: CREATE INDEX CONCURRENTLY on PostgreSQL (reads and writes go on
  while the index is built; the migration must be `atomic = False`), a plain CREATE
  INDEX elsewhere (SQLite has no such thing, and one process writes at a time anyway).
- set_lock_timeout: before `migrate` runs, PostgreSQL's lock_timeout for its session
  (MIGRATION_LOCK_TIMEOUT seconds). A migration's ALTER TABLE waits for the lock behind
  every running query, and every query that comes after waits behind it: with a
  timeout the migration fails after a moment (run it again) instead of stopping all
  traffic on that table for as long as the slowest query runs.
"""

from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently as _PostgresConcurrently
from django.db import connections
from django.db.migrations.operations import AddIndex


class AddIndexConcurrently(_PostgresConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)
        return super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
        return super().database_backwards(app_label, schema_editor, from_state, to_state)


def set_lock_timeout(sender, using="default", **kwargs):
    """pre_migrate receiver: sent once per app before the migrations run, on the
    connection they run on; setting it again is harmless."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, false)",
                [f"{settings.MIGRATION_LOCK_TIMEOUT * 1000:.0f}ms"],
            )
