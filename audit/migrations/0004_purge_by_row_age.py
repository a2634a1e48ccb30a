"""On PostgreSQL, deleting audit events is allowed by their age, not by a session
setting; TRUNCATE is refused.

0002's trigger let a DELETE through in any transaction that had set `audit.purging`,
which any session can set: the whole trail could be emptied with two statements, and
TRUNCATE was not covered at all. Now:

- UPDATE: refused, always (the same statement-level trigger, same name).
- DELETE: a row-level trigger lets each row through only if it is older than
  audit.trail.RETENTION_FLOOR_DAYS (365 days: a yearly review sees the whole year),
  and refuses the statement otherwise. Nothing a session sets changes that; the purge
  (purge_audit_events) never deletes younger entries anyway.
- TRUNCATE: refused unless the current role is a superuser (who could drop the trigger
  anyway; Django's test runner empties tables with TRUNCATE as one). The application's
  own database role must not be a superuser (docs/operations.md).

A role that owns the table can still disable the triggers (ALTER TABLE): this guards
against the application's statements (raw SQL, a shell, a bug, an injection), not
against the table's owner.
"""

from django.db import migrations

FLOOR_DAYS = 365  # audit.trail.RETENTION_FLOOR_DAYS, written out: a migration never changes

CREATE = f"""
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_LEVEL = 'ROW'
            AND OLD.time < statement_timestamp() - interval '{FLOOR_DAYS} days' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'TRUNCATE'
            AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Only purge_audit_events deletes entries, and only those older '
                     'than {FLOOR_DAYS} days.';
END;
$$;
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_old_rows_only
    BEFORE DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
"""

# Back to 0002's trigger.
DROP = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_old_rows_only ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
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


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # None: its "%" is not a placeholder


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_family")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
