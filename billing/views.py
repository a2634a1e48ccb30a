"""The Billing pages of a top-level project, its statement CSV, a subproject's own bill
(its part of its parent's statements: what the ASP re-bills that customer), and a
subproject's spend limit page.

Who sees billing: everyone who may open the top-level project (account admins, and
members and viewers granted it), read-only; a user granted only a subproject gets 404
(never prices, never other customers, nor its own bill: the ASP's cost). A subproject's
bill and spend limit are seen by those who may open its parent; the limit is set by its
writers (admins, members granted the parent).
Each page costs a fixed number of queries whatever the number of subprojects
(tests/billing/test_billing_page.py).
"""

import functools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.current import remember_project
from core import formatting
from core.actors import Actor
from core.csv_stream import csv_response
from core.forms import submit
from core.lists import keyset_list
from projects.access import can_write, get_project_for_user
from projects.customers import BILL, is_customer_login, may_see
from usage import queries
from usage.metrics import CATALOGUE, METRICS
from usage.queries import ACTIVE, REMOVED, STATE_LABELS, Scope

from . import limits, money, prices, services, statements
from .forms import SpendLimitForm
from .models import LimitMode, SpendLimit

ROWS_PER_PAGE = 50


def _billing_project(request, public_id):
    """The project whose billing the user may see: a top-level project they may open,
    or a subproject (removed ones too: a customer who left is still billed for its
    last months) whose parent they may open, or whose customer they are if the ASP
    shows customers their bill (projects.customers, the API's rule too); else 404. A
    project still alive becomes the current one."""
    project = get_project_for_user(request.user, public_id, include_removed=True)
    if project.is_subproject and not may_see(project, BILL, customer=is_customer_login(project)):
        raise Http404("Billing belongs to the top-level project.")
    if project.removed_at is None:
        remember_project(request, project)
    elif not project.is_subproject:
        raise Http404("No such project.")
    return project


def _month(text: str) -> date:
    year, month = text.split("-")
    try:
        return date(int(year), int(month), 1)
    except ValueError:
        raise Http404("No such month.") from None


@require_GET
def billing(request, public_id):
    """The months: each with its total and status (estimate or closed); of a
    subproject, its part of each."""
    project = _billing_project(request, public_id)
    if project.is_subproject:
        return _subproject_billing(request, project)
    sheet = prices.sheet_for(project.account_id)
    context = {
        "project": project,
        "months": statements.summaries(project, sheet=sheet),
        "sheet": sheet,
        "unit_prices": [
            (
                metric,
                formatting.unit_price(sheet.unit_price(metric.code), sheet.currency),
                metric.code in sheet.prices,
            )
            for metric in CATALOGUE
        ],
    }
    return render(request, "billing/billing.html", context)


def _subproject_billing(request, subproject):
    parent = subproject.parent
    sheet = prices.sheet_for(parent.account_id)
    context = {
        "project": subproject,
        "parent": parent,
        "sheet": sheet,
        "months": statements.part_summaries(parent, subproject.public_id, sheet=sheet),
    }
    return render(request, "billing/subproject_billing.html", context)


@dataclass
class Row:
    """A project's lines for one usage month, as a row of the breakdown."""

    public_id: str
    name: str
    state: str
    usage_month: date
    is_parent: bool
    amounts: dict[str, Decimal] = field(default_factory=dict)
    quantities: dict[str, int] = field(default_factory=dict)
    flag: str = ""
    bill_url: str = ""  # a subproject's own bill for the month

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), Decimal(0))

    @property
    def label(self) -> str:
        return "this project" if self.is_parent else STATE_LABELS.get(self.state, "")


def rows_of(statement: statements.MonthStatement, flags: dict[str, str]) -> list[Row]:
    """One row per project and usage month, in the statement's order."""
    rows: dict[tuple[str, date], Row] = {}
    for line in statement.lines:
        key = (line.project_public_id, line.usage_month)
        row = rows.get(key)
        if row is None:
            row = rows[key] = Row(
                line.project_public_id,
                line.project_name,
                line.state,
                line.usage_month,
                line.project_public_id == statement.parent_public_id,
                flag=flags.get(line.project_public_id, ""),
            )
        row.amounts[line.metric] = row.amounts.get(line.metric, Decimal(0)) + line.amount
        row.quantities[line.metric] = row.quantities.get(line.metric, 0) + line.quantity
    return list(rows.values())


def _statement_or_404(project, month_text):
    """The month's statement of a top-level project, or a subproject's part of its
    parent's; 404 for a month without one (statements.statement_of's rule)."""
    month = _month(month_text)
    parent = project.parent if project.is_subproject else project
    statement = statements.statement_of(parent, month)
    if statement is None:
        raise Http404("That month has no statement (before the account or after this month).")
    if project.is_subproject:
        return statements.part_of(statement, project.public_id)
    return statement


