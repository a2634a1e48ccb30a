"""Closing a month: each top-level project's statement computed, stored with its lines,
and frozen; a closed month never changes."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit import trail
from billing import prices
from billing import statements as bills
from billing.models import (
    BillingPeriod,
    Statement,
    StatementLine,
)
from core.actors import SYSTEM, Actor
from core.errors import WrongState
from core.upsert import bulk_insert
from projects.models import Project
from usage import queries


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
    candidates = queries.families_with_usage([month, *bills.late_window(month)])
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
        # Every statement of the month, also those an interrupted close stored earlier
        # (this run's count would leave them out).
        stored = Statement.objects.filter(month=month).count()
        try:
            with transaction.atomic():
                BillingPeriod.objects.create(
                    month=month, closed_at=now, closed_by=actor.id[:64], statements=stored
                )
        except IntegrityError:  # a concurrent close finished first
            pass
    return result


_LINE_COLUMNS = ("statement", *StatementLine.FIELDS)


def _insert_lines(statement_id: int, lines) -> None:
    """Write the lines in bulk (COPY on PostgreSQL), in the caller's transaction."""
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
    bulk_insert(StatementLine, _LINE_COLUMNS, rows)


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
