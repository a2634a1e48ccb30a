"""Reading usage: the dashboard's and billing's reads (the Usage API pages through the
daily totals itself, usage/api/views.py).

A project's usage *scope* is what its page and its keys see: for a top-level project,
its family, itself and each of its subprojects, active, removed or purged (every row
whose family_public_id is its Project ID); for a subproject, only itself.

Reads never touch raw records, only totals (usage/models.py): whole calendar months
come from MonthlyUsage and the days around them from DailyUsage, so a year costs twelve
rows per project and metric; a family's day-by-day figures come from FamilyDailyUsage,
one row per metric and day however many subprojects it has.

For billing: `monthly_totals` (statements: per project and metric, whole months),
`projects_month` (spend limits), `families_with_usage` and `usage_months` (which
statements to make), `scope_names` and `names`.
"""

from collections import defaultdict, namedtuple
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from projects.models import Project

from .metrics import CATALOGUE
from .models import DailyUsage, FamilyDailyUsage, MonthlyUsage, PurgedProject
from .periods import Period, month_end, month_of

ACTIVE, REMOVED, PURGED, UNKNOWN = "active", "removed", "purged", "unknown"
# How the page and the CSV mark a project that is not active. UNKNOWN: usage of a
# project deleted by hand (not by the purge), which left no tombstone.
STATE_LABELS = {ACTIVE: "", REMOVED: "removed", PURGED: "purged", UNKNOWN: "deleted"}


@dataclass(frozen=True)
class Scope:
    public_id: str
    pk: int  # the project's database key (for its subprojects' rows)
    family: bool  # a top-level project's scope: its family

    @classmethod
    def of(cls, project: Project) -> "Scope":
        return cls(project.public_id, project.pk, project.parent_id is None)

    @property
    def column(self) -> str:
        """The usage tables' field that selects this scope."""
        return "family_public_id" if self.family else "project_public_id"

    def rows(self) -> Q:
        return Q(**{self.column: self.public_id})


def daily_by_metric(scope: Scope, period: Period) -> dict[tuple[date, str], int]:
    """{(day, metric): quantity} of the whole scope, days with usage only. One query of
    at most (metrics x days) rows."""
    if scope.family:
        rows = FamilyDailyUsage.objects.filter(
            family_public_id=scope.public_id, day__range=(period.start, period.end)
        )
    else:
        rows = DailyUsage.objects.filter(
            project_public_id=scope.public_id, day__range=(period.start, period.end)
        )
    # The day as text, read with date.fromisoformat: the ORM's own conversion of a
    # date column (on SQLite) costs more than the query for a year of days.
    rows = rows.annotate(day_text=Cast("day", CharField()))
    return {
        (date.fromisoformat(day), metric): quantity
        for day, metric, quantity in rows.values_list("day_text", "metric", "quantity")
    }


def family_totals(scope: Scope, period: Period) -> dict[str, int]:
    """{metric: quantity} of the whole scope over the period (metrics with usage)."""
    totals = defaultdict(int)
    for (_, metric), quantity in daily_by_metric(scope, period).items():
        totals[metric] += quantity
    return dict(totals)


def monthly_totals(scope: Scope, months) -> dict[tuple[date, str, str], int]:
    """{(month, Project ID, metric): quantity} for whole calendar months (their first
    days), per project of the scope with usage in them. One query on the month totals
    (the index on the family's Project ID and month); billing's statements read this."""
    rows = MonthlyUsage.objects.filter(scope.rows(), month__in=list(months)).annotate(
        month_text=Cast("month", CharField())
    )
    return {
        (date.fromisoformat(month), project, metric): quantity
        for month, project, metric, quantity in rows.values_list(
            "month_text", "project_public_id", "metric", "quantity"
        )
        if quantity
    }


def family_monthly_totals(scope: Scope, months) -> dict[tuple[date, str], int]:
    """{(month, metric): quantity} of a family (a top-level project and all its
    subprojects) in whole calendar months, from the family's days (at most 31 rows per
    metric and month, however many subprojects). One query."""
    ranges = Q()
    for month in months:
        ranges |= Q(day__range=(month, month_end(month)))
    rows = FamilyDailyUsage.objects.filter(ranges, family_public_id=scope.public_id)
    totals = defaultdict(int)
    for day, metric, quantity in rows.values_list("day", "metric", "quantity"):
        totals[(month_of(day), metric)] += quantity
    return dict(totals)


