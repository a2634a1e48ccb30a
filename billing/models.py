"""Billing: price lists, monthly statements (frozen when their month is closed), and
spend limits per subproject with their alerts.

A statement belongs to a top-level project and a calendar month (UTC). Until the month
is closed it is an *estimate*, computed live from the usage totals and today's prices
(billing/statements.py); nothing is stored. Closing the month (close_billing_period)
stores a Statement and its StatementLines with snapshots of everything they show (the
Project ID and name, metric, quantity, unit price, amount, currency): from then on they
never change, whatever happens to prices, names or subprojects, and the models refuse
to update or delete them.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from accounts.models import Account
from projects.models import Project
from usage.metrics import CODE_MAX_LENGTH
from usage.models import PUBLIC_ID_LENGTH

from .money import AMOUNT_DECIMALS, AMOUNT_MAX_DIGITS, PRICE_DECIMALS, PRICE_MAX_DIGITS


class PriceList(models.Model):
    """The unit price of each metric in one currency: an account's own list, or the
    default list (is_default, no account) that every account without its own pays."""

    account = models.OneToOneField(
        Account, null=True, blank=True, on_delete=models.PROTECT, related_name="price_list"
    )
    is_default = models.BooleanField(default=False, editable=False)
    currency = models.CharField(max_length=3, help_text="ISO 4217, e.g. EUR")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="price_list_one_default"
            ),
            # The default list has no account; every other list has one.
            models.CheckConstraint(
                condition=Q(is_default=True, account__isnull=True)
                | Q(is_default=False, account__isnull=False),
                name="price_list_default_xor_account",
            ),
        ]

    def __str__(self):
        return "Default price list" if self.is_default else f"Price list of {self.account}"


class Price(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="prices")
    metric = models.CharField(max_length=CODE_MAX_LENGTH)
    unit_price = models.DecimalField(max_digits=PRICE_MAX_DIGITS, decimal_places=PRICE_DECIMALS)

    class Meta:
        ordering = ["price_list", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["price_list", "metric"], name="price_unique_metric"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="price_not_negative"),
        ]

    def __str__(self):
        return f"{self.metric}: {self.unit_price}"


class Frozen(Exception):
    """Raised by any attempt to change or delete a closed month's statement."""

    def __init__(self):
        super().__init__("A closed month's statement never changes.")


class FrozenQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise Frozen()

    def delete(self):
        raise Frozen()


class FrozenModel(models.Model):
    """Rows written once, at close, and never changed or deleted through the ORM."""

    objects = FrozenQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Frozen()


class BillingPeriod(models.Model):
    """A closed calendar month (every statement of it stored). Written when
    close_billing_period finishes the month; a month with this row is CLOSED for every
    top-level project, including those that had no usage (no statement)."""

    month = models.DateField(unique=True, help_text="The first day of the month")
    closed_at = models.DateTimeField()
    closed_by = models.CharField(max_length=64, help_text="The command or user that closed it")
    statements = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%Y-%m} (closed)"


class Statement(FrozenModel):
    """A top-level project's bill for one closed month: one per (project, month)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="statements")
    project_public_id = models.CharField("Project ID", max_length=PUBLIC_ID_LENGTH)
    project_name = models.CharField("Project name at close", max_length=255)
    month = models.DateField(help_text="The first day of the month")
    currency = models.CharField(max_length=3)
    total = models.DecimalField(max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMALS)
    closed_at = models.DateTimeField()

    class Meta:
        ordering = ["-month", "project_public_id"]
        constraints = [
            # Two closes at once make one statement: the second one's INSERT fails here.
            models.UniqueConstraint(fields=["project", "month"], name="statement_unique_month"),
        ]
        indexes = [models.Index(fields=["month"], name="statement_month")]

    def __str__(self):
        return f"{self.project_name} {self.month:%Y-%m}: {self.total} {self.currency}"


class StatementLine(FrozenModel):
    """One subproject (or the parent itself) and metric on a closed statement.

    `usage_month` is the month the usage happened in: the statement's own month, or an
    earlier, already closed one (late usage, billed in the next open month)."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="lines")
    project_public_id = models.CharField("Project ID", max_length=PUBLIC_ID_LENGTH)
    project_name = models.CharField("Project name at close", max_length=255)
    metric = models.CharField(max_length=CODE_MAX_LENGTH)
    usage_month = models.DateField()
    quantity = models.BigIntegerField()
    unit_price = models.DecimalField(max_digits=PRICE_MAX_DIGITS, decimal_places=PRICE_DECIMALS)
    amount = models.DecimalField(max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMALS)

    # What a line says, in this order (the admin's columns, COPY's, stored()'s tuples).
    FIELDS = (
        "project_public_id",
        "project_name",
        "metric",
        "usage_month",
        "quantity",
        "unit_price",
        "amount",
    )

    class Meta:
        ordering = ["statement", "id"]
        indexes = [
            # What was billed for a month (late usage is usage minus this).
            models.Index(fields=["statement", "usage_month"], name="statement_line_usage_month"),
        ]

    def __str__(self):
        return f"{self.project_public_id} {self.metric} {self.usage_month:%Y-%m}: {self.amount}"


