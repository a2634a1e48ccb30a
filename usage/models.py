"""Usage: raw records, the totals rolled up from them, tombstones, platform tokens.

Usage outlives the projects it measures. A subproject can be removed and then purged
(its row deleted), yet its usage and its parent's past totals must stay as they were,
so no usage row has a foreign key to Project: rows are keyed by the Project ID (the
public ULID, which is never reused) and carry the Project ID of the family they roll up
to (a top-level project and its subprojects, named by the top-level project's ID: the
parent of a subproject, or the project itself), written at ingest: a parent never
changes. A family's usage, the top-level project and every subproject (active, removed
or purged), is then one equality on an indexed column.

Reads never scan raw records: every record is added, in the transaction that stores it,
to its project's day and month and to its family's day (usage/storage.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Account

from .metrics import CODE_MAX_LENGTH

PUBLIC_ID_LENGTH = 26
# A family is a top-level project and its subprojects, named by the top-level project.
FAMILY_HELP = "The top-level project's Project ID: a subproject's parent, or the project itself."
RECORD_ID_MAX_LENGTH = 128


class UsageRecord(models.Model):
    """One record as a platform service sent it: a quantity of a metric in one hour.

    Kept USAGE_RECORD_RETENTION_DAYS (purge_usage_records removes older ones); a
    record for an older hour is refused, so a very late retry can never count twice.

    On PostgreSQL the table is partitioned by month of `hour` (usage/partitions.py,
    ADR 0118) and its real primary key is (record_id, hour): a partitioned table's
    unique keys must hold the partition key. A record ID is still unique, because a
    record is stored only after its ID went into UsageRecordKey; Django's `record_id`
    primary key says so to the ORM.
    """

    record_id = models.CharField(max_length=RECORD_ID_MAX_LENGTH, primary_key=True)
    project_public_id = models.CharField("Project ID", max_length=PUBLIC_ID_LENGTH)
    metric = models.CharField(max_length=CODE_MAX_LENGTH)
    hour = models.DateTimeField(help_text="UTC, the start of the hour")
    quantity = models.BigIntegerField()
    received_at = models.DateTimeField(db_default=models.functions.Now())

    class Meta:
        # The retention purge's index on `hour` is made by migration 0002: a BRIN index
        # on PostgreSQL (records arrive roughly in hour order; it costs next to nothing
        # per insert, unlike a B-tree), a plain one on SQLite.
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="usage_record_quantity"),
        ]

    def __str__(self):
        return self.record_id


class UsageRecordKey(models.Model):
    """The ID of every stored usage record, in one unpartitioned table (ADR 0119):
    what decides that a record is new (INSERT … ON CONFLICT (record_id) DO NOTHING
    RETURNING), whatever month its hour falls in. Purged with the records' window.
    """

    record_id = models.CharField(max_length=RECORD_ID_MAX_LENGTH, primary_key=True)
    # The retention purge deletes by hour, in batches (this table is narrow); its index
    # is made by migration 0006, BRIN on PostgreSQL like the records' was (0002).
    hour = models.DateTimeField()

    def __str__(self):
        return self.record_id


class ProjectTotal(models.Model):
    """A project's total of one metric over a stretch of time (a day, a month)."""

    project_public_id = models.CharField("Project ID", max_length=PUBLIC_ID_LENGTH)
    family_public_id = models.CharField(
        "Family Project ID",
        max_length=PUBLIC_ID_LENGTH,
        help_text=FAMILY_HELP,
    )
    metric = models.CharField(max_length=CODE_MAX_LENGTH)
    quantity = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class DailyUsage(ProjectTotal):
    """A project's total of one metric on one UTC day."""

    day = models.DateField()

    class Meta:
        verbose_name_plural = "daily usage"
        constraints = [
            # The upsert's conflict target; also serves one project's reads in order.
            models.UniqueConstraint(
                fields=["project_public_id", "metric", "day"], name="daily_usage_key"
            ),
        ]
        indexes = [
            # A family's usage, grouped per project and metric in index order
            # (the Usage API's pages stop early instead of aggregating everything).
            models.Index(
                fields=["family_public_id", "project_public_id", "metric", "day"],
                name="daily_usage_family",
            ),
            # A family's days in a range (the days around whole months).
            models.Index(fields=["family_public_id", "day"], name="daily_usage_family_day"),
        ]

    def __str__(self):
        return f"{self.project_public_id} {self.metric} {self.day}: {self.quantity}"


