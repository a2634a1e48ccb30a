"""Every write of billing: prices, closing a month, spend limits. The admin, the
commands, the dashboard and the API all call these; refusals are core.errors' typed
errors, and each change writes its audit entry in its own transaction.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import Account
from audit import trail
from core.actors import SYSTEM, Actor
from core.errors import InvalidValue, WrongState
from projects.models import Project
from usage import queries
from usage.metrics import CODES

from . import limits, money, prices
from . import statements as bills
from .models import (
    BillingPeriod,
    LimitMode,
    Price,
    PriceList,
    SpendLimit,
    Statement,
    StatementLine,
)

MAX_LIMIT_QUANTITY = 10**15


# --- Prices --------------------------------------------------------------------------


def _price_fields(price_list: PriceList | None, sheet: prices.PriceSheet) -> dict:
    """What the audit entry shows of a list: its currency and each price, as text."""
    fields = {"currency": sheet.currency}
    fields.update({metric: f"{price}" for metric, price in sorted(sheet.prices.items())})
    return fields


def _clean_prices(values: dict) -> dict[str, Decimal]:
    if not values:
        raise InvalidValue("Give at least one price, as METRIC=PRICE.", field="prices")
    cleaned = {}
    for metric, value in values.items():
        if metric not in CODES:
            raise InvalidValue(
                f"“{metric}” is not a metric; the metrics are {', '.join(CODES)}.", field="prices"
            )
        cleaned[metric] = money.clean_price(value, field=metric)
    return cleaned


@transaction.atomic
def prices_set(
    *,
    account: Account | None,
    prices_given: dict,
    currency: str | None = None,
    actor: Actor = SYSTEM,
) -> prices.PriceSheet:
    """Set unit prices of an account's list (its own list is made on the first change,
    starting from the default list's prices), or of the default list (`account=None`).

    Changing the currency reprices everything, so it needs a price for every metric,
    and is refused while the account has spend limits set as amounts in the old one.
    Returns the list as it now is.
    """
    given = _clean_prices(prices_given)
    currency = money.clean_currency(currency) if currency else None
    default = prices.default_sheet()
    stored = _lock_list(account, default)
    before = prices.PriceSheet(
        stored.currency, {p.metric: p.unit_price for p in stored.prices.all()}
    )
    if currency and currency != stored.currency:
        if missing := [code for code in CODES if code not in given]:
            raise InvalidValue(
                f"Changing the currency to {currency} needs a price for every metric; "
                f"missing: {', '.join(missing)}.",
                field="currency",
            )
        if account is not None:
            amounts = SpendLimit.objects.filter(
                project__account=account, amount__isnull=False
            ).exclude(currency=currency)
            if count := amounts.count():
                raise WrongState(
                    f"{count} spend limit(s) of this account are amounts in {stored.currency}: "
                    "change or remove them before changing the currency."
                )
        stored.currency = currency
        stored.save(update_fields=["currency", "updated_at"])
    for metric, price in given.items():
        Price.objects.update_or_create(
            price_list=stored, metric=metric, defaults={"unit_price": price}
        )
    after = prices.PriceSheet(stored.currency, {**before.prices, **given}, own=account is not None)
    changes = trail.diff(_price_fields(None, before), _price_fields(None, after))
    if changes:
        trail.record(
            actor,
            "price_list.update",
            account=account,
            target_id=account.public_id if account else "default",
            target_label=account.name if account else "Default price list",
            changes=changes,
        )
        if account is not None:
            ids = list(
                SpendLimit.objects.filter(project__account=account).values_list(
                    "project__public_id", flat=True
                )
            )
            transaction.on_commit(lambda: limits.evaluate_projects(ids))
    return after


def _lock_list(account: Account | None, default: prices.PriceSheet) -> PriceList:
    """The list to change, locked; an account's own list is made from the default's
    prices the first time (a concurrent first change waits on the unique account)."""
    lists = PriceList.objects.select_for_update()
    lookup = {"account": account} if account is not None else {"is_default": True}
    stored = lists.filter(**lookup).first()
    if stored is None:
        try:
            with transaction.atomic():
                stored = PriceList.objects.create(
                    **lookup, currency=default.currency if account else prices.DEFAULT_CURRENCY
                )
                source = default.prices if account else prices.DEFAULT_PRICES
                Price.objects.bulk_create(
                    Price(price_list=stored, metric=m, unit_price=p) for m, p in source.items()
                )
        except IntegrityError:  # made by a concurrent call a moment ago
            pass
        stored = lists.get(**lookup)
    return stored


# --- Closing a month -----------------------------------------------------------------


@dataclass
class Closed:
    """What closing a month did (or, with dry_run, would do)."""

    month: date
    dry_run: bool = False
    already_closed_at: datetime | None = None
    statements: list[bills.MonthStatement] = field(default_factory=list)
    existing: int = 0  # parents whose statement was already stored
    empty: int = 0  # parents with nothing to bill

    @property
    def totals(self) -> dict[str, Decimal]:
        """{currency: total of the statements made}."""
        sums = {}
        for statement in self.statements:
            sums[statement.currency] = sums.get(statement.currency, Decimal(0)) + statement.total
        return sums


def billing_period_close(
    *, month: date, dry_run: bool = False, actor: Actor = SYSTEM, now=None, progress=None
) -> Closed:
    """Freeze every top-level project's statement of a past month.

    Idempotent: a month already closed changes nothing; a close that stopped half-way
    (a crash) goes on where it stopped, since each parent's statement is stored in its
    own transaction and skipped once stored. Two closes at once make one statement per
    parent (the unique (project, month) decides). Parents with usage in the month, or
    unbilled late usage of the months before it, get a statement; others none. The
    month is recorded as closed (BillingPeriod) when every parent is done.
    """
    now = now or timezone.now()
    current = bills.current_month(now)
    if month >= current:
        raise WrongState(
            f"{month:%Y-%m} is not over yet: only months before {current:%Y-%m} can be closed."
        )
    result = Closed(month, dry_run=dry_run)
    period = BillingPeriod.objects.filter(month=month).first()
    if period is not None:
        result.already_closed_at = period.closed_at
        return result
    candidates = queries.top_levels_with_usage([month, *bills.late_window(month)])
    done = set(Statement.objects.filter(month=month).values_list("project_public_id", flat=True))
    todo = [public_id for public_id in candidates if public_id not in done]
    result.existing = len(candidates) - len(todo)
    sheets = {}
    for start in range(0, len(todo), 500):
        parents = Project.objects.filter(
            public_id__in=todo[start : start + 500], parent__isnull=True
        ).select_related("account")
        for parent in sorted(parents, key=lambda p: p.public_id):
            if parent.account_id not in sheets:
                sheets[parent.account_id] = prices.sheet_for(parent.account_id)
            found = bills.estimates(parent, [month], sheet=sheets[parent.account_id])
            statement = found.get(month)  # None: a concurrent close stored it a moment ago
            if statement is None:
                result.existing += 1
            elif not statement.lines:
                result.empty += 1
            elif dry_run or _store(parent, statement, actor=actor, now=now):
                result.statements.append(statement)
            else:
                result.existing += 1
            if progress and statement is not None:
                progress(parent, statement)
    if not dry_run:
        made = len(result.statements)
        try:
            with transaction.atomic():
                BillingPeriod.objects.create(
                    month=month, closed_at=now, closed_by=actor.id[:64], statements=made
                )
        except IntegrityError:  # a concurrent close finished first
            pass
    return result


_LINE_COLUMNS = ("statement", *StatementLine.FIELDS)


def _insert_lines(statement_id: int, lines) -> None:
    """Write the lines in bulk, in the caller's transaction: COPY on PostgreSQL, one
    executemany on SQLite. Measured (bench/billing.py, 5,005 lines): bulk_create built a
    model instance per line and was 90 % of a close (0.46 of 0.52 s on SQLite); on
    PostgreSQL executemany costs a round trip per line, and one multi-row INSERT spends
    its time in the driver parsing 40,000 placeholders."""
    meta, ops = StatementLine._meta, connection.ops
    columns = [meta.get_field(name).column for name in _LINE_COLUMNS]
    table, names = ops.quote_name(meta.db_table), ", ".join(map(ops.quote_name, columns))
    rows = [
        (
            statement_id,
            line.project_public_id,
            line.project_name[:255],
            line.metric,
            line.usage_month,
            line.quantity,
            line.unit_price,
            line.amount,
        )
        for line in lines
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        adapted = [
            (*row[:4], ops.adapt_datefield_value(row[4]), row[5], str(row[6]), str(row[7]))
            for row in rows
        ]
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({placeholders})",  # noqa: S608 - model names
            adapted,
        )


def _store(parent: Project, statement: bills.MonthStatement, *, actor, now) -> bool:
    """Store one parent's statement and its lines, and the audit entry, together.
    False when a concurrent close stored it first (the unique constraint)."""
    try:
        with transaction.atomic():
            stored = Statement.objects.create(
                project=parent,
                project_public_id=parent.public_id,
                project_name=parent.name,
                month=statement.month,
                currency=statement.currency,
                total=statement.total,
                closed_at=now,
            )
            _insert_lines(stored.pk, statement.lines)
            trail.record(
                actor,
                "statement.close",
                project=parent,
                changes=trail.created(
                    {
                        "month": f"{statement.month:%Y-%m}",
                        "currency": statement.currency,
                        "total": statement.total_text,
                        "lines": len(statement.lines),
                    }
                ),
            )
    except IntegrityError:
        return False
    statement.status = bills.CLOSED
    statement.closed_at = now
    return True


# --- Spend limits --------------------------------------------------------------------


def _limit_fields(limit: SpendLimit | None) -> dict:
    if limit is None:
        return {}
    return {
        "amount": money.text(limit.amount, limit.currency) if limit.amount is not None else None,
        "currency": limit.currency or None,
        "quantities": limit.quantities or None,
        "mode": limit.mode,
    }


def _clean_quantities(quantities: dict) -> dict[str, int]:
    cleaned = {}
    for metric, value in quantities.items():
        if metric not in CODES:
            raise InvalidValue(
                f"“{metric}” is not a metric; the metrics are {', '.join(CODES)}.",
                field="quantities",
            )
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value.strip())
            else:
                raise InvalidValue(f"{metric}: must be a whole number.", field="quantities")
        if not 1 <= value <= MAX_LIMIT_QUANTITY:
            raise InvalidValue(
                f"{metric}: must be from 1 to {MAX_LIMIT_QUANTITY:,}.", field="quantities"
            )
        cleaned[metric] = value
    return cleaned


def _check_subproject(project: Project) -> None:
    if project.parent_id is None:
        raise WrongState(
            "Spend limits are set on subprojects: a top-level project pays its own bill."
        )
    if project.removed_at is not None:
        raise WrongState("The subproject has been removed: restore it to set its spend limit.")


def spend_limit_set(
    *,
    project: Project,
    mode: str,
    amount=None,
    quantities: dict | None = None,
    actor: Actor = SYSTEM,
    now=None,
) -> SpendLimit:
    """Set (or replace) a subproject's monthly spend limit: an `amount` in its account's
    currency, or `quantities` {metric: whole number}; `mode` notify or block. It is
    evaluated at once, in the same transaction (a limit set below this month's usage
    fires its alerts and, in block mode, blocks sending)."""
    _check_subproject(project)
    if mode not in LimitMode.values:
        raise InvalidValue(f"must be one of {', '.join(LimitMode.values)}.", field="mode")
    if (amount in (None, "")) == (not quantities):
        raise InvalidValue(
            "Set either an amount or quantities per metric, not both and not neither.",
            field="amount",
        )
    currency = ""
    if amount not in (None, ""):
        currency = prices.sheet_for(project.account_id).currency
        amount = money.clean_amount(amount, currency)
        quantities = {}
    else:
        amount = None
        quantities = _clean_quantities(quantities)
    with transaction.atomic():
        stored = _locked_limit(project)
        before = _limit_fields(stored)
        if stored is None:
            stored = SpendLimit(project=project)
        stored.amount, stored.currency, stored.quantities, stored.mode = (
            amount,
            currency,
            quantities,
            mode,
        )
        if before:
            stored.save(update_fields=["amount", "currency", "quantities", "mode", "updated_at"])
        else:
            try:
                with transaction.atomic():
                    stored.save(force_insert=True)
            except IntegrityError:  # a concurrent first set: change that one instead
                return spend_limit_set(
                    project=project,
                    mode=mode,
                    amount=amount,
                    quantities=quantities,
                    actor=actor,
                    now=now,
                )
        stored.project = project
        after = _limit_fields(stored)
        if changes := trail.diff(before, after):
            trail.record(actor, "spend_limit.set", project=project, changes=changes)
        limits.evaluate_locked([stored], now=now)
    return stored


def _locked_limit(project: Project) -> SpendLimit | None:
    return SpendLimit.objects.select_for_update().filter(project=project).first()


@transaction.atomic
def spend_limit_remove(*, project: Project, actor: Actor = SYSTEM) -> bool:
    """Remove a subproject's limit (sending is no longer limited); False if none."""
    stored = _locked_limit(project)
    if stored is None:
        return False
    changes = trail.deleted(_limit_fields(stored))
    SpendLimit.objects.filter(pk=stored.pk).delete()
    trail.record(actor, "spend_limit.remove", project=project, changes=changes)
    return True