# A share of a limit, in percent (billing.limits.PERCENT_MAX is the largest stored).
PERCENT_MAX_DIGITS = 12
PERCENT_DECIMALS = 1


class LimitMode(models.TextChoices):
    NOTIFY = "notify", "Notify"  # alerts only
    BLOCK = "block", "Block"  # alerts, and sending refused once 100 % is reached


class SpendLimit(models.Model):
    """A subproject's monthly limit: an amount in its account's currency, or a quantity
    of one or more metrics. billing/limits.py keeps its state (`percent`, `exceeded_in`)
    when usage arrives, when the limit changes, and in check_spend_limits."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="spend_limit")
    amount = models.DecimalField(
        max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMALS, null=True, blank=True
    )
    currency = models.CharField(max_length=3, blank=True)
    quantities = models.JSONField(default=dict, blank=True)  # {metric: whole number}
    mode = models.CharField(max_length=8, choices=LimitMode.choices, default=LimitMode.NOTIFY)
    # State in `month` (the month last evaluated): the share of the limit used, and the
    # month in which 100 % was reached (the flag in lists; blocks sending in block mode).
    month = models.DateField(null=True, blank=True)
    percent = models.DecimalField(
        max_digits=PERCENT_MAX_DIGITS, decimal_places=PERCENT_DECIMALS, default=0
    )
    exceeded_in = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # An amount or quantities, never both (billing.services.spend_limit_set).
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="spend_limit_amount"
            ),
            models.CheckConstraint(condition=Q(mode__in=LimitMode.values), name="spend_limit_mode"),
        ]

    def __str__(self):
        return f"Spend limit of {self.project_id}"

    @staticmethod
    def exceeded(month, *, of: str = "") -> Q:
        """Limits whose usage reached 100 % in `month` (the current month, for the
        badges and blocking), as a condition on limits; `of="spend_limit__"` on their
        projects. The one place that rule is written: is_exceeded_in says the same of
        one limit already read (tests/billing/test_spend_limit_flags.py)."""
        return Q(**{f"{of}exceeded_in": month})

    def is_exceeded_in(self, month) -> bool:
        """As SpendLimit.exceeded(month), for this limit."""
        return self.exceeded_in == month

    def percent_used_in(self, month) -> Decimal:
        """The share of the limit used in `month` (the current month, for the pages and
        the API), in percent: its state is that of an earlier month until usage of this
        one arrives, and then nothing is used yet."""
        return self.percent if self.month == month else Decimal(0)

    def blocks_sending_in(self, month) -> bool:
        """Whether the platform refuses this subproject's messages in `month`: a block
        mode limit exceeded then."""
        return self.mode == LimitMode.BLOCK and self.is_exceeded_in(month)


class SpendAlert(models.Model):
    """One alert (50, 80 or 100 % of a limit) sent for a subproject in a month. The
    unique key makes it once: whoever inserts the row sends the email."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    threshold = models.PositiveSmallIntegerField()
    percent = models.DecimalField(max_digits=PERCENT_MAX_DIGITS, decimal_places=PERCENT_DECIMALS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month", "threshold"], name="spend_alert_once"
            ),
        ]

    def __str__(self):
        return f"{self.threshold}% of {self.project_id} in {self.month:%Y-%m}"
