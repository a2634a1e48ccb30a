"""The dashboard's Usage page of a project, and its two CSV downloads.

Everyone who may see the project may see its usage (viewers included: it holds no
secret). A top-level project's page covers it and its subprojects; a subproject's page
only that subproject, so a user granted only a subproject sees only its usage. The
page costs a fixed number of queries whatever the number of subprojects or the length
of the period (tests/usage/test_usage_page.py).
"""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.current import remember_project
from core.csv_stream import csv_response
from core.lists import keyset_list
from projects.access import get_project_for_user

from . import queries
from .chart import PHONE, bar_chart, data_rows, svg
from .forms import CUSTOM, LAST_MONTH, THIS_MONTH, UsageForm
from .metrics import CATALOGUE, METRICS
from .periods import MAX_MONTHS, Period, add_months
from .queries import Scope, UsageTable

ROWS_PER_PAGE = 50  # as the Subprojects page


def _project_and_choices(request, public_id):
    # Removed subprojects keep their usage: their page stays readable (parent's table
    # links to it), as the Usage API lets the parent's key read it.
    project = get_project_for_user(request.user, public_id, include_removed=True)
    form = UsageForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    return project, form, valid, (form.choices() if valid else None)


def _refused(request, project, form):
    """The page with the form's errors, and no figures (status 400)."""
    context = {"project": project, "form": form, "max_months": MAX_MONTHS}
    return render(request, "usage/project_usage.html", context, status=400)


def _query(choices, **changes) -> str:
    """The query string that shows these choices (with `changes`)."""
    period = choices.period
    params = {
        "period": CUSTOM,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "sort": choices.sort,
        "order": "desc" if choices.descending else "asc",
    }
    if choices.metric:
        params["metric"] = choices.metric
    params.update(changes)
    return "?" + urlencode(params)


def _sort_links(choices) -> list[dict]:
    links = []
    for code, label, unit in [
        ("name", "Project", ""),
        *((m.code, m.name, m.unit) for m in CATALOGUE),
    ]:
        current = choices.sort == code
        # A second click reverses; quantities start largest first, names from A.
        descending = not choices.descending if current else code != "name"
        links.append(
            {
                "label": label,
                "unit": unit,
                "url": _query(choices, sort=code, order="desc" if descending else "asc"),
                "aria_sort": ("descending" if choices.descending else "ascending")
                if current
                else "none",
            }
        )
    return links


def _presets(choices) -> list[tuple[str, str, bool]]:
    """The quick choices of period: (label, URL, whether it is the one shown)."""
    this_month = Period.month_of(timezone.now().date())
    last_month = Period.month_of(add_months(this_month.start, -1))
    return [
        (label, _query(choices, period=kind, start="", end=""), choices.period == period)
        for label, kind, period in (
            ("This month", THIS_MONTH, this_month),
            ("Last month", LAST_MONTH, last_month),
        )
    ]


@require_GET
def project_usage(request, public_id):
    project, form, valid, choices = _project_and_choices(request, public_id)
    if project.removed_at is None:
        remember_project(request, project)
    if not valid:
        return _refused(request, project, form)
    context = {"project": project, "form": form, "max_months": MAX_MONTHS}
    scope = Scope.of(project)
    period = choices.period
    days = queries.daily_by_metric(scope, period)
    totals = {m.code: 0 for m in CATALOGUE}
    for (_, metric), quantity in days.items():
        totals[metric] = totals.get(metric, 0) + quantity
    metric = METRICS[
        choices.metric or next((m.code for m in CATALOGUE if totals[m.code]), CATALOGUE[0].code)
    ]
    # Days that have not happened are left out (not drawn as days without usage).
    today = timezone.now().date()
    series = [(day, days.get((day, metric.code), 0)) for day in period.days if day <= today]
    chart = bar_chart(series, unit=metric.unit)
    phone_chart = bar_chart(series, unit=metric.unit, frame=PHONE)
    chart_title = f"Daily {metric.name} ({metric.unit})"
    table = UsageTable(scope, period, sort=choices.sort, descending=choices.descending)
    query = _query(choices)
    rows = table.rows()
    page = keyset_list(
        request,
        rows,
        order=("public_id",),  # rows in the table's order, told apart by Project ID
        context=f"usage:{project.public_id}:{query}",
        total=len(rows),
        noun=("project", "projects"),
        per_page=ROWS_PER_PAGE,
    )
    page.rows = [table.row(row) for row in page.rows]
    context.update(
        {
            "period": period,
            "totals": [(m, totals[m.code]) for m in CATALOGUE],
            "chart_metric": metric,
            "chart": chart,
            "chart_svg": svg(chart, chart_title, name="chart"),
            "phone_chart_svg": svg(phone_chart, chart_title, name="phone-chart"),
            "chart_rows": data_rows(series),
            "metric_links": [(m, _query(choices, metric=m.code)) for m in CATALOGUE],
            "page": page,
            "sort_links": _sort_links(choices),
            "query": query,
            "presets": _presets(choices),
            # The custom-period form keeps the sort and chart choices.
            "keep": [
                (name, value)
                for name, value in (
                    ("sort", choices.sort),
                    ("order", "desc" if choices.descending else "asc"),
                    ("metric", choices.metric),
                )
                if value
            ],
            "list_url": reverse("project_usage", args=[project.public_id]),
            "csv_url": reverse("project_usage_csv", args=[project.public_id]) + query,
            "daily_csv_url": reverse("project_usage_daily_csv", args=[project.public_id]) + query,
        }
    )
    status = 400 if page.error else 200  # a page link that does not belong
    return render(request, "usage/project_usage.html", context, status=status)


def _usage_csv(request, public_id, header: list[str], rows, suffix: str = ""):
    """A CSV of the usage the page's choices (period, sort) select, or the page with
    what is wrong with them: `rows(scope, choices)` writes its lines."""
    project, form, valid, choices = _project_and_choices(request, public_id)
    if not valid:
        return _refused(request, project, form)
    period = choices.period
    name = f"usage-{project.public_id}-{period.start}-{period.end}{suffix}"
    return csv_response(name, header, rows(Scope.of(project), choices), stamped=False)


@require_GET
def project_usage_csv(request, public_id):
    """The page's table, every row (all pages) in the page's order, then its total."""

    def rows(scope, choices):
        table = UsageTable(scope, choices.period, sort=choices.sort, descending=choices.descending)
        for row in table:
            yield [row.name, row.public_id, row.label, *row.quantities]
        totals = queries.family_totals(scope, choices.period)
        yield ["Total", "", "", *(totals.get(m.code, 0) for m in CATALOGUE)]

    header = ["Project", "Project ID", "State", *(m.label for m in CATALOGUE)]
    return _usage_csv(request, public_id, header, rows)


@require_GET
def project_usage_daily_csv(request, public_id):
    """One line per project, metric and day with usage: for re-billing tools."""

    def rows(scope, choices):
        names = queries.scope_names(scope)  # read before the answer starts

        def line(day, public_id, metric, quantity):
            name, state = names.get(public_id, (public_id, queries.UNKNOWN))
            unit = METRICS[metric].unit if metric in METRICS else ""
            return [day, public_id, name, queries.STATE_LABELS[state], metric, unit, quantity]

        return (line(*row) for row in queries.daily_rows(scope, choices.period))

    header = ["Date", "Project ID", "Project", "State", "Metric", "Unit", "Quantity"]
    return _usage_csv(request, public_id, header, rows, "-daily")
