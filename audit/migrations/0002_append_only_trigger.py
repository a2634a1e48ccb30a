"""On PostgreSQL, the database itself refuses to change or delete audit events.

A statement-level trigger refuses every UPDATE, and every DELETE except in a transaction
that has set `audit.purging` to on (SET LOCAL, so it ends with that transaction): only
audit.trail.purge_before() (the purge_audit_events command) does. This stops code that
goes around the ORM's guard (raw SQL, a shell, a future bug), not a database superuser,
who could drop the trigger. TRUNCATE is left alone: Django's test runner empties tables
with it, and it is not something application code issues.

SQLite has no session settings for the purge to set, so there the model's guard
(AuditEvent.save/delete, the queryset's update/delete) is the protection.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION audit_event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('audit.purging', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Only purge_audit_events deletes entries past the retention period.';
END;
$$;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # None: its "%" is not a placeholder


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
