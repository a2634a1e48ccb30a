"""core.upsert: the one builder of INSERT … ON CONFLICT and of bulk inserts."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import Statement, StatementLine
from core.failures import FailureLimit
from core.models import FailureCount
from core.upsert import bulk_insert, upsert
from usage.models import DailyUsage

pytestmark = pytest.mark.django_db

ODD = 'a "q" \\ b,{c} NULL'  # quotes, a backslash, braces, a comma
DAY = date(2026, 3, 1)
FIELDS = ("project_public_id", "metric", "day", "family_public_id", "quantity")
KEY = FIELDS[:3]


def test_do_nothing_returns_only_the_rows_it_added():
    first = upsert(
        DailyUsage, FIELDS, [("A", "m", DAY, "A", 1)], conflict=KEY, returning=["quantity"]
    )
    again = upsert(
        DailyUsage,
        FIELDS,
        [("A", "m", DAY, "A", 5), ("B", "m", DAY, "A", 2)],
        conflict=KEY,
        returning=["project_public_id", "quantity"],
    )
    assert first == [(1,)] and again == [("B", 2)]
    assert DailyUsage.objects.get(project_public_id="A").quantity == 1  # left as it was


def test_do_update_runs_the_templates_with_their_parameters():
    add = {"quantity": "{old.quantity} + {new.quantity} * %s"}
    upsert(DailyUsage, FIELDS, [("A", "m", DAY, "A", 2)], conflict=KEY, update=add, params=[10])
    returned = upsert(
        DailyUsage,
        FIELDS,
        [("A", "m", DAY, "A", 3), ("B", "m", DAY, "A", 4)],
        conflict=KEY,
        update=add,
        params=[10],
        returning=["project_public_id", "quantity"],
    )
    # A new row is inserted as it is; a stored one becomes the template's value.
    assert sorted(returned) == [("A", 32), ("B", 4)]


@pytest.mark.parametrize("count", [2, 20])  # PostgreSQL: a VALUES list, then arrays
def test_values_travel_as_parameters_whatever_they_hold(count):
    rows = [(f"{ODD}{i}", "m", DAY, ODD, i) for i in range(count)]
    with CaptureQueriesContext(connection) as captured:
        inserted = upsert(DailyUsage, FIELDS, rows, conflict=KEY, returning=FIELDS)
    (statement,) = [query["sql"] for query in captured.captured_queries]
    assert statement.startswith("INSERT INTO") and "ON CONFLICT" in statement
    assert {(row[0], row[3], row[4]) for row in inserted} == {(r[0], r[3], r[4]) for r in rows}
    assert set(DailyUsage.objects.values_list("family_public_id", flat=True)) == {ODD}
    assert upsert(DailyUsage, FIELDS, [], conflict=KEY) == []


def test_datetimes_are_stored_as_the_orm_stores_them():
    moment = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    upsert(FailureCount, ("key", "count", "expires_at"), [("k", 1, moment)], conflict=["key"])
    assert FailureCount.objects.filter(expires_at=moment).count() == 1
    assert FailureCount.objects.filter(expires_at__gt=moment).count() == 0


def test_bulk_insert_writes_every_row(project):
    statement = Statement.objects.create(
        project=project,
        project_public_id=project.public_id,
        project_name=project.name,
        month=DAY,
        currency="EUR",
        total=Decimal("1.50"),
        closed_at=datetime(2026, 4, 1, tzinfo=UTC),
    )
    rows = [
        (statement.pk, f"P{i}", ODD, "sms.outbound", DAY, i, Decimal("0.0500"), Decimal("0.05"))
        for i in range(3)
    ]
    bulk_insert(StatementLine, ("statement", *StatementLine.FIELDS), rows)
    bulk_insert(StatementLine, ("statement", *StatementLine.FIELDS), [])
    stored = list(statement.lines.order_by("id").values_list(*StatementLine.FIELDS))
    assert stored == [row[1:] for row in rows]


def test_a_failure_counts_expiry_is_stored_as_the_orm_stores_it():
    # core.failures' own INSERT passed the aware datetime to SQLite as it was (text with
    # "+00:00"), unlike usage's and billing's writers and the ORM, so an equality on the
    # stored time found nothing there; now every writer stores what the ORM stores.
    FailureLimit("test", 5, 60).hit("someone@example.com")
    stored = FailureCount.objects.get()
    assert FailureCount.objects.filter(expires_at=stored.expires_at).exists()