class MonthlyUsage(ProjectTotal):
    """A project's total of one metric in one calendar month (UTC); `month` is its
    first day. The Usage page reads whole months here instead of their days, so a
    parent with a thousand subprojects costs little more than one with ten; monthly
    statements (billing) read these too."""

    month = models.DateField(help_text="The first day of the month")

    class Meta:
        verbose_name_plural = "monthly usage"
        constraints = [
            models.UniqueConstraint(
                fields=["project_public_id", "metric", "month"], name="monthly_usage_key"
            ),
        ]
        indexes = [
            models.Index(fields=["family_public_id", "month"], name="monthly_usage_family"),
        ]

    def __str__(self):
        return f"{self.project_public_id} {self.metric} {self.month:%Y-%m}: {self.quantity}"


class FamilyDailyUsage(models.Model):
    """A family (a top-level project and all its subprojects) together: one metric on
    one day.

    The Usage page's chart and totals of a parent read these (at most one row per
    metric and day) rather than summing every subproject's days.
    """

    family_public_id = models.CharField(
        "Family Project ID", max_length=PUBLIC_ID_LENGTH, help_text=FAMILY_HELP
    )
    metric = models.CharField(max_length=CODE_MAX_LENGTH)
    day = models.DateField()
    quantity = models.BigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "family daily usage"
        constraints = [
            models.UniqueConstraint(
                fields=["family_public_id", "metric", "day"], name="family_daily_usage_key"
            ),
        ]

    def __str__(self):
        return f"{self.family_public_id} {self.metric} {self.day}: {self.quantity}"


class PurgedProject(models.Model):
    """What is left of a purged subproject: enough for usage history to name it.

    Written by projects.services.purge_removed_subprojects in the transaction that
    deletes the subproject. Late usage records for it are still accepted.
    """

    public_id = models.CharField("Project ID", max_length=PUBLIC_ID_LENGTH, unique=True)
    name = models.CharField(max_length=255)
    parent_public_id = models.CharField(
        "Parent Project ID", max_length=PUBLIC_ID_LENGTH, db_index=True
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True)
    purged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-purged_at", "public_id"]

    def __str__(self):
        return f"{self.name} ({self.public_id}, purged)"


# What a platform token may call (ADR 0114): `ingest` (POST usage:batchRecord) and
# `limits` (GET projects/{id}/limits). Stored space-separated, like OAuth scopes.
PLATFORM_SCOPES = {
    "ingest": "Report usage (POST /api/internal/v1/usage:batchRecord)",
    "limits": "Ask whether a project may send (GET /api/internal/v1/projects/{id}/limits)",
}
# Tokens made before scopes existed keep both, so no running service breaks.
ALL_PLATFORM_SCOPES = " ".join(PLATFORM_SCOPES)


class PlatformToken(models.Model):
    """A credential of the platform's own services for the internal API (usage ingest).

    Hashed like access keys (core.credentials, with its own prefix); the secret is
    shown once, when the token is created. Never accepted by the customer API, and
    customer keys are never accepted by the internal API.
    """

    token_id = models.CharField("Token ID", max_length=36, unique=True, editable=False)
    name = models.CharField(max_length=255)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Space-separated names of PLATFORM_SCOPES.
    scopes = models.CharField(
        max_length=64, default=ALL_PLATFORM_SCOPES, db_default=ALL_PLATFORM_SCOPES
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "token_id"]

    def __str__(self):
        return f"{self.name} ({self.token_id})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes.split()