def projects_month(public_ids, month: date) -> dict[tuple[str, str], int]:
    """{(Project ID, metric): quantity} of these projects in one calendar month (its
    first day). One query (the month totals' unique key); spend limits read this."""
    rows = MonthlyUsage.objects.filter(project_public_id__in=list(public_ids), month=month)
    return {
        (project, metric): quantity
        for project, metric, quantity in rows.values_list("project_public_id", "metric", "quantity")
    }


def families_with_usage(months) -> list[str]:
    """The families (their top-level projects' IDs) with any usage in these calendar
    months, sorted."""
    rows = MonthlyUsage.objects.filter(month__in=list(months)).values_list(
        "family_public_id", flat=True
    )
    return sorted(set(rows.distinct()))


def usage_months(scope: Scope) -> list[date]:
    """The calendar months (first days) in which the scope has usage, newest first."""
    rows = (
        MonthlyUsage.objects.filter(scope.rows())
        .annotate(month_text=Cast("month", CharField()))
        .values_list("month_text", flat=True)
        .distinct()
    )
    return sorted({date.fromisoformat(month) for month in rows}, reverse=True)


def names(public_ids) -> dict[str, tuple[str, str]]:
    """{Project ID: (name, state)} for projects in any state and purged subprojects."""
    ids = list(public_ids)
    found = {
        public_id: (name, ACTIVE if removed_at is None else REMOVED)
        for public_id, name, removed_at in Project.objects.filter(public_id__in=ids).values_list(
            "public_id", "name", "removed_at"
        )
    }
    missing = [i for i in ids if i not in found]
    if missing:
        for public_id, name in PurgedProject.objects.filter(public_id__in=missing).values_list(
            "public_id", "name"
        ):
            found[public_id] = (name, PURGED)
    return found


# --- The Usage page's table: a row per project of the scope ---------------------------


@dataclass(frozen=True)
class TableRow:
    public_id: str
    name: str
    state: str  # ACTIVE, REMOVED, PURGED or UNKNOWN
    quantities: tuple[int, ...]  # in CATALOGUE order
    is_scope: bool  # the project whose page this is (a parent's own usage)

    @property
    def label(self) -> str:
        """Its mark on the page and in the CSV."""
        return "this project" if self.is_scope else STATE_LABELS[self.state]


SORTS = ("name", *(metric.code for metric in CATALOGUE))
# A table row as the query gives it: Project ID, name, state, a quantity per metric.
Fetched = namedtuple(
    "Fetched", ["public_id", "name", "state", *(f"m{i}" for i in range(len(CATALOGUE)))]
)


