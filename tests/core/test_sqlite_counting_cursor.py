"""core.backends.sqlite3: django-prometheus's database metrics, counted by a cursor class
made once per connection (its own backend makes one per cursor)."""

import pytest
from django.db import DatabaseError, connection, transaction
from django_prometheus.db import errors_total, execute_many_total, execute_total
from django_prometheus.db import query_duration_seconds as durations

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backend's cursor"),
]


def _value(metric, *labels) -> float:
    return metric.labels(connection.alias, connection.vendor, *labels)._value.get()


def _observations() -> float:
    child = durations.labels(connection.alias, connection.vendor)
    return sum(bucket.get() for bucket in child._buckets)


def test_statements_errors_and_durations_are_counted():
    executed, many, observed = (
        _value(execute_total),
        _value(execute_many_total),
        _observations(),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.execute("CREATE TEMP TABLE counted (n integer)")
        cursor.executemany("INSERT INTO counted VALUES (%s)", [(1,), (2,), (3,)])
    assert _value(execute_total) == executed + 2 + 3
    assert _value(execute_many_total) == many + 3
    assert _observations() == observed + 3  # one per execute or executemany call

    errors = _value(errors_total, "OperationalError")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    assert _value(errors_total, "OperationalError") == errors + 1


def test_one_cursor_class_per_connection():
    assert connection.settings_dict["ENGINE"] == "core.backends.sqlite3"
    with connection.cursor() as first, connection.cursor() as second:
        assert type(first.cursor) is type(second.cursor)
