"""Reading the audit trail in tests."""

import re

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent


def only_event(action: str | None = None) -> AuditEvent:
    """The one entry (with this action): fails if there are none or several."""
    events = AuditEvent.objects.all()
    if action is not None:
        events = events.filter(action=action)
    found = list(events)
    assert len(found) == 1, [(e.action, e.target_id) for e in AuditEvent.objects.all()]
    return found[0]


def actions() -> list[str]:
    """Every entry's action, oldest first."""
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


class Statements(CaptureQueriesContext):
    """The SQL statements run inside the block, as (verb, table) pairs, savepoints left
    out (their number depends on how the test nests transactions)."""

    def __init__(self):
        super().__init__(connection)

    @property
    def kinds(self) -> list[tuple[str, str]]:
        found = []
        for query in self.captured_queries:
            sql = query["sql"]
            verb = sql.split(None, 1)[0].upper()
            if verb in ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT"):
                continue
            match = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql, re.IGNORECASE)
            found.append((verb, match.group(1) if match else ""))
        return found

    def inserts_into(self, table: str) -> int:
        return sum(1 for verb, name in self.kinds if verb == "INSERT" and name == table)


def recording_cost(monkeypatch, scenario) -> list[tuple[str, str]]:
    """The statements that writing the audit entry adds to a change.

    `scenario()` sets up fresh objects and returns the call that makes the change; it
    runs twice, once with the trail's writes switched off, and the difference of the
    two runs' statements is returned (savepoints aside).
    """
    from audit import trail

    call = scenario()
    with monkeypatch.context() as patched:
        patched.setattr(trail, "record", lambda *args, **kwargs: None)
        patched.setattr(trail, "record_many", lambda *args, **kwargs: None)
        with Statements() as without:
            call()
    call = scenario()
    # Without the trail's listeners: the events an entry stands for (events.from_audit)
    # have their own cost, counted by tests/events/test_outbox.py.
    with monkeypatch.context() as patched, Statements() as with_entry:
        patched.setattr(trail, "_listeners", [])
        call()
    added = list(with_entry.kinds)
    for statement in without.kinds:
        assert statement in added, (statement, with_entry.kinds)
        added.remove(statement)
    return added


def move_in_time(event: AuditEvent, when) -> None:
    """Move an entry in time (tests only: the trail itself never changes), through the
    raw table with PostgreSQL's append-only trigger switched off for the statement."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(
            "UPDATE audit_auditevent SET time = %s WHERE id = %s",
            [connection.ops.adapt_datetimefield_value(when), event.pk],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
