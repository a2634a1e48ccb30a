"""Records that every app shares: idempotency records and failure counters.

Both live in the database, never in one process's memory or only in a cache: every app
server sees them, they are atomic by the database's own constraints, and they keep
working when the cache does not.
"""

from django.db import models


class IdempotencyRecord(models.Model):
    """One intended creation, named by its client: an API Idempotency-Key or a form's
    one-time token (core.idempotency). `result` is the ID of what was created, written in
    the same transaction as the thing itself; empty while nothing has been created."""

    scope = models.CharField(max_length=100)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, blank=True)
    result = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_unique_key"),
        ]

    def __str__(self):
        return f"{self.scope} {self.key}"


class FailureCount(models.Model):
    """Failed attempts (sign-ins, API credentials) of one subject in a sliding window.

    `key` names the limit and a digest of the subject (an email, an address); see
    core.failures, which counts with one atomic statement.
    """

    key = models.CharField(max_length=100, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"


class ScheduledJob(models.Model):
    """When a job of settings.TASK_SCHEDULE is next due (core.schedule). Workers enqueue
    a due job and move its time on in one transaction, the row locked, so a job is
    enqueued once per due time however many workers tick."""

    name = models.CharField(max_length=100, primary_key=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} at {self.next_run_at:%Y-%m-%d %H:%M}"


class JobRun(models.Model):
    """The last runs of one scheduled job (core.jobs.recorded): when it last succeeded,
    with what counts and in how long, when it last failed and why, and when it last
    found another run at work. /metrics and the admin show these."""

    name = models.CharField(max_length=100, primary_key=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    last_counts = models.JSONField(default=dict, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    last_skipped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "job run"

    def __str__(self):
        return self.name
