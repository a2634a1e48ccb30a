"""Monthly statements of a top-level project: estimates computed live, closed ones read.

A statement is a top-level project's bill for one calendar month (UTC): one line per
project (the parent's own usage and each subproject's, removed and purged ones
included) and metric, quantity x unit price, each line's amount rounded once
(billing.money.line_amount); the total is the sum of the lines.

- An open month (the current one, or a past one not closed yet) is an ESTIMATE: its
  lines come from the month totals (usage.queries.monthly_totals) and today's prices,
  every time it is shown.
- A closed month is what close_billing_period stored (models.Statement), and never
  changes.
- Late usage: usage can arrive for a month after it was closed, up to
  USAGE_RECORD_RETENTION_DAYS after its hour. It is billed in the next open month, on
  lines marked "late usage for YYYY-MM": for each closed month C in that month's
  window, the usage of C now minus what every statement has billed for C so far. Only
  the months that late usage can still reach are read (`late_window`), so the cost
  does not grow with history.

Every read here uses the usage totals, never raw records, and a fixed number of
queries whatever the number of subprojects.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone

from projects.models import Project
from usage import queries
from usage.metrics import CATALOGUE, METRICS
from usage.periods import add_months, month_of
from usage.queries import Scope

from . import money, prices
from .models import BillingPeriod, Statement, StatementLine

ESTIMATE, CLOSED = "ESTIMATE", "CLOSED"
# Open months before the current one that the Billing page and the API still show as
# estimates (a month cron has not closed yet); older open months are closed by
# close_billing_period YYYY-MM whenever an operator runs it.
OPEN_MONTHS_SHOWN = 12
_METRIC_ORDER = {metric.code: i for i, metric in enumerate(CATALOGUE)}


def current_month(now: datetime | None = None) -> date:
    return month_of(now or timezone.now())


def late_window(month: date) -> list[date]:
    """The earlier months whose late usage can still be billed in `month`: those whose
    usage may arrive on or after `month` begins (records up to the retention window
    old are accepted), oldest first."""
    oldest = month_of(month - timedelta(days=settings.USAGE_RECORD_RETENTION_DAYS + 1))
    months, cursor = [], oldest
    while cursor < month:
        months.append(cursor)
        cursor = add_months(cursor, 1)
    return months


@dataclass(frozen=True)
class Line:
    project_public_id: str
    project_name: str
    state: str  # usage.queries' ACTIVE, REMOVED, PURGED, UNKNOWN ("" on closed lines)
    metric: str
    usage_month: date
    quantity: int
    unit_price: Decimal
    amount: Decimal

    @property
    def unit(self) -> str:
        return METRICS[self.metric].unit if self.metric in METRICS else ""


@dataclass
class MonthStatement:
    parent_public_id: str
    month: date
    status: str  # ESTIMATE or CLOSED
    currency: str
    lines: list[Line] = field(default_factory=list)
    closed_at: datetime | None = None
    stored_total: Decimal | None = None  # a closed statement's total as stored
    unit_prices: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        if self.stored_total is not None:
            return self.stored_total
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def total_text(self) -> str:
        return money.text(self.total, self.currency)

    @property
    def is_closed(self) -> bool:
        return self.status == CLOSED

    @property
    def late_months(self) -> list[date]:
        return sorted({line.usage_month for line in self.lines if line.usage_month != self.month})


def closed_months(parent: Project, months) -> set[date]:
    """Which of `months` are closed for this parent: closed for everyone (BillingPeriod)
    or already holding its statement (a close still running). One query."""
    months = list(months)
    everyone = BillingPeriod.objects.filter(month__in=months).values_list("month")
    own = Statement.objects.filter(project=parent, month__in=months).values_list("month")
    return {month for (month,) in everyone.order_by().union(own.order_by())}


def _billed(parent: Project, months, *, per_metric=False) -> dict:
    """What this parent's statements have billed so far for these usage months (their
    own lines and late lines in later ones): {(usage month, Project ID, metric):
    quantity}, or with `per_metric` {(usage month, metric): quantity}. One query."""
    if not months:
        return {}
    keys = (
        ("usage_month", "metric") if per_metric else ("usage_month", "project_public_id", "metric")
    )
    rows = (
        StatementLine.objects.filter(statement__project=parent, usage_month__in=list(months))
        .values_list(*keys)
        .annotate(billed=Sum("quantity"))
        .order_by()
    )
    return {tuple(key): billed for *key, billed in rows}


def _with_late_usage(parent: Project, closed) -> set[date]:
    """Which closed months have usage not billed yet. Usage only grows and what was
    billed is usage as it was, so a month whose family total equals what was billed, for
    every metric, has none: two small aggregates instead of reading every subproject's
    rows (the usual case, once the month is closed)."""
    if not closed:
        return set()
    usage = queries.family_monthly_totals(Scope.of(parent), closed)
    billed = _billed(parent, closed, per_metric=True)
    return {month for (month, metric), q in usage.items() if q > billed.get((month, metric), 0)}


def _sort_key(parent_id: str):
    def key(line: Line):
        return (
            line.project_public_id != parent_id,
            line.project_name.lower(),
            line.project_name,
            line.project_public_id,
            line.usage_month,
            _METRIC_ORDER.get(line.metric, len(_METRIC_ORDER)),
            line.metric,
        )

    return key


def _quantities(parent: Project, months):
    """{open month: [(Project ID, metric, usage month, quantity)]} to bill in each of
    `months` that is open: its own usage, and the late usage of closed months that it is
    the first open month after. Four queries (closed months; the closed months' family
    totals and what was billed for them; usage), and one more when late usage exists."""
    months = sorted(set(months))
    if not months:
        return {}
    scope = Scope.of(parent)
    windows = {month: late_window(month) for month in months}
    needed = set(months).union(*windows.values())
    closed = closed_months(parent, needed)
    late = _with_late_usage(parent, closed & needed)
    usage = queries.monthly_totals(scope, (needed - closed) | late)
    billed = _billed(parent, late)
    by_month = defaultdict(dict)  # {month: {(project, metric): quantity}}
    for (month, project, metric), quantity in usage.items():
        by_month[month][(project, metric)] = quantity
    found = {}
    for month in (m for m in months if m not in closed):
        rows = [(p, m, month, q) for (p, m), q in by_month[month].items()]
        for earlier in windows[month]:
            between = [m for m in windows[month] if m > earlier]
            if earlier not in closed or any(m not in closed for m in between):
                continue  # billed in its own statement, or in an earlier open month
            for (project, metric), quantity in by_month[earlier].items():
                late = quantity - billed.get((earlier, project, metric), 0)
                if late > 0:
                    rows.append((project, metric, earlier, late))
        found[month] = rows
    return found


def estimates(parent: Project, months, *, sheet: prices.PriceSheet | None = None):
    """{month: MonthStatement} for those of `months` that are open for a top-level
    project (closed ones are left out), computed from the usage totals and the prices
    of now, with late usage of closed months. Seven queries whatever the number of
    months or subprojects."""
    found = _quantities(parent, months)
    if not found:
        return {}
    sheet = sheet or prices.sheet_for(parent.account_id)
    names = queries.scope_names(Scope.of(parent))
    unit_prices = {metric.code: sheet.unit_price(metric.code) for metric in CATALOGUE}

    def line(project, metric, usage_month, quantity) -> Line:
        name, state = names.get(project, (project, queries.UNKNOWN))
        unit_price = sheet.unit_price(metric)
        amount = money.line_amount(quantity, unit_price, sheet.currency)
        return Line(project, name, state, metric, usage_month, quantity, unit_price, amount)

    result = {}
    for month, rows in found.items():
        lines = [line(*row) for row in rows]
        lines.sort(key=_sort_key(parent.public_id))
        result[month] = MonthStatement(
            parent.public_id, month, ESTIMATE, sheet.currency, lines, unit_prices=unit_prices
        )
    return result


def estimated_totals(parent: Project, months, *, sheet: prices.PriceSheet):
    """{month: total} of the open ones of `months`: the same lines as `estimates`, each
    rounded, summed, without naming or sorting them (the Billing page's list)."""
    amount, currency = money.line_amount, sheet.currency
    return {
        month: sum((amount(q, sheet.unit_price(m), currency) for _, m, _, q in rows), Decimal(0))
        for month, rows in _quantities(parent, months).items()
    }


def stored(parent: Project, month: date) -> MonthStatement | None:
    """The closed statement of this month, as stored, or None. Two queries."""
    statement = Statement.objects.filter(project=parent, month=month).first()
    if statement is None:
        return None
    # Tuples: model instances cost 90 ms for 5,000 lines.
    rows = statement.lines.order_by("id").values_list(*StatementLine.FIELDS)
    lines = [
        Line(project, name, "", metric, month, quantity, unit_price, amount)
        for project, name, metric, month, quantity, unit_price, amount in rows
    ]
    unit_prices = {}
    for row in lines:
        unit_prices.setdefault(row.metric, row.unit_price)
    return MonthStatement(
        parent.public_id,
        month,
        CLOSED,
        statement.currency,
        lines,
        closed_at=statement.closed_at,
        stored_total=statement.total,
        unit_prices=unit_prices,
    )


def first_month(parent: Project) -> date:
    """The first month with a statement: the month its account was created in (a
    project's usage and bills cannot be older than its account)."""
    return month_of(parent.account.created_at)


def statement_of(parent: Project, month: date, *, now=None) -> MonthStatement | None:
    """The statement of a month as anyone reads it: stored if closed, an estimate if
    open. A closed month without a statement (nothing was used) is an empty closed
    statement. One rule for the months around: before the account existed
    (first_month) and after the current one there is none (None), whoever asks."""
    current = current_month(now)
    if month > current:
        return None
    found = stored(parent, month)
    if found is not None:
        return found
    # The current month always has one; an earlier one only from first_month (a query,
    # so only asked for such a month).
    if month < current and month < first_month(parent):
        return None
    found = estimates(parent, [month])
    if month in found:
        return found[month]
    # Closed, with no statement for this parent: nothing was billed when it was closed.
    return MonthStatement(
        parent.public_id, month, CLOSED, prices.sheet_for(parent.account_id).currency
    )


@dataclass(frozen=True)
class MonthSummary:
    month: date
    status: str
    currency: str
    total: Decimal

    @property
    def total_text(self) -> str:
        return money.text(self.total, self.currency)


def _open_candidates(parent: Project, now=None) -> set[date]:
    """The months that may be shown as estimates: the current month, and the months
    with usage up to OPEN_MONTHS_SHOWN before it (those closed are left out later)."""
    current = current_month(now)
    oldest = add_months(current, -OPEN_MONTHS_SHOWN)
    return {current} | {m for m in queries.usage_months(Scope.of(parent)) if oldest <= m <= current}


def open_summaries(parent: Project, *, sheet=None, now=None) -> list[MonthSummary]:
    """The months shown as estimates, newest first, with their totals: the current
    month, and the months with usage up to OPEN_MONTHS_SHOWN before it that are not
    closed."""
    candidates = _open_candidates(parent, now)
    sheet = sheet or prices.sheet_for(parent.account_id)
    totals = estimated_totals(parent, candidates, sheet=sheet)
    return [
        MonthSummary(m, ESTIMATE, sheet.currency, totals[m]) for m in sorted(totals, reverse=True)
    ]


def summaries(parent: Project, *, sheet=None, now=None) -> list[MonthSummary]:
    """Every month of the Billing page, newest first: the open months (estimates), then
    every closed statement. A fixed number of queries (eight)."""
    closed = [
        MonthSummary(month, CLOSED, currency, total)
        for month, currency, total in Statement.objects.filter(project=parent)
        .order_by("-month")
        .values_list("month", "currency", "total")
    ]
    found = open_summaries(parent, sheet=sheet, now=now) + closed
    return sorted(found, key=lambda s: s.month, reverse=True)


# --- A subproject's bill: its part of its parent's statements --------------------------
#
# What an ASP re-bills one customer. It is never computed on its own: it is the
# subproject's lines of the parent's statement (estimate or closed), so its figures
# equal those lines to the cent, whatever the prices, the rounding or late usage.


def part_of(statement: MonthStatement, public_id: str) -> MonthStatement:
    """One project's lines of a family's statement (a subproject's bill for the month):
    the same lines, the total their sum."""
    lines = [line for line in statement.lines if line.project_public_id == public_id]
    return replace(statement, lines=lines, stored_total=None)


def closed_parts(parent: Project, public_id: str):
    """The parent's closed statements, each with `part`: the sum of this project's
    stored lines (None where it had none)."""
    lines = Q(lines__project_public_id=public_id)
    return Statement.objects.filter(project=parent).annotate(
        part=Sum("lines__amount", filter=lines)
    )


def open_part_summaries(parent: Project, public_id: str, *, sheet=None, now=None):
    """The open months (as open_summaries), newest first, with one project's part of
    each: the sum of its lines of the estimate, rounded as they are."""
    sheet = sheet or prices.sheet_for(parent.account_id)
    amount, currency = money.line_amount, sheet.currency
    found = _quantities(parent, _open_candidates(parent, now))
    return [
        MonthSummary(
            month,
            ESTIMATE,
            currency,
            sum(
                (amount(q, sheet.unit_price(m), currency) for p, m, _, q in rows if p == public_id),
                Decimal(0),
            ),
        )
        for month, rows in sorted(found.items(), reverse=True)
    ]


def part_summaries(parent: Project, public_id: str, *, sheet=None, now=None) -> list[MonthSummary]:
    """Every month of the parent's Billing page, newest first, with one project's part
    of its total: the open months' from the same lines as the estimates, the closed
    ones' from the stored lines (zero where it had none). A fixed number of queries."""
    closed = [
        MonthSummary(s.month, CLOSED, s.currency, s.part or Decimal(0))
        for s in closed_parts(parent, public_id).order_by("-month")
    ]
    found = open_part_summaries(parent, public_id, sheet=sheet, now=now) + closed
    return sorted(found, key=lambda s: s.month, reverse=True)
