"""Reads from months and days agree with the days themselves, whatever the period."""

from datetime import date, timedelta

import pytest
from django.db.models import Sum

from tests.factories import ProjectFactory
from usage import queries, storage
from usage.metrics import CATALOGUE, CODES
from usage.models import DailyUsage
from usage.periods import Period
from usage.queries import Scope, UsageTable

FIRST = date(2025, 12, 20)

PERIODS = [
    (date(2026, 1, 1), date(2026, 1, 31)),
    (date(2026, 1, 15), date(2026, 3, 10)),
    (date(2026, 1, 2), date(2026, 1, 30)),
    (date(2026, 1, 1), date(2026, 2, 27)),
    (date(2025, 12, 25), date(2026, 1, 3)),
    (date(2026, 2, 28), date(2026, 2, 28)),
    (date(2025, 12, 1), date(2026, 3, 31)),
]


@pytest.fixture
def family(project, subproject):
    other = ProjectFactory(parent=project, name="Other")
    members = [project, subproject, other]
    days = {
        (p.public_id, metric, FIRST + timedelta(days=d)): 1 + (i * 31 + d * 7 + m) % 13
        for i, p in enumerate(members)
        for m, metric in enumerate(CODES[:3])
        for d in range(100)
    }
    storage.insert_days_once(days, {p.public_id: project.public_id for p in members})
    return members


def expected(public_ids, start, end):
    rows = (
        DailyUsage.objects.filter(project_public_id__in=public_ids, day__range=(start, end))
        .values_list("project_public_id", "metric")
        .annotate(total=Sum("quantity"))
    )
    return {(p, m): q for p, m, q in rows}


def table_totals(scope, period):
    """{(Project ID, metric): quantity} of the Usage page's table (and CSV), non-zero."""
    return {
        (row.public_id, metric.code): quantity
        for row in UsageTable(scope, period)
        for metric, quantity in zip(CATALOGUE, row.quantities, strict=True)
        if quantity
    }


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_the_table_and_the_totals_equal_the_sum_of_days(family, project, start, end):
    period = Period(start, end)
    ids = [p.public_id for p in family]
    truth = expected(ids, start, end)
    scope = Scope.of(project)
    assert table_totals(scope, period) == truth
    assert {row.public_id for row in UsageTable(scope, period)} == set(ids)
    family_totals = queries.family_totals(scope, period)
    for metric in CODES[:3]:
        assert family_totals.get(metric, 0) == sum(q for (_, m), q in truth.items() if m == metric)


@pytest.mark.parametrize(("start", "end"), PERIODS[:3])
def test_a_subproject_scope_is_itself_only(family, start, end):
    sub = family[1]
    period = Period(start, end)
    truth = expected([sub.public_id], start, end)
    assert table_totals(Scope.of(sub), period) == truth
    assert [row.public_id for row in UsageTable(Scope.of(sub), period)] == [sub.public_id]
