"""The audit trail: who did what to which project, when, from where.

Write an entry with `audit.trail.record(actor, action, ...)` inside the transaction of
the change it describes (see that function). Entries are append-only: the model, the
admin and, on PostgreSQL, a trigger refuse to change or delete them; only
`purge_audit_events` (retention) deletes old ones.
"""
