"""Spend limits: how much of its monthly limit a subproject has used, the alerts at 50,
80 and 100 %, and whether it may send.

Evaluated (`evaluate_projects`) when usage is recorded (usage.signals.usage_recorded,
after the ingest commits), when a limit is set, and by check_spend_limits (cron, the
safety net). Each evaluation locks the limits it reads, so a limit changed meanwhile is
never overwritten with a state computed from its old value.

Alerts fire exactly once per subproject, month and threshold: the row in SpendAlert is
inserted with ON CONFLICT DO NOTHING RETURNING, and only the transaction whose INSERT
returned the row sends the email, after it commits. Raising a limit does not re-arm an
alert already sent that month.
"""

import logging
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Context, Decimal, DivisionByZero, InvalidOperation, localcontext

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from core import formatting
from core.emails import queue_mail
from core.upsert import upsert
from events import outbox
from usage import queries

from . import money, prices
from .models import PERCENT_DECIMALS, PERCENT_MAX_DIGITS, LimitMode, SpendAlert, SpendLimit
from .statements import current_month

THRESHOLDS = (50, 80, 100)
# The largest share the percent columns store (numeric(12,1)): usage far past a limit
# shows as this, and the limit is exceeded all the same.
PERCENT_MAX = Decimal(10) ** (PERCENT_MAX_DIGITS - PERCENT_DECIMALS) - Decimal(1).scaleb(
    -PERCENT_DECIMALS
)
# Exact arithmetic for any usage ingest accepts (a month's total fits a bigint: 19
# digits) at any price (18 digits): the default context's 28 digits would round or
# raise InvalidOperation when an amount is rounded to the currency.
EXACT = Context(prec=64, traps=[InvalidOperation, DivisionByZero])
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Usage:
    """What a subproject used of its limit this month."""

    ratio: Decimal  # used / limit (1 = 100 %)
    spent: Decimal | None  # the amount, for an amount limit
    quantities: dict[str, int]

    @property
    def percent(self) -> Decimal:
        """The share used, as stored and shown: at most PERCENT_MAX."""
        with localcontext(EXACT):
            share = (self.ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
        return min(share, PERCENT_MAX)

    def reached(self) -> list[int]:
        return [t for t in THRESHOLDS if self.ratio * 100 >= t]


def used(limit: SpendLimit, quantities: dict[str, int], sheet: prices.PriceSheet) -> Usage:
    """How much of `limit` these month's quantities {metric: quantity} use, at the
    prices of `sheet` (each metric's amount rounded as on a statement line), in exact
    decimals."""
    with localcontext(EXACT):
        return _used(limit, quantities, sheet)


def _used(limit: SpendLimit, quantities: dict[str, int], sheet: prices.PriceSheet) -> Usage:
    if limit.amount is not None:
        if sheet.currency != limit.currency:  # prevented by prices_set; never compare
            return Usage(Decimal(0), None, quantities)
        spent = sum(
            (
                money.line_amount(q, sheet.unit_price(m), sheet.currency)
                for m, q in quantities.items()
            ),
            Decimal(0),
        )
        return Usage(spent / limit.amount, spent, quantities)
    ratios = [
        Decimal(quantities.get(metric, 0)) / Decimal(allowed)
        for metric, allowed in limit.quantities.items()
    ]
    return Usage(max(ratios, default=Decimal(0)), None, quantities)


def current_use(limit: SpendLimit, project, *, now=None) -> Usage:
    """How much of `limit` (saved or not) `project` has used this month: its month
    totals at today's prices, as evaluate_locked measures it. Two queries."""
    month = current_month(now or timezone.now())
    month_usage = queries.projects_month([project.public_id], month)
    quantities = {metric: quantity for (_, metric), quantity in month_usage.items()}
    return used(limit, quantities, prices.sheet_for(project.account_id))


def alerts_it_would_send(limit: SpendLimit, project, *, now=None) -> list[int]:
    """The thresholds (50, 80, 100 %) a limit set now would reach at once and that have
    not alerted this month: what saving it sends (the spend limit page warns first)."""
    month = current_month(now or timezone.now())
    sent = set(
        SpendAlert.objects.filter(project=project, month=month).values_list("threshold", flat=True)
    )
    return [t for t in current_use(limit, project, now=now).reached() if t not in sent]


def evaluate_projects(public_ids, *, now=None) -> list[SpendAlert]:
    """Evaluate the limits of these projects (Project IDs; those without a limit are
    skipped) for the current month; the alerts this call fired."""
    ids = sorted(set(public_ids))
    if not ids:
        return []
    # Most usage is of projects without a limit: one query finds that out, with no
    # transaction. A limit set after this query is evaluated by its own setting, which
    # reads the usage committed before it (this call runs after the ingest commits).
    found = list(SpendLimit.objects.filter(project__public_id__in=ids).values_list("pk", flat=True))
    if not found:
        return []
    with transaction.atomic():
        limits = list(
            SpendLimit.objects.select_for_update(of=("self",))
            .filter(pk__in=found)
            .select_related("project__parent", "project__account")
            .order_by("pk")  # the same order everywhere: no deadlock between evaluations
        )
        return evaluate_locked(limits, now=now)


def evaluate_locked(limits: list[SpendLimit], *, now=None) -> list[SpendAlert]:
    """Evaluate limits already locked by the caller's transaction: save each one's state
    (only what changed) and fire the alerts it reached for the first time this month."""
    if not limits:
        return []
    now = now or timezone.now()
    month = current_month(now)
    month_usage = queries.projects_month((lim.project.public_id for lim in limits), month)
    sheets = prices.sheets_for({lim.project.account_id for lim in limits})
    fired = []
    for limit in limits:
        quantities = {
            metric: quantity
            for (project, metric), quantity in month_usage.items()
            if project == limit.project.public_id
        }
        # Each limit in its own savepoint: one that fails (logged; it keeps its last
        # state) never rolls back the others' states, nor their blocking.
        kept = {name: getattr(limit, name) for name in _STATE}
        try:
            with transaction.atomic():
                fired += _evaluate_one(limit, month, quantities, sheets[limit.project.account_id])
        except Exception:
            for name, value in kept.items():  # as the row is again
                setattr(limit, name, value)
            log.exception("spend limit of %s could not be evaluated", limit.project.public_id)
    # Enqueued in this transaction: the alerts and their emails commit together.
    send_alert_emails(fired)
    return fired


_STATE = ("month", "percent", "exceeded_in")


def _evaluate_one(limit: SpendLimit, month: date, quantities, sheet) -> list[SpendAlert]:
    """Save one limit's state (only what changed); the alerts it fired."""
    found = used(limit, quantities, sheet)
    state = {
        "month": month,
        "percent": found.percent,
        "exceeded_in": month if found.ratio >= 1 else None,
    }
    changed = [name for name, value in state.items() if getattr(limit, name) != value]
    if changed:
        for name in changed:
            setattr(limit, name, state[name])
        limit.save(update_fields=[*changed, "updated_at"])
    return _fire(limit, month, found)


def _fire(limit: SpendLimit, month: date, found: Usage) -> list[SpendAlert]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: the thresholds this transaction is the
    first to reach this month (only these are emailed)."""
    thresholds = found.reached()
    if not thresholds:
        return []
    now = timezone.now()
    rows = upsert(
        SpendAlert,
        ("project", "month", "threshold", "percent", "created_at"),
        [(limit.project_id, month, t, found.percent, now) for t in thresholds],
        conflict=["project", "month", "threshold"],
        returning=["threshold"],
    )
    inserted = sorted(row[0] for row in rows)
    project = limit.project
    family = project.parent.public_id if project.parent_id else project.public_id
    data = {"projectId": project.public_id, "month": f"{month:%Y-%m}", "percent": found.percent}
    outbox.emit_many(
        [
            outbox.New(
                "spend_limit.threshold_reached", project.public_id, family, {**data, "threshold": t}
            )
            for t in inserted
        ]
    )
    return [
        SpendAlert(
            project=limit.project, month=month, threshold=t, percent=found.percent, created_at=now
        )
        for t in inserted
    ]


def evaluate_all(*, now=None, batch: int = 500) -> tuple[int, int]:
    """Every limit, `batch` at a time in short transactions: (limits, alerts fired)."""
    count = fired = 0
    last = 0
    while True:
        with transaction.atomic():
            limits = list(
                SpendLimit.objects.select_for_update(of=("self",))
                .filter(pk__gt=last)
                .select_related("project__parent", "project__account")
                .order_by("pk")[:batch]
            )
            if not limits:
                return count, fired
            fired += len(evaluate_locked(limits, now=now))
        count += len(limits)
        last = limits[-1].pk


def _describe(alert: SpendAlert, limit: SpendLimit) -> tuple[str, str]:
    project = alert.project
    parent = project.parent
    blocked = alert.threshold >= 100 and limit.mode == LimitMode.BLOCK
    if alert.threshold >= 100:
        what = "has reached its spend limit" + (": sending is blocked" if blocked else "")
    else:
        what = f"has used {alert.threshold}% of its spend limit"
    subject = f"{project.title} {what}"
    if limit.amount is not None:
        size = f"{formatting.money(limit.amount, limit.currency)} a month"
    else:
        size = ", ".join(f"{formatting.number(q)} {m}" for m, q in sorted(limit.quantities.items()))
        size += " a month"
    url = settings.SITE_URL.rstrip("/") + reverse("spend_limit", args=[project.public_id])
    body = (
        f"The subproject {project.name} ({project.public_id}) of {parent.name} {what}.\n\n"
        f"Limit: {size} ({limit.get_mode_display().lower()} mode)\n"
        f"Used in {alert.month:%B %Y} (UTC): {formatting.percent(alert.percent)}\n\n"
        + (
            "The platform refuses its messages until the month ends or the limit is raised.\n\n"
            if blocked
            else ""
        )
        + f"See or change the limit: {url}\n"
        "You receive this because you are an admin of the account. Each alert (50, 80 "
        "and 100 %) is sent once a month.\n"
    )
    return subject, body


def send_alert_emails(alerts: list[SpendAlert]) -> int:
    """Email each alert to the admins of the subproject's account (one message per
    admin, so that no admin sees the others' addresses), through the task queue (which
    retries when the mail server fails): how many were queued."""
    if not alerts:
        return 0
    accounts = {alert.project.account_id for alert in alerts}
    admins = {}
    for account_id, email in Membership.objects.filter(
        account_id__in=accounts, role=Role.ADMIN
    ).values_list("account_id", "user__email"):
        admins.setdefault(account_id, []).append(email)
    limits = {
        lim.project_id: lim
        for lim in SpendLimit.objects.filter(project__in=[a.project for a in alerts])
    }
    queued = 0
    for alert in alerts:
        limit = limits.get(alert.project_id)
        if limit is None:  # removed since
            continue
        subject, body = _describe(alert, limit)
        for email in admins.get(alert.project.account_id, []):
            queue_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
            queued += 1
    return queued


def flags_of(parent, *, now=None) -> dict[str, str]:
    """{Project ID: mode} of the parent's subprojects over their limit this month."""
    over = SpendLimit.objects.filter(
        SpendLimit.exceeded(current_month(now)), project__parent=parent
    )
    return dict(over.values_list("project__public_id", "mode"))


@dataclass(frozen=True)
class Sending:
    """The internal API's answer: may the platform send for this project now?"""

    allowed: bool
    reason: str = ""  # SUSPENDED, PARENT_SUSPENDED, REMOVED, SPEND_LIMIT_REACHED
    message: str = ""


def sending(project, *, now=None) -> Sending:
    """Whether the project may send. `project` is loaded with its parent and its
    spend_limit (select_related): no query here."""
    if project.removed_at is not None:
        return Sending(False, "REMOVED", "The subproject has been removed.")
    suspension = project.suspension  # its own, or its parent's
    if suspension is project:
        return Sending(False, "SUSPENDED", f"The project is suspended: {project.suspend_reason}")
    if suspension is not None:
        return Sending(
            False,
            "PARENT_SUSPENDED",
            f"Its parent project is suspended: {suspension.suspend_reason}",
        )
    try:
        limit = project.spend_limit
    except SpendLimit.DoesNotExist:
        limit = None
    if limit is not None and limit.blocks_sending_in(current_month(now)):
        return Sending(
            False,
            "SPEND_LIMIT_REACHED",
            f"The subproject has reached its monthly spend limit ({limit.percent}% used); "
            "sending resumes next month or when the limit is raised.",
        )
    return Sending(True)