def _link_bills(project, statement, rows) -> None:
    """Each subproject's row links to its own bill for the month: those still there
    (alive or removed, not purged). A closed statement's lines do not say which are,
    so their names are read (two queries)."""
    if statement.is_closed:
        states = {pid: state for pid, (_, state) in queries.scope_names(Scope.of(project)).items()}
    else:
        states = {row.public_id: row.state for row in rows}
    label = f"{statement.month:%Y-%m}"
    for row in rows:
        if not row.is_parent and states.get(row.public_id) in (ACTIVE, REMOVED):
            row.bill_url = reverse("billing_month", args=[row.public_id, label])


@require_GET
def billing_month(request, public_id, month):
    """A month's statement: per subproject (and the parent's own usage) and metric; of a
    subproject, its lines."""
    project = _billing_project(request, public_id)
    statement = _statement_or_404(project, month)
    if project.is_subproject:
        return _subproject_month(request, project, statement)
    flags = limits.flags_of(project) if not statement.is_closed else {}
    rows = rows_of(statement, flags)
    list_url = reverse("billing_month", args=[project.public_id, f"{statement.month:%Y-%m}"])
    page = keyset_list(
        request,
        rows,
        order=("public_id", "usage_month"),  # in the statement's order, told apart by these
        context=f"billing:{project.public_id}:{statement.month:%Y-%m}",
        total=len(rows),
        noun=("row", "rows"),
        per_page=ROWS_PER_PAGE,
    )
    shown = functools.partial(formatting.money, currency=statement.currency)
    for row in page.rows:
        # Text made here: 300 template filters a page cost 15 ms.
        row.cells = [
            (shown(row.amounts[m.code]), f"{formatting.number(row.quantities[m.code])} {m.unit}")
            if m.code in row.amounts
            else None
            for m in CATALOGUE
        ]
        row.total_text = shown(row.total)
    _link_bills(project, statement, page.rows)
    totals = {m.code: Decimal(0) for m in CATALOGUE}
    for line in statement.lines:
        totals[line.metric] = totals.get(line.metric, Decimal(0)) + line.amount
    context = {
        "project": project,
        "statement": statement,
        "page": page,
        "list_url": list_url,
        "metrics": CATALOGUE,
        "metric_totals": [shown(totals[m.code]) for m in CATALOGUE],
        "unit_prices": [
            (m, formatting.unit_price(statement.unit_prices[m.code], statement.currency))
            for m in CATALOGUE
            if m.code in statement.unit_prices
        ],
        "csv_url": reverse(
            "billing_month_csv", args=[project.public_id, f"{statement.month:%Y-%m}"]
        ),
    }
    return render(request, "billing/month.html", context, status=400 if page.error else 200)


def _subproject_month(request, subproject, statement):
    label = f"{statement.month:%Y-%m}"
    shown = functools.partial(formatting.money, currency=statement.currency)
    lines = [
        {
            "line": line,
            "metric": METRICS.get(line.metric),
            "quantity": formatting.number(line.quantity),
            "unit_price": formatting.unit_price(line.unit_price, statement.currency),
            "amount": shown(line.amount),
        }
        for line in statement.lines
    ]
    context = {
        "project": subproject,
        "parent": subproject.parent,
        "statement": statement,
        "lines": lines,
        "total_text": shown(statement.total),
        "csv_url": reverse("billing_month_csv", args=[subproject.public_id, label]),
        "parent_url": reverse("billing_month", args=[subproject.parent.public_id, label]),
    }
    return render(request, "billing/subproject_month.html", context)


CSV_COLUMNS = [
    "Month",
    "Status",
    "Currency",
    "Parent Project ID",
    "Project ID",
    "Project",
    "Metric",
    "Unit",
    "Usage month",
    "Quantity",
    "Unit price",
    "Amount",
]


@require_GET
def billing_month_csv(request, public_id, month):
    """One line per project, metric (and usage month: late usage has its own lines),
    with the Project IDs, for the ASP's own invoicing; of a subproject, its own lines
    (one customer's bill). Streamed."""
    project = _billing_project(request, public_id)
    statement = _statement_or_404(project, month)
    label = f"{statement.month:%Y-%m}"

    def rows():
        for line in statement.lines:
            yield [
                label,
                statement.status,
                statement.currency,
                statement.parent_public_id,
                line.project_public_id,
                line.project_name,
                line.metric,
                METRICS[line.metric].unit if line.metric in METRICS else "",
                f"{line.usage_month:%Y-%m}",
                line.quantity,
                f"{line.unit_price.normalize():f}",
                money.text(line.amount, statement.currency),
            ]

    status = "estimate" if statement.status == statements.ESTIMATE else "closed"
    name = f"statement-{project.public_id}-{label}-{status}"
    return csv_response(name, CSV_COLUMNS, rows(), stamped=False)