class UsageTable:
    """The projects of a scope with their totals per metric over a period, sorted, in
    one SQL statement: the page reads its rows and shows a page of them, the CSV streams
    them, so both show the very same rows in the same order.

    A parent's rows: itself first, then every subproject (active or removed, with or
    without usage) and every purged subproject with usage in the period.
    """

    def __init__(self, scope: Scope, period: Period, *, sort: str = "name", descending=False):
        if sort not in SORTS:
            raise ValueError(sort)
        self.scope, self.period, self.sort, self.descending = scope, period, sort, descending

    def _sql(self) -> tuple[str, str, list]:
        """(the WITH clause that makes `totals`, the SELECT of the rows, parameters)"""
        q = connection.ops.quote_name
        daily, monthly = q(DailyUsage._meta.db_table), q(MonthlyUsage._meta.db_table)
        projects, purged = q(Project._meta.db_table), q(PurgedProject._meta.db_table)
        column = q(self.scope.column)
        # Every project of the scope gives one row of nothing, so that those without
        # usage are listed too; then the usage rows. One GROUP BY makes the table.
        members = "id = %s OR parent_id = %s" if self.scope.family else "id = %s"
        parts = [
            f"SELECT public_id AS pid, '' AS metric, 0 AS quantity FROM {projects} "  # noqa: S608
            f"WHERE {members}"
        ]
        params = [self.scope.pk, self.scope.pk] if self.scope.family else [self.scope.pk]
        pieces = self.period.pieces()
        if pieces.months is not None:
            parts.append(
                f"SELECT project_public_id, metric, quantity FROM {monthly} "  # noqa: S608
                f"WHERE {column} = %s AND month >= %s AND month <= %s"
            )
            params += [self.scope.public_id, *pieces.months]
        for days, sign in ((pieces.added_days, ""), (pieces.subtracted_days, "-")):
            for first, last in days:  # one index range each
                parts.append(
                    f"SELECT project_public_id, metric, {sign}quantity FROM {daily} "  # noqa: S608
                    f"WHERE {column} = %s AND day >= %s AND day <= %s"
                )
                params += [self.scope.public_id, first, last]
        sums = ", ".join(
            f"SUM(CASE WHEN metric = %s THEN quantity ELSE 0 END) AS m{i}"
            for i in range(len(CATALOGUE))
        )
        params += [metric.code for metric in CATALOGUE]
        quantities = ", ".join(f"t.m{i}" for i in range(len(CATALOGUE)))
        with_totals = (
            f"WITH usage_rows AS ({' UNION ALL '.join(parts)}), "  # noqa: S608
            f"totals AS (SELECT pid, {sums} FROM usage_rows GROUP BY pid) "
        )
        select = (
            "SELECT * FROM (SELECT t.pid AS pid, COALESCE(p.name, g.name, t.pid) AS name, "  # noqa: S608
            f"CASE WHEN p.id IS NOT NULL THEN CASE WHEN p.removed_at IS NULL THEN '{ACTIVE}' "
            f"ELSE '{REMOVED}' END WHEN g.id IS NOT NULL THEN '{PURGED}' ELSE '{UNKNOWN}' END "
            f"AS state, {quantities} "
            f"FROM totals t LEFT JOIN {projects} p ON p.public_id = t.pid "
            f"LEFT JOIN {purged} g ON g.public_id = t.pid) table_rows"
        )
        return with_totals, select, params

    def _order(self) -> str:
        direction = "DESC" if self.descending else "ASC"
        by_name = f"LOWER(name) {direction}, name {direction}"
        if self.sort == "name":
            keys = by_name
        else:
            index = SORTS.index(self.sort) - 1
            keys = f"m{index} {direction}, LOWER(name), name"
        # The project whose page it is comes first (a parent's own usage), then the rest.
        return f" ORDER BY CASE WHEN pid = %s THEN 0 ELSE 1 END, {keys}, pid"

    def row(self, row) -> TableRow:
        """A row as the page and the CSV show it."""
        public_id, name, state, *quantities = row
        quantities = tuple(int(q) for q in quantities)  # PostgreSQL sums bigints as numeric
        is_scope = public_id == self.scope.public_id
        return TableRow(public_id, name, state, quantities, is_scope)

    def rows(self) -> list[Fetched]:
        """Every row as fetched, in one query: the page cuts a page from them (core.lists;
        the whole table is computed for any page anyway) and makes only those rows
        TableRows (row(): a thousand of them cost more than the query's extra rows)."""
        with_totals, select, params = self._sql()
        with connection.cursor() as cursor:
            cursor.execute(with_totals + select + self._order(), [*params, self.scope.public_id])
            return list(map(Fetched._make, cursor.fetchall()))

    def __iter__(self):
        """Every row, streamed (a server-side cursor on PostgreSQL)."""
        with_totals, select, params = self._sql()
        sql = with_totals + select + self._order()
        params += [self.scope.public_id]
        cursor = connection.chunked_cursor()
        try:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(2000):
                yield from (self.row(row) for row in rows)
        finally:
            cursor.close()


def daily_rows(scope: Scope, period: Period):
    """(day, Project ID, metric, quantity) of every project of the scope, per project,
    metric and day (the order of the daily table's index, so nothing is sorted),
    streamed in bounded memory."""
    rows = (
        DailyUsage.objects.filter(scope.rows(), day__range=(period.start, period.end))
        .order_by("project_public_id", "metric", "day")
        .values_list("day", "project_public_id", "metric", "quantity")
    )
    return rows.iterator(chunk_size=5000)


def scope_names(scope: Scope) -> dict[str, tuple[str, str]]:
    """{Project ID: (name, state)} of every project of the scope, purged ones included.
    Two queries."""
    projects = Project.objects.filter(
        Q(pk=scope.pk) | Q(parent_id=scope.pk) if scope.family else Q(pk=scope.pk)
    )
    found = {
        public_id: (name, ACTIVE if removed_at is None else REMOVED)
        for public_id, name, removed_at in projects.values_list("public_id", "name", "removed_at")
    }
    if scope.family:
        purged = PurgedProject.objects.filter(parent_public_id=scope.public_id)
        for public_id, name in purged.values_list("public_id", "name"):
            found[public_id] = (name, PURGED)
    return found