# --- A subproject's spend limit ------------------------------------------------------


def _subproject_for_limit(request, public_id, *, write=False):
    """The subproject, unless the user is its customer (the spend limit is the ASP's:
    404); for a change, if they may also write (else 403)."""
    project = get_project_for_user(request.user, public_id)
    if not project.is_subproject or is_customer_login(project):
        raise Http404("No such subproject.")
    if write and not can_write(project):
        raise PermissionDenied("Viewers cannot change spend limits.")
    return project


def _use_rows(limit, use, currency):
    """What the page says of this month's use: [(text, value, max)], one row for an
    amount ("449.79 of 500.00 EUR used"), one per metric for quantities."""
    if limit.amount is not None:
        spent = use.spent or Decimal(0)
        text = (
            f"{formatting.money(spent, limit.currency)} of "
            f"{formatting.money(limit.amount, limit.currency)} used"
        )
        return [(text, spent, limit.amount)]
    return [
        (
            f"{formatting.number(use.quantities.get(code, 0))} of {formatting.number(allowed)} "
            f"{METRICS[code].unit if code in METRICS else code} used"
            + (f" ({METRICS[code].name})" if code in METRICS else ""),
            use.quantities.get(code, 0),
            allowed,
        )
        for code, allowed in limit.quantities.items()
    ]


def _render_limit(request, project, form=None, status=200, warning=None):
    limit = SpendLimit.objects.filter(project=project).first()
    sheet = prices.sheet_for(project.account_id)
    writable = can_write(project)
    if form is None and writable:
        form = SpendLimitForm(initial=SpendLimitForm.initial_for(limit), currency=sheet.currency)
    month = statements.current_month()
    use = limits.current_use(limit, project) if limit is not None else None
    context = {
        "project": project,
        "limit": limit,
        "percent_used": limit.percent_used_in(month) if limit is not None else None,
        "use_rows": _use_rows(limit, use, sheet.currency) if limit is not None else [],
        "exceeded": limit is not None and limit.is_exceeded_in(month),
        "currency": sheet.currency,
        "form": form,
        "can_write": writable,
        "warning": warning,
    }
    return render(request, "billing/spend_limit.html", context, status=status)


def _candidate(project, values: dict, currency: str) -> SpendLimit | None:
    """The limit the form asks for, unsaved, to measure against this month's use; None
    when its values are not usable (the service then says why)."""
    amount = values.get("amount")
    try:
        amount = Decimal(amount) if amount is not None else None
    except InvalidOperation:
        return None
    if amount is not None and not (amount.is_finite() and amount > 0):
        return None
    quantities = values.get("quantities") or {}
    if amount is None and not quantities:
        return None
    return SpendLimit(
        project=project,
        amount=amount,
        currency=currency if amount is not None else "",
        quantities=quantities,
        mode=values["mode"],
    )


def _warning(project, candidate: SpendLimit) -> dict | None:
    """What saving `candidate` would set off at once, if anything: the alerts (50, 80,
    100 %) it reaches with this month's use that have not been sent this month."""
    thresholds = limits.alerts_it_would_send(candidate, project)
    if not thresholds:
        return None
    names = [f"{t} %" for t in thresholds]
    said = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    use = limits.current_use(candidate, project)
    return {
        "alerts": said,
        "plural": len(names) > 1,
        "blocks": candidate.mode == LimitMode.BLOCK and 100 in thresholds,
        "use": _use_rows(candidate, use, candidate.currency)[0][0]
        if candidate.amount is not None
        else "",
    }


@require_http_methods(["GET", "POST"])
def spend_limit(request, public_id):
    if request.method == "GET":
        return _render_limit(request, _subproject_for_limit(request, public_id))
    project = _subproject_for_limit(request, public_id, write=True)
    sheet = prices.sheet_for(project.account_id)
    form = SpendLimitForm(request.POST, currency=sheet.currency)

    def set_limit(data):
        actor = Actor.for_user(request)
        return services.spend_limit_set(project=project, **form.limit(), actor=actor)

    # A limit below what is already used alerts at once: say so, and save only when
    # confirmed ("Save anyway").
    if form.is_valid() and not request.POST.get("confirm"):
        candidate = _candidate(project, form.limit(), sheet.currency)
        warning = _warning(project, candidate) if candidate is not None else None
        if warning is not None:
            return _render_limit(request, project, form, warning=warning)
    if submit(form, set_limit):
        messages.success(request, f"Spend limit of “{project.name}” saved.")
        return redirect("spend_limit", project.public_id)
    return _render_limit(request, project, form, status=400)


@require_POST
def spend_limit_remove(request, public_id):
    project = _subproject_for_limit(request, public_id, write=True)
    if services.spend_limit_remove(project=project, actor=Actor.for_user(request)):
        messages.success(request, f"“{project.name}” has no spend limit any more.")
    return redirect("spend_limit", project.public_id)
